/**
 * `encprops verify`: every verifiable reference resolved through the shared verify engine (core/engine), with the
 * same endpoint policy as the editor; a host nobody allowed is declined here (the CLI never asks) and the message
 * names the option that allows it.
 */
import { existsSync } from 'fs';
import { analyzeFile } from '../../core/analyzeFile';
import { SecretReference, awsOf, errorsOf } from '../../core/rules/analysis';
import { LineIndex } from '../../core/text/lineIndex';
import { escapeControls, escapeJsonControls, withoutUserinfo } from '../../core/text/terminal';
import { isVerifiableStore, vaultSecretName, VerifyTarget, verifyTargetOf } from '../../core/verify/targets';
import { VerifyOutcome } from '../../core/verify/outcome';
import { hostSet } from '../../core/engine/endpointPolicy';
import { runVerify } from '../../core/engine/verifyEngine';
import { standaloneBackends } from '../../standalone/verifyBackends';
import { awsConfigFiles, readAwsProfiles } from '../../files/awsConfig';
import { Io, KIND_OPTIONS, kindOptions, noProductFile, processIo, productFiles } from '../files';
import { integerOption, OptionSpec, parseArgs, UsageError } from '../options';

/** One row of `encprops verify --format json` (a stable contract, version 1). */
export interface VerifyRow {
  path: string;
  line: number;
  key: string;
  store: string;
  /** Vault only. */
  endpoint?: string;
  region?: string;
  secretId?: string;
  secretPointer?: string;
  code: string;
  message: string;
  credentialSource?: string;
  valueLength?: number;
}

/** `encprops verify --format json`. */
export interface VerifyReport {
  readonly version: 1;
  readonly results: readonly VerifyRow[];
}

const MAX_TIMEOUT_MS = 600_000;

const OPTIONS: readonly OptionSpec[] = [
  { name: 'format', alias: 'f', kind: 'value', choices: ['text', 'json'] },
  { name: 'profile', kind: 'value' },
  { name: 'concurrency', kind: 'value' },
  { name: 'timeout', kind: 'value' },
  { name: 'allow-endpoint', kind: 'list' },
  ...KIND_OPTIONS,
];

/** What a verify row shows of a reference, as far as it parsed: AWS region and secret id; Vault endpoint, mount/path and key. */
function referenceColumns(r: SecretReference): Pick<VerifyRow, 'region' | 'endpoint' | 'secretId' | 'secretPointer'> {
  if (r.store === 'vault') {
    const v = r.vault;
    return {
      ...(v?.endpoint ? { endpoint: withoutUserinfo(v.endpoint) } : {}),
      ...(v?.mount && v.path ? { secretId: vaultSecretName(v.mount, v.path) } : {}),
      ...(v?.key !== undefined ? { secretPointer: v.key } : {}),
    };
  }
  const aws = awsOf(r);
  return {
    ...(aws?.region !== undefined ? { region: aws.region } : {}),
    ...(aws?.secretId !== undefined ? { secretId: aws.secretId } : {}),
    ...(aws?.secretPointer !== undefined ? { secretPointer: aws.secretPointer } : {}),
  };
}

/** Why a reference was not tried: its errors, named (the first two), and what fixes them. */
function notTried(analysis: ReturnType<typeof analyzeFile>, r: SecretReference): string {
  const errors = errorsOf(analysis, r);
  if (errors.length === 0) return 'Not tried: the reference is incomplete; run encprops check.';
  const named = errors.slice(0, 2).map((f) => `[${f.code}] ${f.message}`);
  return `Not tried, the reference has ${errors.length} error(s): ${named.join(' ')}${errors.length > 2 ? ' …' : ''} (encprops check --fix corrects what it can).`;
}

interface Job {
  readonly row: VerifyRow;
  readonly target: VerifyTarget;
}

/** The rows of every verifiable reference, and the jobs for those that can be resolved; undefined after an error. */
async function collect(targets: readonly string[], io: Io, parsed: ReturnType<typeof parseArgs>) {
  const rows: VerifyRow[] = [];
  const jobs: Job[] = [];
  let relevant = 0;
  for await (const found of productFiles(targets, io, kindOptions(parsed))) {
    if (found === 'error') return undefined;
    const analysis = analyzeFile(found.text, { kind: found.kind, fileExists: existsSync, encoding: found.encoding });
    if (analysis.relevant) relevant++;
    const lines = new LineIndex(found.text);
    for (const r of analysis.references) {
      if (!isVerifiableStore(r)) continue;
      const row: VerifyRow = {
        path: found.file,
        line: lines.positionAt(r.entry.start).line + 1,
        key: r.key,
        store: r.store,
        ...referenceColumns(r),
        code: 'invalid-reference',
        message: notTried(analysis, r),
      };
      rows.push(row);
      if (r.templated && r.valid) {
        row.code = 'templated';
        row.message = 'A template fills in this reference, so it cannot be resolved as written: verify the rendered file.';
        continue;
      }
      const target = verifyTargetOf(r);
      if (target) jobs.push({ row, target });
    }
  }
  return { rows, jobs, relevant };
}

