import * as path from 'path';
import * as vscode from 'vscode';
import { PRODUCT_FILE_NAMES } from '../core/model/products';
import { productFileGlobs } from '../core/model/filePatterns';
import { associations, fileKindOf } from './selector';
import { CONTAINER_FILE_FORMS } from '../core/model/containers';
import { resolveFileKind } from '../core/model/fileKind';
import { analyzeFile } from '../core/analyzeFile';
import { canMoveToAws } from '../core/product/password';

const EXCLUDE = '{**/node_modules/**,**/.git/**}';

function glob(names: readonly string[]): string {
  return `**/{${names.map((n) => n.replace(/[{}[\],?]/g, '')).join(',')}}`;
}

/** The workspace's product files by name (the products' names and the associated ones), sorted by path. */
export async function findProductFiles(limit = 200): Promise<vscode.Uri[]> {
  const found = await vscode.workspace.findFiles(
    glob([...PRODUCT_FILE_NAMES, ...Object.keys(associations())].map((n) => n.replace(/\*/g, ''))),
    EXCLUDE,
    limit,
  );
  return found.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

/**
 * The workspace's container deployments (Compose, env files, Kubernetes manifests, Helm values of any name) whose
 * database password is in plaintext: the wizard offers them beside the product files. Read from disk, not opened.
 */
export async function findContainerFilesToMove(limit = 500): Promise<vscode.Uri[]> {
  const found = await vscode.workspace.findFiles(glob([...new Set(CONTAINER_FILE_FORMS.flatMap((f) => f.globs))]), EXCLUDE, limit);
  const out: vscode.Uri[] = [];
  for (const uri of found) {
    let text: string;
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (bytes.length > 4 * 1024 * 1024) continue;
      text = new TextDecoder().decode(bytes);
    } catch {
      continue;
    }
    const kind = resolveFileKind({ fileName: path.posix.basename(uri.path), head: text, associations: associations(uri) });
    if (kind?.format !== 'container') continue;
    if (analyzeFile(text, { kind }).findings.some((f) => canMoveToAws(kind, f))) out.push(uri);
  }
  return out.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

/**
 * Candidates for Verify all in workspace: the products' files, their templates, any *.properties file, YAML and env
 * files, and the associated names. Each is kept only if resolveFileKind says it is a product's (the caller opens and filters them).
 */
export function findCandidateFiles(limit = 2000): Thenable<vscode.Uri[]> {
  // The model's patterns (core/model/filePatterns): product files, templates, container deployments (Compose,
  // Kubernetes, Helm values, env files: kept only when they mention a product).
  return vscode.workspace.findFiles(glob(['*.properties', ...productFileGlobs(), ...Object.keys(associations())]), EXCLUDE, limit);
}

/**
 * The product file a command acts on: the one it was given, else the active editor's, else the only visible one, else
 * the workspace's (one: that one; several: the user picks). Buttons in the walkthrough and the palette thus act on the
 * right file even when the active editor is the walkthrough. Undefined (after saying so) when there is none.
 */
export async function productDocument(uri: unknown, purpose: string): Promise<vscode.TextDocument | undefined> {
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  const active = vscode.window.activeTextEditor?.document;
  if (active && fileKindOf(active) !== undefined) return active;
  const visible = vscode.window.visibleTextEditors.map((e) => e.document).filter((d) => fileKindOf(d) !== undefined);
  if (visible.length === 1) return visible[0];
  const uris = new Map<string, vscode.Uri>(visible.map((d) => [d.uri.toString(), d.uri]));
  for (const found of await findProductFiles()) uris.set(found.toString(), found);
  const candidates = [...uris.values()];
  if (candidates.length === 0) {
    const choice = await vscode.window.showInformationMessage(
      `No product configuration file to ${purpose}: open bitbucket.properties, dbconfig.xml, confluence.cfg.xml, bamboo.cfg.xml or crowd.cfg.xml, or let the wizard create one.`,
      'Configure AWS Secrets Manager Password…',
    );
    if (choice) void vscode.commands.executeCommand('encryptedProperties.configureAwsSecret');
    return undefined;
  }
  if (candidates.length === 1) return vscode.workspace.openTextDocument(candidates[0]);
  const picked = await vscode.window.showQuickPick(
    candidates.map((u) => ({ label: path.posix.basename(u.path), description: vscode.workspace.asRelativePath(u), uri: u })),
    { title: `Which file to ${purpose}?`, placeHolder: 'Product configuration files in the workspace', matchOnDescription: true, ignoreFocusOut: true },
  );
  return picked && vscode.workspace.openTextDocument(picked.uri);
}
