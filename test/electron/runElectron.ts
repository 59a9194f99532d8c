/**
 * npm run test:electron — the same test/integration suites through @vscode/test-electron, for machines that can
 * download VS Code (this one cannot; CI uses the code-server harness instead). It provides what the suites expect
 * from the harness: a local Secrets Manager and Vault, a canary, and an isolated ~/.aws.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { startTestServices } from '../harness/testServices';
import { filesContaining } from '../harness/leaks';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../../..');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-electron-'));
  const workspace = path.join(home, 'workspace');
  fs.cpSync(path.join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  const services = await startTestServices(home);
  try {
    await runTests({
      version: '1.100.3',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'integration'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${path.join(home, 'user-data')}`],
      extensionTestsEnv: services.env,
    });
    const leaks = filesContaining(home, services.canary);
    if (leaks.length) throw new Error(`the canary secret value was written to: ${leaks.join(', ')}`);
  } finally {
    await services.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
