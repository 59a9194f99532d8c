/** Verify throughput against the local Secrets Manager: concurrency 4 vs 1, and our overhead over a bare SDK loop. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { NodeHttpHandler } from '@smithy/node-http-handler';
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

    // Overhead: sequential calls without injected latency, ours versus a bare SDK client doing the same request.
    server.faults = {};
    const calls = 300;
    const ours = new SecretsVerifier({ requestTimeoutMs: 10_000, imdsTimeoutMs: 200 });
    const bare = new SecretsManagerClient({
      region: 'ap-southeast-2',
      requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true }) }),
    });
    // Rounds alternate between the two, so that warm-up, garbage collection and a busy neighbour weigh on both
    // alike; each side's figure is its median round.
    const bareCall = (i: number) => bare.send(new GetSecretValueCommand({ SecretId: `bench/s${i % 100}` }));
    // Ours: what the editor and the CLI run, the shared engine (endpoint policy, deadline, pool) over the AWS module.
    const engine = { concurrency: 1, deadlineMs: 10_000, allowedHosts: hostSet([]) };
    const oursCall = (i: number) => {
      const { region, secretId, secretPointer } = refs[i % 100];
      return runVerify(
        [{ target: { store: 'aws' as const, region, secretId, secretPointer } }],
        (_target, signal) => ours.verify({ ...refs[i % 100], signal, deadline: true }),
        engine,
      );
    };
    for (let i = 0; i < 30; i++) {
      await bareCall(i);
      await oursCall(i);
    }
    const round = async (fn: (i: number) => Promise<unknown>) => {
      const started = process.hrtime.bigint();
      for (let i = 0; i < calls / 10; i++) await fn(i);
      return Number(process.hrtime.bigint() - started) / 1e6 / (calls / 10);
    };
    const bareSamples: number[] = [];
    const oursSamples: number[] = [];
    for (let r = 0; r < 10; r++) {
      bareSamples.push(await round(bareCall));
      oursSamples.push(await round(oursCall));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const bareSdkPerCallMs = median(bareSamples);
    const oursPerCallMs = median(oursSamples);
    ours.dispose();
    bare.destroy();
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
