import * as vscode from 'vscode';

/** Returned by a step when the user pressed the back button (a registered symbol, so scripted tests can answer it). */
export const BACK: unique symbol = Symbol.for('encryptedProperties.wizard.back');
export type Back = typeof BACK;

export interface Step {
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
}

export interface Choice<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: T;
  /** Shown under a separator with this name. */
  readonly group?: string;
}

/**
 * The questions of the wizard. The VS Code implementation is a multi-step quick input; tests inside the extension
 * host script it instead (see TestApi).
 */
export interface WizardUi {
  pick<T>(step: Step, choices: readonly Choice<T>[], options: { placeholder: string; active?: T }): Promise<T | Back | undefined>;
  input(
    step: Step,
    options: { prompt: string; value?: string; placeholder?: string; password?: boolean; validate?: (value: string) => string | undefined },
  ): Promise<string | Back | undefined>;
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  notify(message: string, ...actions: string[]): Promise<string | undefined>;
  error(message: string): void;
  /** Shows the file as it will be after applying, beside the current one (a diff), without taking the focus. */
  preview(file: vscode.Uri, newText: string): Promise<void>;
  /** Closes the preview of the changes (the wizard ended: applied, or nothing was written). */
  closePreview(): Promise<void>;
  /** Runs `work` with a visible "busy" message (the credential check before the first question). */
  progress<T>(message: string, work: () => Promise<T>): Promise<T>;
  /** The end of the wizard: a message that stays until answered (modal), with the checklist as its detail. */
  finish(message: string, detail: string, ...actions: string[]): Promise<string | undefined>;
  /** A save dialog (for moving the backup); the chosen file path, or undefined. */
  saveAs(title: string, defaultPath: string): Promise<string | undefined>;
}

const PREVIEW_SCHEME = 'encrypted-properties-preview';
const previews = new Map<string, string>();

/** Serves the wizard's "after" text for the review diff. */
export function registerPreviewProvider(): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, { provideTextDocumentContent: (uri) => previews.get(uri.toString()) ?? '' });
}

function stepTitle(step: Step): string {
  return step.step > 0 ? `${step.title} (step ${step.step}/${step.totalSteps})` : step.title;
}

/** The multi-step quick input: a title with (step n/m), a back button, values kept when going back. */
export const quickInputUi: WizardUi = {
  pick<T>(step: Step, choices: readonly Choice<T>[], options: { placeholder: string; active?: T }) {
    return new Promise<T | Back | undefined>((resolve) => {
      type Item = vscode.QuickPickItem & { value?: T };
      const qp = vscode.window.createQuickPick<Item>();
      qp.title = stepTitle(step);
      qp.placeholder = options.placeholder;
      qp.ignoreFocusOut = true;
      qp.matchOnDescription = true;
      qp.matchOnDetail = true;
      qp.buttons = step.step > 1 ? [vscode.QuickInputButtons.Back] : [];
      const items: Item[] = [];
      let group: string | undefined;
      for (const c of choices) {
        if (c.group && c.group !== group) {
          items.push({ label: c.group, kind: vscode.QuickPickItemKind.Separator });
          group = c.group;
        }
        items.push({ label: c.label, description: c.description, detail: c.detail, value: c.value });
      }
      qp.items = items;
      const active = items.find((i) => i.value !== undefined && i.value === options.active);
      if (active) qp.activeItems = [active];
      let done = false;
      const finish = (value: T | Back | undefined) => {
        if (done) return;
        done = true;
        resolve(value);
        qp.dispose();
      };
      qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK));
      qp.onDidAccept(() => {
        const picked = qp.selectedItems[0] ?? qp.activeItems[0];
        if (picked && picked.value !== undefined) finish(picked.value);
      });
      qp.onDidHide(() => finish(undefined));
      qp.show();
    });
  },

  input(step, options) {
    return new Promise<string | Back | undefined>((resolve) => {
      const box = vscode.window.createInputBox();
      box.title = stepTitle(step);
      box.prompt = options.prompt;
      box.value = options.value ?? '';
      box.placeholder = options.placeholder;
      box.password = options.password === true;
      box.ignoreFocusOut = true;
      box.buttons = step.step > 1 ? [vscode.QuickInputButtons.Back] : [];
      let done = false;
      const finish = (value: string | Back | undefined) => {
        if (done) return;
        done = true;
        resolve(value);
        box.dispose();
      };
      box.onDidChangeValue((v) => (box.validationMessage = options.validate?.(v)));
      box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK));
      box.onDidAccept(() => {
        const message = options.validate?.(box.value);
        if (message) {
          box.validationMessage = message;
          return;
        }
        finish(box.value);
      });
      box.onDidHide(() => finish(undefined));
      box.show();
    });
  },

  async confirm(message, detail, action) {
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  },

  notify(message, ...actions) {
    return Promise.resolve(vscode.window.showInformationMessage(message, ...actions));
  },

  error(message) {
    void vscode.window.showErrorMessage(message);
  },

  async finish(message, detail, ...actions) {
    // A success closes with "Done", not "Cancel" (there is nothing to cancel).
    const items: vscode.MessageItem[] = [...actions.map((title) => ({ title })), { title: 'Done', isCloseAffordance: true }];
    const picked = await vscode.window.showInformationMessage(message, { modal: true, detail }, ...items);
    return picked && picked.title !== 'Done' ? picked.title : undefined;
  },

  async saveAs(title, defaultPath) {
    const uri = await vscode.window.showSaveDialog({ title, defaultUri: vscode.Uri.file(defaultPath), saveLabel: 'Move Backup Here' });
    return uri?.fsPath;
  },

  async closePreview() {
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === PREVIEW_SCHEME);
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
    previews.clear();
  },

  progress(message, work) {
    return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: message }, work));
  },

  async preview(file, newText) {
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: file.path, query: String(Date.now()) });
    previews.clear();
    previews.set(uri.toString(), newText);
    const exists =
      file.scheme !== 'file' ||
      (await vscode.workspace.fs.stat(file).then(
        () => true,
        () => false,
      ));
    const before = exists ? file : uri.with({ query: 'empty' });
    await vscode.commands.executeCommand('vscode.diff', before, uri, `${file.path.split('/').pop()} ↔ after the wizard (preview)`, {
      preview: true,
      preserveFocus: true,
    });
  },
};

/** Delegates to the quick input unless a test replaced it. */
export class WizardUiHolder implements WizardUi {
  current: WizardUi = quickInputUi;
  pick<T>(step: Step, choices: readonly Choice<T>[], options: { placeholder: string; active?: T }) {
    return this.current.pick(step, choices, options);
  }
  input(step: Step, options: Parameters<WizardUi['input']>[1]) {
    return this.current.input(step, options);
  }
  confirm(message: string, detail: string, action: string) {
    return this.current.confirm(message, detail, action);
  }
  notify(message: string, ...actions: string[]) {
    return this.current.notify(message, ...actions);
  }
  error(message: string) {
    this.current.error(message);
  }
  preview(file: vscode.Uri, newText: string) {
    return this.current.preview(file, newText);
  }
  progress<T>(message: string, work: () => Promise<T>) {
    return this.current.progress(message, work);
  }
  closePreview() {
    return this.current.closePreview();
  }
  finish(message: string, detail: string, ...actions: string[]) {
    return this.current.finish(message, detail, ...actions);
  }
  saveAs(title: string, defaultPath: string) {
    return this.current.saveAs(title, defaultPath);
  }
}
