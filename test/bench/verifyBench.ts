/** Verify throughput against the local Secrets Manager: concurrency 4 vs 1, and our overhead over a bare SDK loop. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ChildProcess, spawn } from 'child_process';
import * as http from 'http';
import { SecretsVerifier } from '../../src/aws/verifier';
import { pool } from '../../src/core/util/pool';
import { hostSet } from '../../src/core/engine/endpointPolicy';
import { runVerify } from '../../src/core/engine/verifyEngine';
import { LocalSecretsManager } from '../support/localSecretsManager';

export interface VerifyBenchResult {
  readonly sequentialMs: number;
  readonly concurrentMs: number;
  readonly speedup: number;
  readonly oursPerCallMs: number;
  readonly bareSdkPerCallMs: number;
  readonly overhead: number;
}

/** The local Secrets Manager in a child process, seeded; its endpoint. */
async function separateServer(secrets: readonly { name: string; secretString: string }[]): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, [require.resolve('../support/localSecretsManager')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the local Secrets Manager exited (${code})`)));
    child.stdout.setEncoding('utf8').once('data', (line: string) => resolve(line.trim()));
  });
  const response = await fetch(`${endpoint}/__admin/seed`, { method: 'POST', body: JSON.stringify({ secrets }) });
  if (!response.ok) throw new Error(`seeding the local Secrets Manager failed: ${response.status}`);
  return { child, endpoint };
}

export async function runVerifyBench(): Promise<{ result: VerifyBenchResult; failures: string[] }> {
  const server = await new LocalSecretsManager().start();
  const saved = { ...process.env };
  Object.assign(process.env, server.env(), { AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' });
  try {
    const refs = Array.from({ length: 100 }, (_, i) => {
      server.seed({ name: `bench/s${i}`, secretString: JSON.stringify({ password: `p${i}` }) });
      return { region: 'ap-southeast-2', secretId: `bench/s${i}`, secretPointer: '/password', describe: false };
    });
    const run = async (concurrency: number) => {
      const verifier = new SecretsVerifier({ requestTimeoutMs: 10_000, imdsTimeoutMs: 200 });
      await verifier.verify(refs[0]); // resolve credentials and open the connection first
      const started = process.hrtime.bigint();
      let failures = 0;
      await pool(refs, concurrency, async (r) => {
        if ((await verifier.verify(r)).code !== 'ok') failures++;
      });
      verifier.dispose();
      if (failures) throw new Error(`${failures} verifications failed in the benchmark`);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    server.faults = { latencyMs: 50 };
    const sequentialMs = await run(1);
    const concurrentMs = await run(4);

    // Overhead: sequential calls without injected latency, ours versus a bare SDK client doing the same request, to a
    // server in a process of its own (as every real endpoint is: in this process it would share the event loop, and
    // its own time would count as ours).
    const remote = await separateServer(refs.map((r, i) => ({ name: r.secretId, secretString: JSON.stringify({ password: `p${i}` }) })));
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = remote.endpoint;
    const ours = new SecretsVerifier({ requestTimeoutMs: 10_000, imdsTimeoutMs: 200 });
    const bare = new SecretsManagerClient({
      region: 'ap-southeast-2',
      requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true }) }),
    });
    // Rounds alternate between the two, so that warm-up, garbage collection and a busy neighbour weigh on both
    // alike; each side's figure is its median round. A round is one loop over 30 references: the bare SDK's is 30
    // sequential GetSecretValue calls; ours is what `encprops verify` and the editor run for a file of 30 references,
    // one pass of the shared engine (endpoint policy, one deadline per reference, the pool) over the AWS module.
    const perRound = 30;
    const bareRound = async (first: number) => {
      for (let i = first; i < first + perRound; i++) await bare.send(new GetSecretValueCommand({ SecretId: `bench/s${i % 100}` }));
    };
    const engine = { concurrency: 1, deadlineMs: 10_000, allowedHosts: hostSet([]) };
    const oursRound = async (first: number) => {
      const jobs = Array.from({ length: perRound }, (_, k) => {
        const { region, secretId, secretPointer } = refs[(first + k) % 100];
        return { target: { store: 'aws' as const, region, secretId, secretPointer } };
      });
      const results = await runVerify(
        jobs,
        (target, signal) =>
          ours.verify({ ...(target as { region: string; secretId: string; secretPointer?: string }), describe: false, signal, deadline: true }),
        engine,
      );
      if (results.some((r) => r.outcome.code !== 'ok')) throw new Error('a verification failed in the benchmark');
    };
    // Warm-up until both paths are compiled by V8's optimising tier: 30 calls left the figures falling run after run.
    for (let i = 0; i < 15; i++) {
      await bareRound(i * perRound);
      await oursRound(i * perRound);
    }
    const round = async (fn: (first: number) => Promise<void>, first: number) => {
      const started = process.hrtime.bigint();
      await fn(first);
      return Number(process.hrtime.bigint() - started) / 1e6 / perRound;
    };
    const bareSamples: number[] = [];
    const oursSamples: number[] = [];
    for (let r = 0; r < 20; r++) {
      bareSamples.push(await round(bareRound, r * perRound));
      oursSamples.push(await round(oursRound, r * perRound));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const bareSdkPerCallMs = median(bareSamples);
    const oursPerCallMs = median(oursSamples);
    ours.dispose();
    bare.destroy();
    remote.child.kill();
    const result = {
      sequentialMs,
      concurrentMs,
      speedup: sequentialMs / concurrentMs,
      oursPerCallMs,
      bareSdkPerCallMs,
      overhead: oursPerCallMs / bareSdkPerCallMs - 1,
    };
    const failures: string[] = [];
    if (result.speedup < 3) failures.push(`concurrency 4 is only ${result.speedup.toFixed(2)}× faster than 1 (expected close to 4×)`);
    if (result.overhead > 0.1) failures.push(`per-reference overhead ${(result.overhead * 100).toFixed(1)}% over a bare SDK loop (budget 10%)`);
    return { result, failures };
  } finally {
    process.env = saved;
    await server.close();
  }
}

export function formatVerifyBench(r: VerifyBenchResult): string {
  return [
    'Verify (local Secrets Manager)',
    '| measure | value |',
    '|---|---:|',
    `| 100 references, 50 ms latency, concurrency 1 | ${r.sequentialMs.toFixed(0)} ms |`,
    `| 100 references, 50 ms latency, concurrency 4 | ${r.concurrentMs.toFixed(0)} ms |`,
    `| speed-up | ${r.speedup.toFixed(2)}× |`,
    `| bare SDK GetSecretValue, per call (no latency) | ${r.bareSdkPerCallMs.toFixed(3)} ms |`,
    `| our verify, per reference (no latency) | ${r.oursPerCallMs.toFixed(3)} ms |`,
    `| our overhead | ${(r.overhead * 100).toFixed(1)}% |`,
  ].join('\n');
}
