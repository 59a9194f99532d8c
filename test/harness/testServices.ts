/**
 * What the extension-host suites expect around them, for both runners (code-server and @vscode/test-electron): a
 * local Secrets Manager and Vault, a canary secret value, and an isolated ~/.aws with one key-less profile.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { LocalSecretsManager } from '../support/localSecretsManager';
import { LocalVault } from '../support/localVault';

export interface TestServices {
  readonly canary: string;
  /** Environment for the extension host. */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

export async function startTestServices(home: string): Promise<TestServices> {
  const secrets = await new LocalSecretsManager().start();
  const vault = await new LocalVault().start();
  const canary = `CANARY-${crypto.randomBytes(12).toString('hex')}`;
  fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
  fs.writeFileSync(path.join(home, '.aws', 'config'), '[profile ops]\nregion = eu-west-1\n');
  fs.writeFileSync(path.join(home, '.aws', 'credentials'), '');
  return {
    canary,
    env: {
      ...secrets.env(),
      AWS_CONFIG_FILE: path.join(home, '.aws', 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws', 'credentials'),
      ENCPROPS_TEST_SM: secrets.endpoint,
      ENCPROPS_TEST_VAULT: vault.endpoint,
      SECRET_STORE_VAULT_TOKEN: 'root-token',
      ENCPROPS_TEST_CANARY: canary,
    },
    close: async () => {
      await secrets.close();
      await vault.close();
    },
  };
}
