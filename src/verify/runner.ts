import * as vscode from 'vscode';
import { SecretReference } from '../core/rules/analysis';
import { declinedOutcome, VerifyOutcome } from '../core/verify/outcome';
import { verifiableReferences, VerifyTarget } from '../core/verify/targets';
import { pool } from '../core/util/pool';
import { AnalysisCache, toRange } from '../documents/analysisCache';
import { LineIndex } from '../core/text/lineIndex';
import { VerifyRun } from './backends';
import { VerifyGate } from './gate';
import { ResultStore } from './resultStore';
import { VaultTokenSource } from './vaultTokens';

/** A reference of an open document that can be verified, with what the result store keeps to match it later. */
export interface EditorVerifiable {
  readonly document: vscode.TextDocument;
  readonly reference: SecretReference;
  readonly target: VerifyTarget;
  readonly rawText: string;
  readonly version: number;
  /** The whole setting (the lens goes at its start) and its value (diagnostics go there). */
  readonly range: vscode.Range;
  readonly valueRange: vscode.Range;
}

/** The document's verifiable references (core's rule), from one analysis lookup. */
export function editorVerifiables(document: vscode.TextDocument, cache: AnalysisCache): EditorVerifiable[] {
  const { analysis, lines } = cache.get(document);
  return verifiableReferences(analysis).map(({ reference, target }) => editorVerifiable(document, analysis.text, lines, reference, target));
}

/** One reference with its target (the file's, or one filled with typed values), and what the result store keeps. */
export function editorVerifiable(
  document: vscode.TextDocument,
  text: string,
  lines: LineIndex,
  reference: SecretReference,
  target: VerifyTarget,
): EditorVerifiable {
  return {
    document,
    reference,
    target,
    rawText: text.slice(reference.entry.start, reference.entry.end),
    version: document.version,
    range: toRange(lines, reference.entry.start, reference.entry.end),
    valueRange: toRange(lines, reference.span.start, reference.span.end),
  };
}

/** Drives any store through its backend: consent first, then the verify, then one result per reference. */
export class VerifyRunner {
  constructor(
    private readonly gate: VerifyGate,
    private readonly results: ResultStore,
    private readonly tokens: VaultTokenSource,
  ) {}

  newRun(): VerifyRun {
    return new VerifyRun(this.tokens);
  }

  /** Verifies the items, `concurrency` at a time; stops starting new ones once cancelled. */
  async run(items: readonly EditorVerifiable[], concurrency: number, signal: AbortSignal, onEach?: (outcome: VerifyOutcome) => void): Promise<VerifyOutcome[]> {
    const run = this.newRun();
    const outcomes: VerifyOutcome[] = [];
    try {
      await pool(
        items,
        concurrency,
        async (item) => {
          const outcome = await this.one(item, run, signal);
          outcomes.push(outcome);
          onEach?.(outcome);
        },
        () => signal.aborted,
      );
    } finally {
      run.dispose();
    }
    return outcomes;
  }

  private async one(item: EditorVerifiable, run: VerifyRun, signal: AbortSignal): Promise<VerifyOutcome> {
    const { document, reference } = item;
    this.results.begin(document.uri, reference.key);
    let outcome: VerifyOutcome | undefined;
    try {
      const declined = await this.gate.declined(item.target);
      outcome = declined !== undefined ? declinedOutcome(item.target, declined) : await run.verify(item.target, signal);
      return outcome;
    } finally {
      this.finish(item, outcome);
    }
  }

  /** Records an outcome (a cancelled run keeps the previous one) and ends the running state, in one change. */
  finish(item: EditorVerifiable, outcome: VerifyOutcome | undefined): void {
    const keep = outcome && outcome.code !== 'cancelled';
    this.results.finish(
      item.document.uri,
      item.reference.key,
      keep ? { outcome, rawText: item.rawText, version: item.version, range: item.valueRange } : undefined,
    );
  }
}
