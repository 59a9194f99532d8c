import * as vscode from 'vscode';

/**
 * Questions the extension asks the user. Behind an interface so that tests inside the extension host can script
 * the answers (the API is handed out only when the extension runs in test mode).
 */
export interface Prompts {
  /** A modal confirmation; true when the user chose `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** A hidden input (a token); undefined when cancelled. */
  secret(prompt: string): Promise<string | undefined>;
  /** A visible input with a suggested value; undefined when cancelled. */
  input(prompt: string, value?: string): Promise<string | undefined>;
  /** One of the items (its label); undefined when cancelled. */
  pick(title: string, items: readonly { label: string; description?: string }[]): Promise<string | undefined>;
}

export const vscodePrompts: Prompts = {
  async confirm(message, detail, action) {
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  },
  async secret(prompt) {
    return vscode.window.showInputBox({ prompt, password: true, ignoreFocusOut: true });
  },
  async input(prompt, value) {
    return vscode.window.showInputBox({ prompt, value, ignoreFocusOut: true });
  },
  async pick(title, items) {
    return (await vscode.window.showQuickPick(items, { title, ignoreFocusOut: true }))?.label;
  },
};

/** Delegates to vscodePrompts unless a test replaced it. */
export class PromptsHolder implements Prompts {
  current: Prompts = vscodePrompts;

  confirm(message: string, detail: string, action: string): Promise<boolean> {
    return this.current.confirm(message, detail, action);
  }

  secret(prompt: string): Promise<string | undefined> {
    return this.current.secret(prompt);
  }

  input(prompt: string, value?: string): Promise<string | undefined> {
    return this.current.input(prompt, value);
  }

  pick(title: string, items: readonly { label: string; description?: string }[]): Promise<string | undefined> {
    return this.current.pick(title, items);
  }
}
