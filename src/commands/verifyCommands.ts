import * as vscode from 'vscode';
import { awsConfigFiles, readAwsProfiles } from '../files/awsConfig';
import { ProfileChoice, profileChoices } from '../core/awsConfig/profiles';
import * as path from 'path';
import { fileKindOf } from '../documents/selector';
import { findCandidateFiles, productDocument } from '../documents/productFiles';
import { walkthroughDone } from '../walkthrough/progress';
import { log } from '../util/log';
import { SECTION } from '../util/settings';
import { VerifyController } from '../verify/verifyController';
import { Command } from './commandManager';

/** Says that the file has no AWS reference that can be used, and offers the wizard. */
export async function noReference(document: vscode.TextDocument, why: string): Promise<void> {
  const choice = await vscode.window.showInformationMessage(
    `${path.posix.basename(document.uri.path)} has no valid AWS Secrets Manager reference ${why}. Fix its problems, or let the wizard write one.`,
    'Configure AWS Secrets Manager Password…',
  );
  if (choice) await vscode.commands.executeCommand('encryptedProperties.configureAwsSecret', document.uri);
}

/** The key of the reference under the cursor, or the only/first AWS reference of the document. */
function keyAtCursor(document: vscode.TextDocument, fallback: string[]): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document === document) {
    const line = document.lineAt(editor.selection.active.line).text;
    const key = /^\s*([^=:\s]+)/.exec(line)?.[1];
    if (key && fallback.includes(key)) return key;
  }
  return fallback[0];
}

export class VerifySecretCommand implements Command {
  readonly id = 'encryptedProperties.verifySecret';
  constructor(
    private readonly controller: VerifyController,
    private readonly keys: (d: vscode.TextDocument) => string[],
  ) {}

  async execute(uri?: unknown, key?: unknown, at?: unknown) {
    const document = await productDocument(uri, 'verify');
    if (!document) return undefined;
    const k = typeof key === 'string' ? key : keyAtCursor(document, this.keys(document));
    if (!k) {
      void noReference(document, 'to verify');
      return undefined;
    }
    return this.controller.verifyReference(document, k, typeof at === 'number' ? at : undefined);
  }
}

export class VerifyTemplatedCommand implements Command {
  readonly id = 'encryptedProperties.verifyTemplated';
  constructor(private readonly controller: VerifyController) {}

  async execute(uri?: unknown, key?: unknown) {
    const document = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!document || typeof key !== 'string') return undefined;
    return this.controller.verifyTemplated(document, key);
  }
}

export class VerifyAllInFileCommand implements Command {
  readonly id = 'encryptedProperties.verifyAllInFile';
  constructor(private readonly controller: VerifyController) {}

  async execute(uri?: unknown) {
    const document = await productDocument(uri, 'verify');
    if (!document) return [];
    return this.controller.verifyAll([document]);
  }
}

export class VerifyAllInWorkspaceCommand implements Command {
  readonly id = 'encryptedProperties.verifyAllInWorkspace';
  constructor(private readonly controller: VerifyController) {}

  async execute() {
    const uris = await findCandidateFiles();
    const opened = await Promise.all(uris.map((u) => vscode.workspace.openTextDocument(u)));
    const documents = opened.filter((d) => fileKindOf(d) !== undefined);
    return this.controller.verifyAll(documents);
  }
}

export class CopySecretValueCommand implements Command {
  readonly id = 'encryptedProperties.copySecretValue';
  constructor(
    private readonly controller: VerifyController,
    private readonly keys: (d: vscode.TextDocument) => string[],
  ) {}

  async execute(uri?: unknown, key?: unknown, at?: unknown, clearAfterMs?: unknown) {
    const document = await productDocument(uri, 'copy a secret value from');
    if (!document) return false;
    const k = typeof key === 'string' ? key : keyAtCursor(document, this.keys(document));
    if (!k) return false;
    return this.controller.copyValue(document, k, typeof clearAfterMs === 'number' ? clearAfterMs : 60_000, typeof at === 'number' ? at : undefined);
  }
}

