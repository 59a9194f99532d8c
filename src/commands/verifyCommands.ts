import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { parseProfiles } from '../core/awsConfig/profiles';
import { associations, fileKindOf, isPropertiesDocument } from '../documents/selector';
import { PRODUCT_FILE_NAMES } from '../core/model/products';
import { TEMPLATE_SUFFIXES } from '../core/templates/template';
import { log } from '../util/log';
import { SECTION } from '../util/settings';
import { VerifyController } from '../verify/verifyController';
import { Command } from './commandManager';

async function documentFor(uri: unknown): Promise<vscode.TextDocument | undefined> {
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  const editor = vscode.window.activeTextEditor;
  return editor && isPropertiesDocument(editor.document) ? editor.document : undefined;
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

  async execute(uri?: unknown, key?: unknown) {
    const document = await documentFor(uri);
    if (!document) {
      void vscode.window.showInformationMessage('Open a properties file with an AWS Secrets Manager reference to verify it.');
      return undefined;
    }
    const k = typeof key === 'string' ? key : keyAtCursor(document, this.keys(document));
    if (!k) {
      void vscode.window.showInformationMessage('This file has no valid AWS Secrets Manager reference.');
      return undefined;
    }
    return this.controller.verifyReference(document, k);
  }
}

export class VerifyTemplatedCommand implements Command {
  readonly id = 'encryptedProperties.verifyTemplated';
  constructor(private readonly controller: VerifyController) {}

  async execute(uri?: unknown, key?: unknown) {
    const document = await documentFor(uri);
    if (!document || typeof key !== 'string') return undefined;
    return this.controller.verifyTemplated(document, key);
  }
}

export class VerifyAllInFileCommand implements Command {
  readonly id = 'encryptedProperties.verifyAllInFile';
  constructor(private readonly controller: VerifyController) {}

  async execute(uri?: unknown) {
    const document = await documentFor(uri);
    if (!document) {
      void vscode.window.showInformationMessage('Open a properties file to verify its secrets.');
      return [];
    }
    return this.controller.verifyAll([document]);
  }
}

export class VerifyAllInWorkspaceCommand implements Command {
  readonly id = 'encryptedProperties.verifyAllInWorkspace';
  constructor(private readonly controller: VerifyController) {}

  async execute() {
    // The products' files, their templates (summarized as templated: verified one by one with typed values), any
    // *.properties file and the associated names; each is then kept only if resolveFileKind says it is a product's.
    const templates = PRODUCT_FILE_NAMES.flatMap((n) => Object.keys(TEMPLATE_SUFFIXES).map((suffix) => `*${n}${suffix}`));
    const names = ['*.properties', ...PRODUCT_FILE_NAMES, ...templates, ...Object.keys(associations())].map((n) => n.replace(/[{}[\],?]/g, ''));
    const uris = await vscode.workspace.findFiles(`**/{${names.join(',')}}`, '{**/node_modules/**,**/.git/**}', 2000);
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

  async execute(uri?: unknown, key?: unknown, clearAfterMs?: unknown) {
    const document = await documentFor(uri);
    if (!document) return false;
    const k = typeof key === 'string' ? key : keyAtCursor(document, this.keys(document));
    if (!k) return false;
    return this.controller.copyValue(document, k, typeof clearAfterMs === 'number' ? clearAfterMs : 60_000);
  }
}

export class CopyIamPolicyCommand implements Command {
  readonly id = 'encryptedProperties.copyIamPolicy';
  constructor(
    private readonly controller: VerifyController,
    private readonly keys: (d: vscode.TextDocument) => string[],
  ) {}

  async execute(uri?: unknown, key?: unknown) {
    const document = await documentFor(uri);
    if (!document) return undefined;
    const k = typeof key === 'string' ? key : keyAtCursor(document, this.keys(document));
    const policy = k ? this.controller.policyFor(document, k) : undefined;
    if (!policy) {
      void vscode.window.showInformationMessage('No valid AWS Secrets Manager reference here.');
      return undefined;
    }
    await vscode.env.clipboard.writeText(policy);
    void vscode.window.showInformationMessage('Least-privilege IAM policy copied: attach it to the role Bitbucket runs as.');
    return policy;
  }
}

export class SelectAwsProfileCommand implements Command {
  readonly id = 'encryptedProperties.selectAwsProfile';

  async execute(choice?: unknown) {
    const read = (file: string) => {
      try {
        return fs.readFileSync(file, 'utf8');
      } catch {
        return '';
      }
    };
    const configFile = process.env.AWS_CONFIG_FILE ?? path.join(os.homedir(), '.aws', 'config');
    const credentialsFile = process.env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(os.homedir(), '.aws', 'credentials');
    const profiles = parseProfiles(read(configFile), read(credentialsFile));
    let picked: string | undefined;
    if (typeof choice === 'string') {
      picked = choice;
    } else {
      const items: Array<vscode.QuickPickItem & { profile: string }> = [
        { label: '$(debug-restart) Default credential chain', description: 'environment, SSO, web identity, files, container, instance role', profile: '' },
        ...profiles.map((p) => ({ label: p.name, description: [p.kind, p.region].filter(Boolean).join(' · '), detail: p.sources.join(', '), profile: p.name })),
      ];
      const item = await vscode.window.showQuickPick(items, {
        title: 'AWS profile for verifying secrets',
        placeHolder: `Profiles from ${configFile} and ${credentialsFile}`,
      });
      if (!item) return undefined;
      picked = item.profile;
    }
    await vscode.workspace.getConfiguration(SECTION).update('aws.profile', picked, vscode.ConfigurationTarget.Global);
    log().info(`AWS profile set to ${picked || 'the default chain'}`);
    return picked;
  }
}
