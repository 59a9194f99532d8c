/**
 * The one verify engine, for the editor and for `encprops verify` alike: the endpoint decision before anything is
 * sent, concurrency, cancellation, and one deadline per reference (a backend that never answers still ends). The
 * backends (AWS, Vault) and the consent question are given by the front end; nothing here imports vscode or an SDK.
 */
import { VerifyTarget } from '../verify/targets';
import { declinedOutcome, targetOutcome, VerifyOutcome } from '../verify/outcome';
import { pool } from '../util/pool';
import { decideEndpoint, EndpointDecision } from './endpointPolicy';
import { DeadlineExceeded, isDeadline } from './deadline';
import { DeadlineQueue } from './deadlineQueue';

export interface VerifyJob {
  readonly target: VerifyTarget;
}

/** What a verify of one target gives; the signal aborts it (cancellation or the deadline). */
export type VerifyBackend = (target: VerifyTarget, signal: AbortSignal) => Promise<VerifyOutcome>;

export interface EngineOptions {
  readonly concurrency: number;
  /** The most one reference may take, every attempt included; past it the outcome is a timeout. */
  readonly deadlineMs: number;
  /** Hosts an endpoint may be without asking (besides AWS's own domains for AWS requests). */
  readonly allowedHosts: ReadonlySet<string>;
  /** The front end's answer for a host nobody allowed yet; without it (the CLI), such a host is declined. */
  readonly consent?: (decision: EndpointDecision & { kind: 'ask' }) => Promise<boolean>;
  /** How to raise the deadline where the user is (a setting, a CLI option). */
  readonly deadlineHint?: string;
}

export interface EngineHooks<J extends VerifyJob> {
  /** A job starts (after consent): the lens spinner. */
  readonly begin?: (job: J) => void;
  /** A job ends, with its outcome (undefined: it never started, or threw). */
  readonly end?: (job: J, outcome: VerifyOutcome | undefined, decision?: EndpointDecision) => void;
}

export interface EngineResult<J extends VerifyJob> {
  readonly job: J;
  readonly outcome: VerifyOutcome;
  /** Set when the endpoint was not allowed: what would have been sent where. */
  readonly declined?: Exclude<EndpointDecision, { kind: 'allowed' }>;
}

/** Runs the jobs, `concurrency` at a time, in order of completion; stops starting new ones once `signal` aborts. */
export async function runVerify<J extends VerifyJob>(
  jobs: readonly J[],
  backend: VerifyBackend,
  options: EngineOptions,
  signal: AbortSignal = new AbortController().signal,
  hooks: EngineHooks<J> = {},
): Promise<EngineResult<J>[]> {
  const results: EngineResult<J>[] = [];
  const deadlines = new DeadlineQueue(options.deadlineMs);
  try {
    await pool(
      jobs,
      options.concurrency,
      async (job) => {
        let outcome: VerifyOutcome | undefined;
        let declined: EngineResult<J>['declined'];
        try {
          const decision = decideEndpoint(job.target, options.allowedHosts);
          if (decision.kind !== 'allowed' && !(await consented(decision, options))) declined = decision;
          hooks.begin?.(job);
          // The request is built from the decision's target: its endpoint as the policy parsed and approved it.
          const target = decision.kind === 'declined' ? job.target : decision.target;
          outcome = declined ? declinedOutcome(job.target, declined.endpoint) : await withDeadline(target, backend, options, signal, deadlines);
          results.push(declined ? { job, outcome, declined } : { job, outcome });
        } finally {
          hooks.end?.(job, outcome, declined);
        }
      },
      () => signal.aborted,
    );
  } finally {
    deadlines.close();
  }
  return results;
}

async function consented(decision: Exclude<EndpointDecision, { kind: 'allowed' }>, options: EngineOptions): Promise<boolean> {
  return decision.kind === 'ask' && options.consent !== undefined && (await options.consent(decision));
}

/** How long a backend that ignores its aborted signal is waited for past the deadline, for its own message. */
const GRACE_MS = 1000;

/**
 * One verify within the deadline: the backend's signal aborts at the deadline (reason: DeadlineExceeded) or on
 * cancellation; a backend that ignores it is not awaited more than a grace period past the deadline. One promise and
 * one controller linked by a listener a reference, the deadline kept by the pass's queue: AbortSignal.any costs ~12 µs
 * a call, a timer ~14 µs and Promise.race a promise more, against ~15 µs of our own work in a local verify.
 */
function withDeadline(
  target: VerifyTarget,
  backend: VerifyBackend,
  options: EngineOptions,
  signal: AbortSignal,
  deadlines: DeadlineQueue,
): Promise<VerifyOutcome> {
  const controller = new AbortController();
  const cancel = () => controller.abort(signal.reason);
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', cancel, { once: true });
  return new Promise<VerifyOutcome>((resolve, reject) => {
    let grace: NodeJS.Timeout | undefined;
    let done = false;
    const deadline = deadlines.add(() => {
      controller.abort(new DeadlineExceeded(options.deadlineMs));
      if (!done) grace = setTimeout(() => finish(undefined), GRACE_MS);
    });
    const settle = () => {
      if (done) return false;
      done = true;
      deadline.cancel();
      clearTimeout(grace);
      signal.removeEventListener('abort', cancel);
      return true;
    };
    const finish = (outcome: VerifyOutcome | undefined) => {
      if (!settle()) return;
      const timedOut = controller.signal.aborted && isDeadline(controller.signal.reason);
      if (outcome !== undefined && !(timedOut && outcome.code === 'cancelled')) return resolve(outcome);
      const hint = options.deadlineHint ? `, or ${options.deadlineHint}` : '';
      resolve(targetOutcome(target, 'timeout', `No complete answer within ${options.deadlineMs} ms. Check the network path (proxy, VPC endpoint)${hint}.`));
    };
    const failed = (error: unknown) => {
      if (settle()) reject(error instanceof Error ? error : new Error(String(error)));
    };
    try {
      backend(target, controller.signal).then(finish, failed);
    } catch (error) {
      failed(error); // a backend that throws before it returns a promise
    }
  });
}
