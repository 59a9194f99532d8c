/**
 * npm run test:electron — the same test/integration suites through @vscode/test-electron, for machines that can
 * download VS Code (this one cannot; CI uses the code-server harness instead). It provides what the suites expect
 * from the harness: a local Secrets Manager and Vault, a canary, and an isolated ~/.aws.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { LocalSecretsManager } from '../support/localSecretsManager';
import { LocalVault } from '../support/localVault';
import { filesContaining } from '../harness/leaks';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../../..');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-electron-'));
  const workspace = path.join(home, 'workspace');
  fs.cpSync(path.join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  fs.mkdirSync(path.join(home, '.aws'));
  fs.writeFileSync(path.join(home, '.aws', 'config'), '[profile ops]\nregion = eu-west-1\n');
  fs.writeFileSync(path.join(home, '.aws', 'credentials'), '');
  const secrets = await new LocalSecretsManager().start();
  const vault = await new LocalVault().start();
  const canary = `CANARY-${crypto.randomBytes(12).toString('hex')}`;
  try {
    await runTests({
      version: '1.100.3',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'integration'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${path.join(home, 'user-data')}`],
      extensionTestsEnv: {
        ...secrets.env(),
        AWS_CONFIG_FILE: path.join(home, '.aws', 'config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws', 'credentials'),
        ENCPROPS_TEST_SM: secrets.endpoint,
        ENCPROPS_TEST_VAULT: vault.endpoint,
        SECRET_STORE_VAULT_TOKEN: 'root-token',
        ENCPROPS_TEST_CANARY: canary,
      },
    });
    const leaks = filesContaining(home, canary);
    if (leaks.length) throw new Error(`the canary secret value was written to: ${leaks.join(', ')}`);
  } finally {
    await secrets.close();
    await vault.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
