import * as vscode from 'vscode';

/** The walkthrough's steps, in Atlassian's order (package.json contributes.walkthroughs uses these ids). */
export type WalkthroughStep = 'createSecret' | 'permissions' | 'authenticate' | 'confirm' | 'addToFile' | 'restart';

export const WALKTHROUGH_ID = 'awsSecretsManager';

/**
 * Marks a step done: its completion event is a context key set on success only (not on running the command), so a
 * step is ticked when its work happened, from the walkthrough or anywhere else.
 */
export function walkthroughDone(step: WalkthroughStep): void {
  void vscode.commands.executeCommand('setContext', `encryptedProperties.walkthrough.${step}`, true);
}
