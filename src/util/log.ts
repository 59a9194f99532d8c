import * as vscode from 'vscode';

/** Kept on the process, not the module: the lazily loaded bundles (dist/wizard.js) log to the same one channel. */
const CHANNEL = Symbol.for('encryptedProperties.log');
const holder = globalThis as { [CHANNEL]?: vscode.LogOutputChannel };

/** The extension's single log channel ("Encrypted Properties"). Never log secret values. */
export function log(): vscode.LogOutputChannel {
  return (holder[CHANNEL] ??= vscode.window.createOutputChannel('Encrypted Properties', { log: true }));
}
