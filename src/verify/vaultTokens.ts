import * as vscode from 'vscode';
import { Prompts } from '../util/prompts';
import { vaultTokenFromEnvironment } from '../vault/vaultVerifier';

/**
 * Vault tokens: the product's environment variable, else one the user entered before (VS Code's SecretStorage, per
 * host), else asked for once. Never in settings, logs or outcomes.
 */
export class VaultTokenSource {
  constructor(
    private readonly prompts: Prompts,
    private readonly secrets?: vscode.SecretStorage,
  ) {}

  async token(endpoint: string): Promise<string | undefined> {
    const fromEnv = vaultTokenFromEnvironment();
    if (fromEnv) return fromEnv;
    const host = new URL(endpoint).host;
    const key = `vault-token:${host}`;
    const stored = await this.secrets?.get(key);
    if (stored) return stored;
    const entered = await this.prompts.secret(`Vault token for ${host} (kept in VS Code's secret storage, never in settings)`);
    if (entered) await this.secrets?.store(key, entered);
    return entered || undefined;
  }
}
