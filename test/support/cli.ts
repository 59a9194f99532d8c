/** Running the CLI in this process, and a local Secrets Manager that this process's AWS environment points at. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as aws from '../../src/aws';
import { main } from '../../src/cli/main';
import { EnvOverride } from './env';
import { LocalSecretsManager } from './localSecretsManager';

/** `encprops ARGS` in this process (the AWS module loaded as it is, not from dist/), its exit code and output. */
export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), loadAws: () => aws });
  return { code, stdout, stderr };
}

/**
 * Registers mocha hooks: a local Secrets Manager started before the suite, the environment pointed at it with no
 * shared AWS files, a temporary folder; all undone after. `dir()` is the folder, valid inside the suite's tests.
 */
export function localAws(prefix: string): { readonly server: LocalSecretsManager; dir(): string } {
  const server = new LocalSecretsManager();
  const overrides = new EnvOverride();
  let dir = '';
  before(async () => {
    await server.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    overrides.set({ ...server.env(), AWS_CONFIG_FILE: path.join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'), AWS_PROFILE: undefined });
  });
  after(async () => {
    await server.close();
    overrides.restore();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { server, dir: () => dir };
}
