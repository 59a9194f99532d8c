/** Apply: the new secret first (if any), then the backup and one undoable edit. */
import * as fs from 'fs';
import * as vscode from 'vscode';
import { analyzeFile } from '../core/analyzeFile';
import { planForFile } from '../core/edits/plan';
import { AwsSecretTarget } from '../core/edits/awsSecretPlan';
import { readRegularFile } from '../files/read';
import { writeBackup } from '../files/safeWrite';
import { toRange } from '../documents/analysisCache';
import { LineIndex } from '../core/text/lineIndex';
import { log } from '../util/log';
import { walkthroughDone } from '../walkthrough/progress';
import type { SecretsVerifier } from '../aws';
import { WizardContext, State, plaintextPassword } from './state';
import { finish } from './finish';
import * as path from 'path';
import { backupFolderOutsideGit, gitWorkingTree } from '../files/gitTree';
import { classifyError, SdkErrorLike } from '../core/verify/awsErrors';
import { CREDENTIAL_PROBLEMS } from '../core/verify/outcome';

export async function apply(
  w: WizardContext,
  state: State & Required<Pick<State, 'resolved' | 'region'>>,
  target: AwsSecretTarget,
  replaceClass: boolean,
  verifier: SecretsVerifier,
): Promise<AwsSecretTarget | 'credentials' | 'secret-exists' | undefined> {
  const { file, kind } = state.resolved;
  // 1. Create the secret first: if AWS refuses, the file stays as it was. The password is read from the file now.
  if (state.newSecret) {
    const document = await vscode.workspace.openTextDocument(file);
    const password = plaintextPassword(analyzeFile(document.getText(), { kind }), state.service);
    if (password === undefined) {
      w.ui.error('The plaintext password is gone from the file; nothing was created.');
      return undefined;
    }
    try {
      const arn = await verifier.createSecret(state.region, {
        name: state.newSecret.name,
        secretString: state.newSecret.keyValue ? JSON.stringify({ password }) : password,
        description: state.newSecret.description,
        kmsKeyId: state.newSecret.kmsKeyId,
      });
      log().info(`created secret ${state.newSecret.name} (${arn ?? 'no ARN'}) in ${state.region}`);
      walkthroughDone('createSecret');
    } catch (error) {
      const { code, message } = classifyError(error as SdkErrorLike, { region: state.region, secretId: state.newSecret.name, timeoutMs: 10_000 });
      // Credentials that fail here go back to the credentials page, every answer kept (the review step asks again).
      if (CREDENTIAL_PROBLEMS.has(code)) return 'credentials';
      // Someone (or an earlier run) created it meanwhile: back to the secret step, where it can be picked.
      if ((error as SdkErrorLike).name === 'ResourceExistsException') {
        void w.ui.notify(
          `A secret named ${state.newSecret.name} already exists in ${state.region}: pick it from the list, or choose another name. The file is unchanged.`,
        );
        return 'secret-exists';
      }
      w.ui.error(`Creating the secret failed: ${message} The file is unchanged.`);
      return undefined;
    }
  }
  // 2. Back up the file on disk beside it, then one undoable edit, then save.
  let backup: string | undefined;
  if (state.target?.kind === 'create' && !fs.existsSync(file.fsPath)) {
    await vscode.workspace.fs.writeFile(file, new Uint8Array());
  } else if (file.scheme === 'file' && fs.existsSync(file.fsPath)) {
    try {
      // The same backup as the CLI's: exclusive, owner-only, complete or absent (files/safeWrite.ts).
      const { bytes } = await readRegularFile(await fs.promises.realpath(file.fsPath));
      // Inside a Git working tree (a deployment repository), the backup goes to an owner-only folder in the home
      // instead: beside the file, a `git add .` would commit the plaintext password.
      const repository = gitWorkingTree(path.dirname(file.fsPath));
      backup = await writeBackup(file.fsPath, bytes, repository ? { dir: backupFolderOutsideGit() } : {});
      if (repository) log().info(`the file is in the Git working tree ${repository}: its backup went to ${backup}`);
    } catch (error) {
      w.ui.error(`The backup could not be written (${error instanceof Error ? error.message : String(error)}); the file is unchanged.`);
      return undefined;
    }
  }
  const document = await vscode.workspace.openTextDocument(file);
  const plan = planForFile(kind, document.getText(), target, { replaceClass, service: state.service });
  if (plan.kind === 'error') {
    // The proof (core/edits/prove) refused the result: say why; the file is unchanged.
    w.ui.error(`The file was not changed: ${plan.message}.`);
    return undefined;
  }
  if (plan.kind !== 'edits') return undefined;
  const edit = new vscode.WorkspaceEdit();
  const lines = new LineIndex(document.getText());
  for (const e of plan.edits) edit.replace(document.uri, toRange(lines, e.start, e.end), e.newText);
  if (!(await vscode.workspace.applyEdit(edit))) {
    w.ui.error('The edit could not be applied; the file is unchanged.');
    return undefined;
  }
  await document.save();
  log().info(`wrote the AWS Secrets Manager reference for ${target.secretId} to ${file.fsPath}${backup ? ` (backup ${backup})` : ''}`);
  walkthroughDone('addToFile');
  await w.ui.closePreview();
  await finish(w, document, kind, plan.edits, target, backup, state.service);
  return target;
}
