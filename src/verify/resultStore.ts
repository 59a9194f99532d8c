import * as vscode from 'vscode';
import { VerifyOutcome } from '../core/verify/outcome';

export interface StoredResult {
  readonly outcome: VerifyOutcome;
  /** The reference's raw text when verified: the result holds until that text changes. */
  readonly rawText: string;
  /** The document version and the reference's value range then: reused while the document is unchanged. */
  readonly version: number;
  readonly range: vscode.Range;
  /** Got with values typed for a template's expressions: shown in the lens and hover, never in Problems. */
  readonly typed?: boolean;
}

/**
 * The last verify outcome per (document, reference identity: core/engine/referenceId), valid while the property's text is unchanged. Outcomes hold
 * no secret value (core/verify/outcome.ts). A verify changes the store twice: its start (`onDidChangeRunning`, for
 * the lens spinner) and its end (`onDidChange`, once, with the outcome and the end of running together).
 */
export class ResultStore {
  private readonly results = new Map<string, Map<string, StoredResult>>();
  private readonly running = new Map<string, Set<string>>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly runningChanged = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  readonly onDidChangeRunning = this.runningChanged.event;

  get(uri: vscode.Uri, key: string, rawText: string): VerifyOutcome | undefined {
    const stored = this.results.get(uri.toString())?.get(key);
    return stored && stored.rawText === rawText ? stored.outcome : undefined;
  }

  all(uri: vscode.Uri): ReadonlyMap<string, StoredResult> {
    return this.results.get(uri.toString()) ?? new Map<string, StoredResult>();
  }

  isRunning(uri: vscode.Uri, key: string): boolean {
    return this.running.get(uri.toString())?.has(key) ?? false;
  }

  begin(uri: vscode.Uri, key: string): void {
    const k = uri.toString();
    let set = this.running.get(k);
    if (!set) this.running.set(k, (set = new Set()));
    set.add(key);
    this.runningChanged.fire(uri);
  }

  /** Ends a run; a cancelled one keeps the previous outcome. */
  finish(uri: vscode.Uri, key: string, stored: StoredResult | undefined): void {
    const k = uri.toString();
    this.running.get(k)?.delete(key);
    if (stored) {
      let map = this.results.get(k);
      if (!map) this.results.set(k, (map = new Map<string, StoredResult>()));
      map.set(key, stored);
    }
    this.changed.fire(uri);
  }

  /**
   * Forgets the AWS results `which` picks, every one by default (their lens titles, hovers and verify-* problems): they
   * were got with credentials that are no longer the ones in use (another profile, changed files). A Vault result does
   * not depend on them and stays.
   */
  forgetAwsResults(which: (outcome: VerifyOutcome) => boolean = () => true): void {
    for (const [uri, map] of this.results) {
      let changed = false;
      for (const [key, stored] of map) {
        if (stored.outcome.store !== 'aws' || !which(stored.outcome)) continue;
        map.delete(key);
        changed = true;
      }
      if (changed) this.changed.fire(vscode.Uri.parse(uri));
    }
  }

  delete(uri: vscode.Uri): void {
    this.results.delete(uri.toString());
    this.running.delete(uri.toString());
  }

  dispose(): void {
    this.changed.dispose();
    this.runningChanged.dispose();
  }
}
