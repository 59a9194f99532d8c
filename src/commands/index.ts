import * as vscode from 'vscode';
import { AnalysisCache } from '../documents/analysisCache';
import { VerifyController } from '../verify/verifyController';
import { editorVerifiables } from '../verify/runner';
import { CommandManager } from './commandManager';
import type { Wizard } from '../wizard/lazyWizard';
import { ConfigureAwsSecretCommand, CopyAwsCliCommand } from './wizardCommands';
import { ShowLogCommand } from './showLog';
import { CheckCredentialsCommand, CopyRestartChecklistCommand, OpenWalkthroughCommand } from './walkthroughCommands';
import {
  CopyIamPolicyCommand,
  CopySecretValueCommand,
  RevealProblemCommand,
  SecretFixCommand,
  SelectAwsProfileCommand,
  VerifyAllInFileCommand,
  VerifyAllInWorkspaceCommand,
  VerifySecretCommand,
  VerifyTemplatedCommand,
} from './verifyCommands';

export function registerCommands(cache: AnalysisCache, verify: VerifyController, wizard: Wizard, extensionId: string): vscode.Disposable {
  const manager = new CommandManager();
  const keys = (d: vscode.TextDocument) => editorVerifiables(d, cache).map((r) => r.reference.key);
  manager.register(new ShowLogCommand());
  manager.register(new VerifySecretCommand(verify, keys));
  manager.register(new VerifyTemplatedCommand(verify));
  manager.register(new VerifyAllInFileCommand(verify));
  manager.register(new VerifyAllInWorkspaceCommand(verify));
  manager.register(new CopySecretValueCommand(verify, keys));
  manager.register(new CopyIamPolicyCommand(verify, keys));
  manager.register(new SelectAwsProfileCommand());
  manager.register(new RevealProblemCommand());
  // Quick fixes of verify-pointer-missing (pick one of the secret's keys) and verify-not-found (the regions holding the name).
  manager.register(new SecretFixCommand('encryptedProperties.pickSecretKey', (d, k, at) => verify.pickSecretKey(d, k, at)));
  manager.register(new SecretFixCommand('encryptedProperties.findSecretRegion', (d, k, at) => verify.findSecretRegion(d, k, at)));
  manager.register(new ConfigureAwsSecretCommand(wizard));
  manager.register(new CopyAwsCliCommand(cache));
  manager.register(new OpenWalkthroughCommand(extensionId));
  manager.register(new CheckCredentialsCommand(verify));
  manager.register(new CopyRestartChecklistCommand(cache));
  return manager;
}
