import * as vscode from 'vscode';
import * as crypto from 'crypto';
import * as path from 'path';
import { iamPolicy } from '../core/verify/awsCommands';
import { VerifyOutcome } from '../core/verify/outcome';
import { Preflight } from '../core/verify/identity';
import { walkthroughDone } from '../walkthrough/progress';
import { filledTarget, targetName, templatedRuns } from '../core/verify/targets';
import { AnalysisCache, toRange } from '../documents/analysisCache';
import { allRegions, partitionOfRegion, regionInfo } from '../core/regions/regions';
import { pointerForKey } from '../core/stores/jsonPointer';
import { memberEdit } from '../core/edits/memberEdit';
import { SecretReference } from '../core/rules/analysis';
import { Disposable } from '../util/dispose';
import { log } from '../util/log';
import { Prompts } from '../util/prompts';
import { getSettings } from '../util/settings';
import type { SecretsVerifier } from '../aws';
import { newAwsVerifier } from './backends';
import { VerifyGate } from './gate';
import { VerifyPresentation } from './presentation';
import { ResultStore } from './resultStore';
import { EditorVerifiable, editorVerifiable, editorVerifiables, VerifyRunner } from './runner';
import { VaultTokenSource } from './vaultTokens';
import { referenceId } from '../core/engine/referenceId';
import { SecretName, SecretNameCache } from '../core/verify/secretNames';

/**
 * What the commands ask of verification: one reference (a lens, a command), every reference of some documents,
 * Copy value, the IAM policy. Verifies on explicit request only, through the gate (trust, consent), the runner (any
 * store) and the presentation (Problems, status bar, notifications).
 */
export class VerifyController extends Disposable {
  private readonly gate: VerifyGate;
  /** Values typed for templated references this session, by the template's text of them ({{ aws_region }}). */
  private readonly typed = new Map<string, string>();
  private readonly runner: VerifyRunner;
  private readonly names = new SecretNameCache((message) => log().warn(message));
  readonly presentation: VerifyPresentation;

  constructor(
    private readonly cache: AnalysisCache,
    readonly results: ResultStore,
    state: vscode.Memento,
    private readonly prompts: Prompts,
    secrets?: vscode.SecretStorage,
  ) {
    super();
    this.gate = new VerifyGate(state, prompts);
    this.runner = new VerifyRunner(this.gate, results, new VaultTokenSource(prompts, secrets));
    this.presentation = this.register(new VerifyPresentation(cache, results));
  }

  /** An AWS verifier for the wizard's own calls (listing secrets, reading keys, creating a secret). */
  newVerifier(): SecretsVerifier {
    return newAwsVerifier();
  }

  /**
   * The names of a region's secrets (the first 100; never values), for completion: listed at most once a minute per
   * profile and region (a completion asks on every keystroke); nothing in an untrusted workspace; none on failure (logged).
   */
  async listSecretNames(region: string): Promise<SecretName[]> {
    if (!this.gate.trusted()) return [];
    return this.names.list(getSettings().awsProfile, region, () => this.newVerifier());
  }

  /** Verifies one reference (CodeLens, command) and reports the outcome. */
  async verifyReference(document: vscode.TextDocument, key: string, at?: number): Promise<VerifyOutcome | undefined> {
    if (!this.gate.trusted()) return undefined;
    const item = this.itemFor(document, key, at);
    if (!item) {
      void vscode.window.showWarningMessage(`No valid secret reference for "${key}" in ${path.basename(document.uri.fsPath)}: fix its problems first.`);
      return undefined;
    }
    return this.verifyOne(item);
  }

  /** The verifiable reference of `key` (at the setting starting at `at`, when a file sets the key more than once). */
  private itemFor(document: vscode.TextDocument, key: string, at: number | undefined): EditorVerifiable | undefined {
    const items = editorVerifiables(document, this.cache).filter((r) => r.reference.key === key);
    return (at === undefined ? undefined : items.find((r) => r.reference.entry.start === at)) ?? items[0];
  }

