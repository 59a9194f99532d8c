/**
 * Verify in the language server: the shared engine (core/engine) over the standalone backends (credentials from the
 * server's environment or the configured profile; Vault's token from the environment). Off unless the client's
 * settings turn it on; nothing is sent before the user runs the command. Results are kept per (document, reference
 * identity) while the reference's text is unchanged, and are shown as `verify-*` diagnostics, lens titles and a
 * message: outcomes only, never a value.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type * as AwsModule from '../aws';
import { referenceIds } from '../core/engine/referenceId';
import { hostSet } from '../core/engine/endpointPolicy';
import { runVerify } from '../core/engine/verifyEngine';
import type { EndpointDecision } from '../core/engine/endpointPolicy';
import { VerifyOutcome } from '../core/verify/outcome';
import { targetName, verifiableReferences, Verifiable } from '../core/verify/targets';
import { standaloneBackends } from '../standalone/verifyBackends';
import type { Analyzed } from './documents';
import type { ServerSettings } from './settings';

interface Stored {
  readonly outcome: VerifyOutcome;
  readonly rawText: string;
}

export interface VerifyHost {
  readonly loadAws: () => typeof AwsModule;
  /** Asks the user whether an endpoint nobody allowed may get the credentials (window/showMessageRequest). */
  readonly consent: (decision: EndpointDecision & { kind: 'ask' }) => Promise<boolean>;
  readonly log: (level: 'trace' | 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

/** A reference of the document with its identity and the text its result is valid for. */
export interface Identified extends Verifiable {
  readonly id: string;
  readonly rawText: string;
}

export function identified(analyzed: Analyzed): Identified[] {
  const { analysis } = analyzed;
  const ids = referenceIds(analysis.references);
  return verifiableReferences(analysis).map((v) => ({
    ...v,
    id: ids.get(v.reference)!,
    rawText: analysis.text.slice(v.reference.entry.start, v.reference.entry.end),
  }));
}

export class VerifyResults {
  private readonly results = new Map<string, Map<string, Stored>>();
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly host: VerifyHost) {}

  /** The last outcome of a reference, while its text is what was verified. */
  get(uri: string, item: Identified): VerifyOutcome | undefined {
    const stored = this.results.get(uri)?.get(item.id);
    return stored && stored.rawText === item.rawText ? stored.outcome : undefined;
  }

  forget(uri: string): void {
    this.results.delete(uri);
  }

  /** Verifies `items` of `document`; the outcomes are stored and returned in document order. */
  async verify(
    document: TextDocument,
    items: readonly Identified[],
    settings: ServerSettings,
    signal: AbortSignal,
  ): Promise<Array<{ item: Identified; outcome: VerifyOutcome }>> {
    const run = standaloneBackends({
      loadAws: this.host.loadAws,
      profile: settings.awsProfile,
      timeoutMs: settings.requestTimeoutMs,
      timeoutHint: 'raise encryptedProperties.aws.requestTimeoutMs',
      profileHint: 'set encryptedProperties.aws.profile',
      log: this.host.log,
    });
    const controller = new AbortController();
    const cancel = () => controller.abort(signal.reason);
    signal.addEventListener('abort', cancel, { once: true });
    const key = document.uri;
    this.running.get(key)?.abort();
    this.running.set(key, controller);
    try {
      const results = await runVerify(
        items.map((item) => ({ target: item.target, item })),
        run.verify,
        {
          concurrency: settings.concurrency,
          deadlineMs: settings.requestTimeoutMs,
          deadlineHint: 'raise encryptedProperties.aws.requestTimeoutMs',
          allowedHosts: hostSet(settings.allowedEndpointHosts),
          consent: this.host.consent,
        },
        controller.signal,
      );
      let stored = this.results.get(key);
      if (!stored) this.results.set(key, (stored = new Map<string, Stored>()));
      for (const { job, outcome } of results) {
        // A cancelled run keeps the previous outcome.
        if (outcome.code !== 'cancelled') stored.set(job.item.id, { outcome, rawText: job.item.rawText });
        this.host.log(outcome.code === 'ok' ? 'info' : 'warn', `verify ${targetName(job.target)}: ${outcome.code}`);
      }
      const order = new Map(items.map((item, i) => [item.id, i]));
      return results.map((r) => ({ item: r.job.item, outcome: r.outcome })).sort((a, b) => order.get(a.item.id)! - order.get(b.item.id)!);
    } finally {
      signal.removeEventListener('abort', cancel);
      if (this.running.get(key) === controller) this.running.delete(key);
      run.dispose();
    }
  }

  /** Stops every verify in progress (shutdown). */
  cancelAll(): void {
    for (const controller of this.running.values()) controller.abort();
    this.running.clear();
  }
}
