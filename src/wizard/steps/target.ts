/** Step 1: the file to write (picked, or created in a folder), read and analysed once. */
import * as path from 'path';
import * as vscode from 'vscode';
import { analyzeFile } from '../../core/analyzeFile';
import { FileKind } from '../../core/model/fileKind';
import { PRODUCTS } from '../../core/model/products';
import { productContainers } from '../../core/edits/containerPlan';
import { chosenFileKindOf, fileKindOf } from '../../documents/selector';
import { findContainerFilesToMove, findProductFiles } from '../../documents/productFiles';
import { BACK, Choice } from '../wizardUi';
import { WizardContext, State, StepResult, Target, step } from '../state';

/** Reads and analyses the picked file once, with its kind (the associations setting applies); false when it is no product's. */
export async function resolve(w: WizardContext, state: State, target: Target): Promise<boolean> {
  if (target.kind === 'create') {
    const file = vscode.Uri.joinPath(target.folder, 'shared', 'bitbucket.properties');
    const kind: FileKind = { profile: PRODUCTS.bitbucket, format: 'properties', source: 'chosen' };
    state.target = target;
    state.resolved = { file, kind, analysis: analyzeFile('', { kind }) };
    return true;
  }
  const document = await vscode.workspace.openTextDocument(target.uri);
  const kind = chosenFileKindOf(document);
  if (kind === undefined) {
    w.ui.error(
      `${path.posix.basename(target.uri.path)} is neither a properties file nor the configuration file of Jira, Confluence, Bamboo or Crowd. ` +
        'Map its name to a product in the encryptedProperties.files.associations setting.',
    );
    return false;
  }
  state.target = target;
  state.resolved = { file: target.uri, kind, analysis: analyzeFile(document.getText(), { kind }) };
  state.service = undefined;
  if (kind.format === 'container') {
    // A Compose file or manifest may run several products: the reference goes to one container, which the user picks.
    const containers = productContainers(document.getText(), kind);
    if (containers.length === 0) {
      w.ui.error(`${path.posix.basename(target.uri.path)} runs no Jira, Confluence or Bitbucket container.`);
      return false;
    }
    let chosen = containers.find((c) => c.name === target.service) ?? containers[0];
    if (target.service !== undefined && chosen.name === target.service) state.service = target.service;
    else if (containers.length > 1) {
      const picked = await w.ui.pick(
        step(1, state),
        containers.map((c) => ({ label: c.name, description: PRODUCTS[c.product].name, value: c.name })),
        { placeholder: 'Which container gets the secret reference?' },
      );
      if (picked === undefined || picked === BACK) return false;
      state.service = picked;
      chosen = containers.find((c) => c.name === picked) ?? chosen;
    }
    // The container's product decides the variables, the messages and the checklist.
    const containerKind: FileKind = { ...kind, profile: PRODUCTS[chosen.product] };
    state.resolved = { file: target.uri, kind: containerKind, analysis: analyzeFile(document.getText(), { kind: containerKind }) };
  }
  return true;
}

export async function pickTarget(w: WizardContext, state: State): Promise<StepResult> {
  const choices: Choice<Target>[] = [];
  const active = vscode.window.activeTextEditor?.document;
  if (active && !active.isUntitled && fileKindOf(active) !== undefined) {
    choices.push({
      label: `$(file) ${path.basename(active.uri.fsPath)}`,
      description: vscode.workspace.asRelativePath(active.uri),
      detail: 'The active editor',
      value: { kind: 'file', uri: active.uri },
    });
  }
  const found = await findProductFiles();
  // Container deployments whose password is in plaintext (a Compose file, Helm values of any name) too.
  for (const uri of [...found, ...(await findContainerFilesToMove())]) {
    if (choices.some((c) => c.value.kind === 'file' && c.value.uri.toString() === uri.toString())) continue;
    choices.push({
      label: `$(file) ${path.posix.basename(uri.path)}`,
      description: vscode.workspace.asRelativePath(uri),
      value: { kind: 'file', uri },
      group: 'In the workspace',
    });
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (folder && !found.some((u) => u.path.endsWith('/shared/bitbucket.properties') && u.path.startsWith(folder.path))) {
    choices.push({
      label: '$(new-file) Create shared/bitbucket.properties',
      description: vscode.workspace.asRelativePath(folder),
      value: { kind: 'create', folder },
      group: 'New',
    });
  }
  if (choices.length === 0) {
    w.ui.error('Open a folder or a bitbucket.properties file first.');
    return undefined;
  }
  const picked = await w.ui.pick(step(1, state), choices, {
    placeholder: 'Which file holds the database password?',
    active: state.target ? choices.find((c) => JSON.stringify(c.value) === JSON.stringify(state.target))?.value : undefined,
  });
  if (picked === undefined || picked === BACK) return picked;
  return (await resolve(w, state, picked)) ? { next: 'region' } : { next: 'target' };
}
