import * as vscode from 'vscode';
import { awsCliCheckCommand } from '../core/verify/awsCommands';
import type { Wizard } from '../wizard/lazyWizard';
import { Command } from './commandManager';
import { editorVerifiables } from '../verify/runner';
import { AnalysisCache } from '../documents/analysisCache';
import { productDocument } from '../documents/productFiles';
import { fileKindOf } from '../documents/selector';
import { noReference } from './verifyCommands';

export class ConfigureAwsSecretCommand implements Command {
  readonly id = 'encryptedProperties.configureAwsSecret';
  constructor(private readonly wizard: Wizard) {}

  /** `service`: the container of a Compose file or manifest (the lens and the quick fix on its password pass it). */
  execute(uri?: unknown, service?: unknown) {
    const target = uri instanceof vscode.Uri ? uri : undefined;
    return this.wizard.run(target, typeof service === 'string' ? service : undefined);
  }
}

export class CopyAwsCliCommand implements Command {
  readonly id = 'encryptedProperties.copyAwsCliCommand';
  constructor(private readonly cache: AnalysisCache) {}

  async execute(uri?: unknown, key?: unknown) {
    const document = await productDocument(uri, 'check on the server');
    if (!document) return undefined;
    const refs = editorVerifiables(document, this.cache).flatMap((r) => (r.target.store === 'aws' ? [{ key: r.reference.key, target: r.target }] : []));
    const item = refs.find((r) => r.key === key) ?? refs[0];
    if (!item) {
      void noReference(document, 'to check on the server');
      return undefined;
    }
    // The extension runs where the files are (extensionKind: workspace), so this is the server's shell.
    const command = awsCliCheckCommand(item.target, process.platform === 'win32' ? 'powershell' : 'posix');
    await vscode.env.clipboard.writeText(command);
    const product = fileKindOf(document)?.profile.name ?? 'the product';
    void vscode.window.showInformationMessage(
      `AWS CLI check for ${item.key} copied to the clipboard. Run it on the server as the user ${product} runs as: it reads the secret as ${product} does and prints its ARN, not its value.`,
    );
    return command;
  }
}
