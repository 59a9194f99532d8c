import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** The extension's single log channel ("Encrypted Properties"). Never log secret values. */
export function log(): vscode.LogOutputChannel {
  return (channel ??= vscode.window.createOutputChannel('Encrypted Properties', { log: true }));
}