  /** One verify with progress and cancellation, reported in the status bar and a notification. */
  private async verifyOne(item: EditorVerifiable): Promise<VerifyOutcome | undefined> {
    const [outcome] = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Verifying ${targetName(item.target)}…`, cancellable: true },
      (_progress, token) => this.runner.run([item], 1, abortOn(token)),
    );
    if (!outcome) return undefined;
    this.presentation.showSource([outcome]);
    this.markWalkthrough([outcome]);
    this.lookUpIdentity([outcome]);
    void this.presentation.notify(outcome, item.document, item.reference.key);
    return outcome;
  }

  /**
   * A reference a template fills in cannot be resolved as written: the user types the templated values (remembered for
   * this session, never stored), they go through the store's rules, and the filled reference is verified. The result
   * shows on the template's lens.
   */
  async verifyTemplated(document: vscode.TextDocument, key: string): Promise<VerifyOutcome | undefined> {
    if (!this.gate.trusted()) return undefined;
    const { analysis, lines } = this.cache.get(document);
    const reference = analysis.references.find((r) => r.key === key && r.templated && r.valid);
    if (!reference) return undefined;
    // One prompt per template expression ({{ env }} in "bitbucket/{{ env }}/db": the value of {{ env }}, not the whole
    // secretId), asked once however often it appears; the typed value is put where the expression is.
    const values: Record<string, string> = {};
    const asked = new Map<string, string>();
    for (const { key, runs, fill } of templatedRuns(reference)) {
      const typedRuns: string[] = [];
      for (const run of runs) {
        const source = document.getText(
          toRange(
            lines,
            reference.entry.valueMap.startOf(reference.payloadOffset + run.from),
            reference.entry.valueMap.startOf(reference.payloadOffset + run.to),
          ),
        );
        let typed = asked.get(source);
        if (typed === undefined) {
          typed = await this.prompts.input(`Value of ${source} in "${key}" for this check (kept for this session only)`, this.typed.get(source));
          if (typed === undefined) return undefined;
          this.typed.set(source, typed);
          asked.set(source, typed);
        }
        typedRuns.push(typed);
      }
      values[key] = fill(typedRuns);
    }
    const filled = filledTarget(reference, values);
    if ('problem' in filled) {
      void vscode.window.showWarningMessage(`Not verified: ${filled.problem}`);
      return undefined;
    }
    // Its result shows in the lens and a message, not as a problem of the template's line (the values were typed).
    return this.verifyOne({
      ...editorVerifiable(document, analysis.text, lines, reference, filled.target, referenceId(analysis.references, reference)),
      typed: true,
    });
  }

  /** Verifies every reference of the documents, with bounded concurrency, progress and cancellation. */
  async verifyAll(documents: readonly vscode.TextDocument[]): Promise<VerifyOutcome[]> {
    if (!this.gate.trusted()) return [];
    const items = documents.flatMap((d) => editorVerifiables(d, this.cache));
    // What cannot be tried is said, not silently left out: references with errors, and templated ones.
    const skipped = documents.flatMap((d) =>
      this.cache
        .get(d)
        .analysis.references.filter((r) => (r.store === 'aws' || r.store === 'vault') && (!r.valid || r.templated))
        .map((r) => ({ key: r.key, why: r.valid ? ('templated' as const) : ('errors' as const) })),
    );
    if (items.length === 0) {
      void vscode.window.showInformationMessage(
        skipped.length === 0
          ? 'No secret references to verify.'
          : `No secret reference can be verified as written: ${skipped.map((s) => `${s.key} (${s.why === 'errors' ? 'has errors' : 'templated'})`).join(', ')}.`,
      );
      return [];
    }
    const outcomes = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Verifying secrets', cancellable: true },
      (progress, token) => {
        let done = 0;
        return this.runner.run(items, getSettings().verifyConcurrency, abortOn(token), () =>
          progress.report({ increment: 100 / items.length, message: `${++done}/${items.length}` }),
        );
      },
    );
    this.presentation.summarize(outcomes, items.length, skipped);
    this.markWalkthrough(outcomes);
    this.lookUpIdentity(outcomes);
    return outcomes;
  }

  /** Resolves the credentials and asks STS who they are: the wizard's first step. The status bar shows the answer. */
  async preflight(verifier: SecretsVerifier, region: string | undefined): Promise<Preflight> {
    const result = await verifier.preflight(region);
    this.presentation.showPreflight(result);
    if (result.ok) walkthroughDone('authenticate');
    return result;
  }

  /** The walkthrough steps a resolved AWS reference proves done: the secret exists, credentials work, it resolves. */
  private markWalkthrough(outcomes: readonly VerifyOutcome[]): void {
    if (outcomes.some((o) => o.store === 'aws' && o.code === 'ok'))
      for (const step of ['createSecret', 'authenticate', 'confirm'] as const) walkthroughDone(step);
  }

  /**
   * After a verify with credentials whose identity is not known yet, asks STS once (in the background: the result is
   * already shown), so that the status bar and the hover say who verified, not only where the credentials came from.
   */
  private lookUpIdentity(outcomes: readonly VerifyOutcome[]): void {
    const aws = outcomes.find((o) => o.store === 'aws' && o.credentialSource !== undefined);
    if (aws?.store !== 'aws' || !this.presentation.needsIdentity(aws.credentialSource)) return;
    const verifier = newAwsVerifier();
    void verifier
      .preflight(aws.region)
      .then((result) => {
        if (result.ok && result.source === aws.credentialSource) this.presentation.showPreflight(result);
      })
      .finally(() => verifier.dispose());
  }

  /**
   * The fix for a pointer to a key the secret lacks: the secret's keys (read in the AWS module, values dropped there)
   * to pick from; the pick is written into the reference as one undoable edit and verified again.
   */
  async pickSecretKey(document: vscode.TextDocument, key: string, at?: number): Promise<string | undefined> {
    const item = this.itemFor(document, key, at);
    if (!item || item.target.store !== 'aws' || !this.gate.trusted()) return undefined;
    const allowed = await this.gate.allowedTarget(item.target);
    if (allowed?.store !== 'aws') return undefined;
    const { region, secretId, endpointOverride } = allowed;
    const verifier = newAwsVerifier();
    let keys: string[] | undefined;
    try {
      keys = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading the keys of ${secretId}…` }, () =>
        verifier.secretKeys(region, secretId, endpointOverride),
      );
    } catch (error) {
      void vscode.window.showErrorMessage(`Could not read the keys of ${secretId}: ${(error as Error).name}. Verify it to see why.`);
      return undefined;
    } finally {
      verifier.dispose();
    }
    if (!keys || keys.length === 0) {
      void vscode.window.showWarningMessage(`${secretId} is not key/value JSON: remove the pointer to read the whole secret.`);
      return undefined;
    }
    const picked = await this.prompts.pick(
      `Which key of ${secretId} holds the password? (keys only; values are never shown)`,
      keys.map((k) => ({ label: k, description: pointerForKey(k) })),
    );
    if (picked === undefined) return undefined;
    const pointer = pointerForKey(picked);
    return (await this.editMember(document, item.reference, 'secretPointer', pointer)) ? pointer : undefined;
  }

  /**
   * The fix for a secret name not found in the reference's region: looks for it in the other regions of the partition
   * (DescribeSecret, metadata only) and writes the region picked, then verifies again.
   */
  async findSecretRegion(document: vscode.TextDocument, key: string, at?: number): Promise<string | undefined> {
    const item = this.itemFor(document, key, at);
    if (!item || item.target.store !== 'aws' || !this.gate.trusted()) return undefined;
    const { region, secretId } = item.target;
    const partition = partitionOfRegion(region)?.id ?? 'aws';
    const regions = allRegions()
      .filter((r) => r.partition === partition && r.id !== region)
      .map((r) => r.id);
    const verifier = newAwsVerifier();
    let found: string[];
    try {
      found = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Looking for ${secretId} in ${regions.length} other regions…`, cancellable: true },
        (_progress, token) => verifier.regionsHolding(secretId, regions, abortOn(token)),
      );
    } finally {
      verifier.dispose();
    }
    if (found.length === 0) {
      void vscode.window.showWarningMessage(
        `No secret "${secretId}" that these credentials can see in any of the ${regions.length + 1} regions of ${partition}: check the name.`,
      );
      return undefined;
    }
    const picked = await this.prompts.pick(
      `${secretId} exists in ${found.length === 1 ? 'this region' : 'these regions'}: set "region" to…`,
      found.map((r) => ({ label: r, description: regionInfo(r)?.name })),
    );
    if (picked === undefined) return undefined;
    return (await this.editMember(document, item.reference, 'region', picked)) ? picked : undefined;
  }

  /** One undoable edit of a key of the reference's JSON, in the file's escaping, then a verify of the result. */
  private async editMember(document: vscode.TextDocument, reference: SecretReference, member: string, value: string): Promise<boolean> {
    const { analysis, lines } = this.cache.get(document);
    const edits = memberEdit(reference, analysis.kind.format, member, value);
    if (!edits) return false;
    const edit = new vscode.WorkspaceEdit();
    for (const e of edits) edit.replace(document.uri, toRange(lines, e.start, e.end), e.newText);
    if (!(await vscode.workspace.applyEdit(edit))) return false;
    // The edit is inside the value: the setting still starts where it did.
    await this.verifyReference(document, reference.key, reference.entry.start);
    return true;
  }

  /** The least-privilege policy for an AWS reference, using the ARN and KMS key from the last verify when known. */
  policyFor(document: vscode.TextDocument, key: string, at?: number): string | undefined {
    const item = this.itemFor(document, key, at);
    if (item?.target.store !== 'aws') return undefined;
    const { region, secretId } = item.target;
    const last = this.results.get(document.uri, item.id, item.rawText);
    const metadata = last?.store === 'aws' ? last.metadata : undefined;
    return iamPolicy({ region, secretId, arn: metadata?.arn, kmsKeyId: metadata?.kmsKeyId, partition: partitionOfRegion(region)?.id });
  }

  /**
   * "Copy value": asks first (modal), reads the value through the store's backend, copies it, and clears the
   * clipboard after `clearAfterMs` if it still holds it. The value lives only in this call: the outcome recorded has
   * none, and the clearing timer compares a SHA-256 digest, not the value.
   */
  async copyValue(document: vscode.TextDocument, key: string, clearAfterMs = 60_000, at?: number): Promise<boolean> {
    if (!this.gate.trusted()) return false;
    const item = this.itemFor(document, key, at);
    if (!item) return false;
    const name = targetName(item.target);
    const seconds = Math.round(clearAfterMs / 1000);
    const confirmed = await this.prompts.confirm(
      `Copy the secret value of ${name} to the clipboard?`,
      `Anything that can read your clipboard can read it. It is cleared after ${seconds} seconds if still there.`,
      'Copy to Clipboard',
    );
    const allowed = confirmed ? await this.gate.allowedTarget(item.target) : undefined;
    if (!allowed) return false;
    const run = this.runner.newRun();
    let read: { readonly outcome: VerifyOutcome; readonly value?: string } | undefined;
    this.results.begin(document.uri, item.id);
    try {
      read = await run.readValue(allowed);
    } finally {
      this.runner.finish(item, read?.outcome);
      run.dispose();
    }
    if (read.outcome.code !== 'ok' || read.value === undefined) {
      void vscode.window.showErrorMessage(`${name}: ${read.outcome.message}`);
      return false;
    }
    await vscode.env.clipboard.writeText(read.value);
    const digest = sha256(read.value);
    log().info(`${name}: value copied to the clipboard (cleared in ${seconds} s)`);
    setTimeout(() => {
      void vscode.env.clipboard.readText().then((current) => {
        if (sha256(current) === digest) void vscode.env.clipboard.writeText('');
      });
    }, clearAfterMs);
    void vscode.window.setStatusBarMessage(`$(check) Secret value copied; clipboard clears in ${seconds} s`, 5000);
    return true;
  }
}

function abortOn(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}
