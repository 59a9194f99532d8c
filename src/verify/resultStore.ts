import * as vscode from 'vscode';
import { VerifyResult } from '../core/verify/outcome';

export interface StoredResult {
  readonly result: VerifyResult;
  /** The reference's raw text when verified: the result holds until that text changes. */
  readonly rawText: string;
}

/** The last verify result per (document, property key), valid while the property's text is unchanged. */
export class ResultStore {
  private readonly results = new Map<string, Map<string, StoredResult>>();
  private readonly running = new Map<string, Set<string>>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  get(uri: vscode.Uri, key: string, rawText: string): VerifyResult | undefined {
    const stored = this.results.get(uri.toString())?.get(key);
    return stored && stored.rawText === rawText ? stored.result : undefined;
  }

  all(uri: vscode.Uri): ReadonlyMap<string, StoredResult> {
    return this.results.get(uri.toString()) ?? new Map();
  }

  set(uri: vscode.Uri, key: string, rawText: string, result: VerifyResult): void {
    const k = uri.toString();
    if (!this.results.has(k)) this.results.set(k, new Map());
    this.results.get(k)!.set(key, { result, rawText });
    this.changed.fire(uri);
  }

  isRunning(uri: vscode.Uri, key: string): boolean {
    return this.running.get(uri.toString())?.has(key) ?? false;
  }

  setRunning(uri: vscode.Uri, key: string, running: boolean): void {
    const k = uri.toString();
    if (!this.running.has(k)) this.running.set(k, new Set());
    if (running) this.running.get(k)!.add(key);
    else this.running.get(k)!.delete(key);
    this.changed.fire(uri);
  }

  delete(uri: vscode.Uri): void {
    this.results.delete(uri.toString());
    this.running.delete(uri.toString());
  }

  dispose(): void {
    this.changed.dispose();
  }
}
