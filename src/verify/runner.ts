import * as vscode from 'vscode';
import { SecretReference } from '../core/rules/analysis';
import { VerifyOutcome } from '../core/verify/outcome';
import { runVerify } from '../core/engine/verifyEngine';
import { referenceIds } from '../core/engine/referenceId';
import { getSettings } from '../util/settings';
import { verifiableReferences, VerifyTarget } from '../core/verify/targets';
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
  /** The reference's identity in its document (core/engine/referenceId): the result store's key. */
  readonly id: string;
  readonly target: VerifyTarget;
  readonly rawText: string;
  readonly version: number;
  /** The whole setting (the lens goes at its start) and its value (diagnostics go there). */
  readonly range: vscode.Range;
  readonly valueRange: vscode.Range;
  /** Verified with values the user typed for a template's expressions: no problem on the template's line. */
  readonly typed?: boolean;
}

/** The document's verifiable references (core's rule), from one analysis lookup. */
export function editorVerifiables(document: vscode.TextDocument, cache: AnalysisCache): EditorVerifiable[] {
  const { analysis, lines } = cache.get(document);
  const ids = referenceIds(analysis.references);
  return verifiableReferences(analysis).map(({ reference, target }) =>
    editorVerifiable(document, analysis.text, lines, reference, target, ids.get(reference)!),
  );
}

/** One reference with its target (the file's, or one filled with typed values), and what the result store keeps. */
export function editorVerifiable(
  document: vscode.TextDocument,
  text: string,
  lines: LineIndex,
  reference: SecretReference,
  target: VerifyTarget,
  id: string,
): EditorVerifiable {
  return {
    document,
    reference,
    id,
    target,
    rawText: text.slice(reference.entry.start, reference.entry.end),
    version: document.version,
    range: toRange(lines, reference.entry.start, reference.entry.end),
    valueRange: toRange(lines, reference.span.start, reference.span.end),
  };
}

/** Drives any store through the shared engine (core/engine): consent first, then the verify, then one result per reference. */
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
    try {
      const results = await runVerify(
        items,
        (target, abort) => run.verify(target, abort),
        {
          concurrency,
          deadlineMs: getSettings().requestTimeoutMs,
          deadlineHint: 'raise encryptedProperties.aws.requestTimeoutMs',
          allowedHosts: this.gate.allowedHosts(),
          consent: (decision) => this.gate.consent(decision),
        },
        signal,
        {
          begin: (item) => this.results.begin(item.document.uri, item.id),
          end: (item, outcome) => {
            this.finish(item, outcome);
            if (outcome) onEach?.(outcome);
          },
        },
      );
      return results.map((r) => r.outcome);
    } finally {
      run.dispose();
    }
  }

  /** Records an outcome (a cancelled run keeps the previous one) and ends the running state, in one change. */
  finish(item: EditorVerifiable, outcome: VerifyOutcome | undefined): void {
    const keep = outcome && outcome.code !== 'cancelled';
    this.results.finish(
      item.document.uri,
      item.id,
      keep ? { outcome, rawText: item.rawText, version: item.version, range: item.valueRange, ...(item.typed ? { typed: true } : {}) } : undefined,
    );
  }
}