export class CopyIamPolicyCommand implements Command {
  readonly id = 'encryptedProperties.copyIamPolicy';
  constructor(
    private readonly controller: VerifyController,
    private readonly keys: (d: vscode.TextDocument) => string[],
  ) {}

  async execute(uri?: unknown, key?: unknown, at?: unknown) {
    const document = await productDocument(uri, 'write the IAM policy for');
    if (!document) return undefined;
    const k = typeof key === 'string' ? key : keyAtCursor(document, this.keys(document));
    const policy = k ? this.controller.policyFor(document, k, typeof at === 'number' ? at : undefined) : undefined;
    if (!policy) {
      void noReference(document, 'for the IAM policy (it names the secret)');
      return undefined;
    }
    await vscode.env.clipboard.writeText(policy);
    const product = fileKindOf(document)?.profile.name ?? 'the product';
    void vscode.window.showInformationMessage(
      `Least-privilege IAM policy for ${k} copied to the clipboard: attach it to the role ${product} runs as (${path.posix.basename(document.uri.path)}).`,
    );
    walkthroughDone('permissions');
    return policy;
  }
}

export class SelectAwsProfileCommand implements Command {
  readonly id = 'encryptedProperties.selectAwsProfile';

  async execute(choice?: unknown) {
    const files = awsConfigFiles();
    const profiles = readAwsProfiles();
    let picked: string | undefined;
    if (typeof choice === 'string') {
      picked = choice;
    } else {
      // The current choice is marked and is the active row, as VS Code's own pickers do.
      const current = vscode.workspace.getConfiguration(SECTION).get<string>('aws.profile', '') ?? '';
      const items = profileChoices(profiles, current);
      const picker = vscode.window.createQuickPick<ProfileChoice>();
      picker.title = 'AWS profile for verifying secrets';
      picker.placeholder = `Profiles from ${files.config} and ${files.credentials}`;
      picker.items = items;
      picker.activeItems = items.filter((i) => i.current);
      const item = await new Promise<ProfileChoice | undefined>((resolve) => {
        picker.onDidAccept(() => resolve(picker.selectedItems[0] ?? picker.activeItems[0]));
        picker.onDidHide(() => resolve(undefined));
        picker.show();
      });
      picker.dispose();
      if (!item) return undefined;
      picked = item.profile;
    }
    await vscode.workspace.getConfiguration(SECTION).update('aws.profile', picked, vscode.ConfigurationTarget.Global);
    log().info(`AWS profile set to ${picked || 'the default chain'}`);
    return picked;
  }
}

/**
 * A quick fix that needs the secret itself (its keys, the regions that hold its name): for the reference `key` of the
 * file, at the setting starting at `at` when the file sets the key more than once.
 */
export class SecretFixCommand implements Command {
  constructor(
    readonly id: string,
    private readonly fix: (document: vscode.TextDocument, key: string, at: number | undefined) => Promise<string | undefined>,
  ) {}

  async execute(uri?: unknown, key?: unknown, at?: unknown) {
    if (!(uri instanceof vscode.Uri) || typeof key !== 'string') return undefined;
    return this.fix(await vscode.workspace.openTextDocument(uri), key, typeof at === 'number' ? at : undefined);
  }
}

/** The lens above a reference with errors: selects the first problem that stops a verify. */
export class RevealProblemCommand implements Command {
  readonly id = 'encryptedProperties.revealProblem';

  async execute(uri?: unknown, start?: unknown, end?: unknown) {
    if (!(uri instanceof vscode.Uri) || typeof start !== 'number' || typeof end !== 'number') return;
    const document = await vscode.workspace.openTextDocument(uri);
    const range = new vscode.Range(document.positionAt(start), document.positionAt(end));
    await vscode.window.showTextDocument(document, { selection: range });
  }
}
