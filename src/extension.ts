import * as vscode from 'vscode';
import { AnalysisCache } from './documents/analysisCache';
import { registerLanguageFeatures } from './languageFeatures';
import { registerCommands } from './commands';
import { ResultStore } from './verify/resultStore';
import { VerifyController } from './verify/verifyController';
import { log } from './util/log';
import { LazyWizard } from './wizard/lazyWizard';
import { quickInputUi, registerPreviewProvider, WizardUi, WizardUiHolder } from './wizard/wizardUi';
import { Prompts, PromptsHolder, vscodePrompts } from './util/prompts';
import { openWalkthroughOnFirstRun } from './walkthrough/firstRun';

/** Handed out only in test mode: lets extension-host tests script the modal questions. */
export interface TestApi {
  setPrompts(prompts: Prompts | undefined): void;
  setWizardUi(ui: WizardUi | undefined): void;
  /** What the extension keeps between commands, for the canary check: the result store, the analysis cache, the status bar. */
  inspect(): { results: ResultStore; held: readonly unknown[]; status: () => { text: string; visible: boolean; warning: boolean } };
}

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const cache = new AnalysisCache();
  const results = new ResultStore();
  const prompts = new PromptsHolder();
  const verify = new VerifyController(cache, results, context.globalState, prompts, context.secrets);
  const wizardUi = new WizardUiHolder();
  const wizard = new LazyWizard(wizardUi, verify);
  context.subscriptions.push(log(), results, verify, registerLanguageFeatures(cache, results, verify), registerPreviewProvider());
  context.subscriptions.push(registerCommands(cache, verify, wizard, context.extension.id));
  void openWalkthroughOnFirstRun(context.globalState);
  log().info(`activated ${context.extension.id} ${(context.extension.packageJSON as { version: string }).version}`);
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return {
    setPrompts: (p) => (prompts.current = p ?? vscodePrompts),
    setWizardUi: (ui) => (wizardUi.current = ui ?? quickInputUi),
    inspect: () => ({ results, held: [results, cache, verify.presentation.statusText], status: () => verify.presentation.status }),
  };
}

export function deactivate(): void {}
