import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'encprops.encrypted-properties';

export function workspaceFile(...segments: string[]): vscode.Uri {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(root, 'the test workspace is open');
  return vscode.Uri.joinPath(root, ...segments);
}

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed in the extension host`);
  await extension.activate();
  return extension;
}

/** Polls until `probe` returns a value that is not undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Encrypted Properties');
}

/** Waits until our diagnostics for `uri` satisfy `ready`. */
export async function diagnosticsFor(uri: vscode.Uri, ready: (d: vscode.Diagnostic[]) => boolean, what = 'diagnostics'): Promise<vscode.Diagnostic[]> {
  return waitFor(
    () => {
      const d = ourDiagnostics(uri);
      return ready(d) ? d : undefined;
    },
    `${what} for ${path.posix.basename(uri.path)}`,
  );
}

/** Waits for our diagnostic with `code` on `uri` and returns it. */
export async function diagnosticWithCode(uri: vscode.Uri, code: string): Promise<vscode.Diagnostic> {
  const diagnostics = await diagnosticsFor(uri, (d) => d.some((x) => codeOf(x) === code), `a ${code} diagnostic`);
  return diagnostics.find((x) => codeOf(x) === code)!;
}

/** The quick fixes offered for `range` of `uri`. */
export function quickFixes(uri: vscode.Uri, range: vscode.Range): Thenable<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/**
 * Reverts and closes the active editor, then waits until the extension host has dropped its document. A closed
 * untitled document's name (untitled:Untitled-1) is reused by the next one, and until the close reaches the extension
 * host, opening a new untitled document can hand back the old document object with the old text.
 */
export async function closeActiveEditor(): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  if (!document?.isUntitled) return;
  await waitFor(() => (document.isClosed || !vscode.workspace.textDocuments.includes(document) ? true : undefined), `${document.uri.toString()} to close`);
}

/** A new untitled document with `content`, shown in the editor; never a stale document that had the same name. */
export async function openUntitled(language: string, content: string): Promise<vscode.TextDocument> {
  const document = await waitFor(async () => {
    const candidate = await vscode.workspace.openTextDocument({ language, content });
    return candidate.getText() === content && !candidate.isClosed ? candidate : undefined;
  }, 'a fresh untitled document');
  await vscode.window.showTextDocument(document);
  return document;
}
