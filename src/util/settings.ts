import * as vscode from 'vscode';

/** Typed access to the `encryptedProperties.*` settings declared in package.json. */
export const SECTION = 'encryptedProperties';

export interface Settings {
  readonly validateEnable: boolean;
  readonly validateDebounceMs: number;
}

export function getSettings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    validateEnable: c.get<boolean>('validate.enable', true),
    validateDebounceMs: Math.max(0, Math.min(5000, c.get<number>('validate.debounceMs', 200))),
  };
}

export function affectsSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION);
}
