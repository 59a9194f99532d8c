import * as vscode from 'vscode';
import { Disposable } from '../util/dispose';
import { affectsSettings, getSettings } from '../util/settings';
import { AnalysisCache } from '../documents/analysisCache';
import { forgetFileKinds, isPropertiesDocument } from '../documents/selector';
import { toDiagnostic } from './convertDiagnostics';

/**
 * Keeps the Problems panel in step with open properties documents: validates on open, re-validates (debounced) on
 * edit, clears on close and when validation is switched off.
 */
export class DiagnosticsManager extends Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('encryptedProperties'));
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly cache: AnalysisCache) {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.validate(d)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)));
    this.register(
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.cancel(d.uri);
        this.collection.delete(d.uri);
        this.cache.delete(d.uri);
      }),
    );
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!affectsSettings(e)) return;
        forgetFileKinds();
        this.validateAll();
      }),
    );
    this.register({ dispose: () => this.pending.forEach((t) => clearTimeout(t)) });
    this.validateAll();
  }

  validateAll(): void {
    for (const document of vscode.workspace.textDocuments) this.validate(document);
  }

  private schedule(document: vscode.TextDocument): void {
    if (!isPropertiesDocument(document)) return;
    this.cancel(document.uri);
    const delay = getSettings(document.uri).validateDebounceMs;
    this.pending.set(
      document.uri.toString(),
      setTimeout(() => {
        this.pending.delete(document.uri.toString());
        this.validate(document);
      }, delay),
    );
  }

  private cancel(uri: vscode.Uri): void {
    const key = uri.toString();
    const timer = this.pending.get(key);
    if (timer) clearTimeout(timer);
    this.pending.delete(key);
  }

  private validate(document: vscode.TextDocument): void {
    if (this.isDisposed || document.isClosed || !isPropertiesDocument(document)) return;
    if (!getSettings(document.uri).validateEnable) {
      this.collection.delete(document.uri);
      return;
    }
    const { analysis, lines } = this.cache.get(document);
    this.collection.set(
      document.uri,
      analysis.findings.map((f) => toDiagnostic(f, lines, document.uri)),
    );
  }
}
