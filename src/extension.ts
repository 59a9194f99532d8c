import * as vscode from 'vscode';
import { AnalysisCache } from './documents/analysisCache';
import { DiagnosticsManager } from './diagnostics/diagnosticsManager';
import { registerQuickFixes } from './codeActions/quickFixes';
import { registerHover } from './languageFeatures/hover';
import { registerCompletion } from './languageFeatures/completion';
import { registerCommands } from './commands';
import { log } from './util/log';

export function activate(context: vscode.ExtensionContext): void {
  const cache = new AnalysisCache();
  context.subscriptions.push(log(), new DiagnosticsManager(cache), registerQuickFixes(cache));
  context.subscriptions.push(registerHover(cache), registerCompletion(cache), registerCommands());
  log().info(`activated ${context.extension.id} ${context.extension.packageJSON.version as string}`);
}

export function deactivate(): void {}