function fill(row: VerifyRow, outcome: VerifyOutcome): void {
  row.code = outcome.code;
  row.message = outcome.message;
  if (outcome.store === 'aws' && outcome.credentialSource) row.credentialSource = outcome.credentialSource;
  if (outcome.valueLength !== undefined) row.valueLength = outcome.valueLength;
}

function printText(io: Io, rows: readonly VerifyRow[]): void {
  const e = escapeControls;
  for (const r of rows) {
    const where = r.store === 'vault' ? (r.endpoint ?? '?') : (r.region ?? '?');
    const status = r.code === 'ok' ? 'ok' : r.code === 'templated' ? 'SKIP' : 'FAIL';
    const secret = r.code === 'templated' ? 'templated' : `${e(r.secretId ?? '?')} (${e(where)})`;
    io.stdout(`${e(r.path)}:${r.line}: ${status} [${r.code}] ${e(r.key)} → ${secret}: ${e(r.message)}\n`);
  }
  const ok = rows.filter((r) => r.code === 'ok').length;
  const skipped = rows.filter((r) => r.code === 'templated').length;
  const source = rows.find((r) => r.credentialSource)?.credentialSource;
  io.stdout(
    `${rows.length} reference(s): ${ok} resolved, ${rows.length - ok - skipped} failed${skipped ? `, ${skipped} templated (not resolvable here)` : ''}${source ? ` (credentials: ${e(source)})` : ''}\n`,
  );
}

export async function verify(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseArgs(args, OPTIONS);
  const format = parsed.values.get('format') ?? 'text';
  const concurrency = integerOption(parsed, 'concurrency', 4, 1, 64, '--concurrency must be an integer from 1 to 64');
  const timeout = integerOption(
    parsed,
    'timeout',
    10_000,
    1,
    MAX_TIMEOUT_MS,
    `--timeout must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (10 minutes)`,
  );
  const targets = parsed.positionals;
  if (targets.length === 0) throw new UsageError('verify needs at least one file or folder');
  const allowedHosts = hostSet([...(process.env.ENCPROPS_ALLOW_ENDPOINTS ?? '').split(','), ...(parsed.lists.get('allow-endpoint') ?? [])]);

  // A profile that does not exist is a usage error naming it, not "no credentials".
  const profile = parsed.values.get('profile');
  if (profile !== undefined && !readAwsProfiles().some((p) => p.name === profile)) {
    throw new UsageError(`no AWS profile "${profile}" in the shared files (${awsConfigFiles().config}, ${awsConfigFiles().credentials})`);
  }
  const collected = await collect(targets, io, parsed);
  if (!collected) return 2;
  if (collected.relevant === 0) return noProductFile(io, targets);
  const run = standaloneBackends({
    loadAws: io.loadAws ?? processIo.loadAws!,
    profile: parsed.values.get('profile'),
    timeoutMs: timeout,
    timeoutHint: 'raise --timeout',
    profileHint: 'pass --profile NAME',
  });
  try {
    const results = await runVerify(collected.jobs, run.verify, {
      concurrency,
      deadlineMs: timeout,
      deadlineHint: 'raise --timeout',
      allowedHosts,
    });
    for (const { job, outcome, declined } of results) {
      fill(job.row, outcome);
      if (declined) {
        job.row.message = `Not verified: ${declined.what} would go to ${declined.endpoint}, named by the file. Allow it with --allow-endpoint ${declined.host} (or ENCPROPS_ALLOW_ENDPOINTS) if you trust it.`;
      }
    }
  } finally {
    run.dispose();
  }
  const rows = collected.rows;
  if (format === 'json') io.stdout(escapeJsonControls(JSON.stringify({ version: 1, results: rows } satisfies VerifyReport, null, 2)) + '\n');
  else printText(io, rows);
  // A templated reference cannot be resolved before rendering: reported, not a failure.
  return rows.every((r) => r.code === 'ok' || r.code === 'templated') ? 0 : 1;
}
