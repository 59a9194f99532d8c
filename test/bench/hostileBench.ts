/**
 * Hostile servers against the bundled CLI, in its own process: the peak memory of `encprops verify` while an AWS
 * endpoint sends an endless body (budget 200 MB), and how long a body trickling one byte at a time keeps it alive
 * (budget: the --timeout deadline plus 1 s).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HostileServer, stream } from '../support/hostileServer';
import { verifyReport } from '../support/reports';

export interface HostileBenchResult {
  readonly endlessPeakRssMb: number;
  readonly endlessCode: string;
  readonly trickleMs: number;
  readonly trickleTimeoutMs: number;
  readonly trickleCode: string;
}

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

async function verifyInChild(dir: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ ms: number; peakRssMb: number; code: string }> {
  const preload = path.join(dir, 'report-rss.js');
  fs.writeFileSync(preload, "process.on('exit', () => require('fs').writeSync(2, '\\nENCPROPS_MAXRSS_KB=' + process.resourceUsage().maxRSS + '\\n'));\n");
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['-r', preload, CLI, 'verify', '--format', 'json', '--timeout', String(timeoutMs), dir], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  await new Promise((resolve) => child.on('close', resolve));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const kb = Number(/ENCPROPS_MAXRSS_KB=(\d+)/.exec(stderr)?.[1] ?? NaN);
  let code: string;
  try {
    code = verifyReport(stdout).results[0].code;
  } catch {
    code = `no JSON (${stderr.trim().split('\n')[0]})`;
  }
  return { ms, peakRssMb: kb / 1024, code };
}

export async function runHostileBench(): Promise<{ result: HostileBenchResult; failures: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-hostile-bench-'));
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const server = await new HostileServer((_req, res) => stream(res, chunk, 0, '{"Name":"db",')).start();
  try {
    fs.writeFileSync(
      path.join(dir, 'bitbucket.properties'),
      'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\njdbc.password={ENC}{"region":"eu-west-1","secretId":"db"}\n',
    );
    const env = {
      PATH: process.env.PATH,
      HOME: dir,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: server.url,
      AWS_ACCESS_KEY_ID: 'AKIAHOSTILEBENCH0001',
      AWS_SECRET_ACCESS_KEY: 'hostile/bench/secret/access/key/00000001',
      AWS_CONFIG_FILE: path.join(dir, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const endless = await verifyInChild(dir, env, 120_000);
    server.setHandler((_req, res) => stream(res, ' ', 50, '{"Name":"db",'));
    const trickleTimeoutMs = 2000;
    const trickle = await verifyInChild(dir, env, trickleTimeoutMs);
    const result = { endlessPeakRssMb: endless.peakRssMb, endlessCode: endless.code, trickleMs: trickle.ms, trickleTimeoutMs, trickleCode: trickle.code };
    const failures: string[] = [];
    if (!(endless.peakRssMb < 200)) failures.push(`verify against an endless body peaked at ${endless.peakRssMb.toFixed(1)} MB (budget 200 MB)`);
    if (endless.code !== 'response-too-large') failures.push(`verify against an endless body ended with ${endless.code}, not response-too-large`);
    if (!(trickle.ms <= trickleTimeoutMs + 1000))
      failures.push(`a trickling body kept verify alive ${trickle.ms.toFixed(0)} ms (budget ${trickleTimeoutMs} + 1000 ms)`);
    if (trickle.code !== 'timeout') failures.push(`a trickling body ended with ${trickle.code}, not timeout`);
    return { result, failures };
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function formatHostileBench(r: HostileBenchResult): string {
  return [
    `Hostile servers (bundled CLI, own process):`,
    `  endless body: peak RSS ${r.endlessPeakRssMb.toFixed(1)} MB (budget 200 MB), ended with ${r.endlessCode}`,
    `  trickling body: ended after ${r.trickleMs.toFixed(0)} ms with --timeout ${r.trickleTimeoutMs} (budget ${r.trickleTimeoutMs + 1000} ms), code ${r.trickleCode}`,
  ].join('\n');
}
