import { AwsTarget, VaultTarget, VerifyTarget } from '../core/verify/targets';
import { VerifyOutcome } from '../core/verify/outcome';
import { log } from '../util/log';
import { getSettings } from '../util/settings';
import { readVaultValue, verifyVault } from '../vault/vaultVerifier';
import type { SecretsVerifier } from '../aws';
import { loadAws } from './loadAws';
import { VaultTokenSource } from './vaultTokens';

/** One store's way to resolve a target: a verify (no value), and the value for Copy value alone. */
export interface VerifyBackend<T extends VerifyTarget> {
  verify(target: T, signal?: AbortSignal): Promise<VerifyOutcome>;
  readValue(target: T): Promise<{ readonly outcome: VerifyOutcome; readonly value?: string }>;
}

/** A verifier for one run, from the settings (profile, timeout, proxy), logging to the log channel. */
export function newAwsVerifier(): SecretsVerifier {
  const settings = getSettings();
  const { SecretsVerifier } = loadAws();
  return new SecretsVerifier({
    profile: settings.awsProfile,
    requestTimeoutMs: settings.requestTimeoutMs,
    timeoutHint: 'raise encryptedProperties.aws.requestTimeoutMs',
    imdsTimeoutMs: 1000,
    proxy: settings.proxy,
    log: (level, message) => log()[level](message),
  });
}

class AwsBackend implements VerifyBackend<AwsTarget> {
  private verifier: SecretsVerifier | undefined;

  /** The AWS SDK is loaded on the first AWS target, not before (activation never loads it). */
  private get aws(): SecretsVerifier {
    return (this.verifier ??= newAwsVerifier());
  }

  verify(target: AwsTarget, signal?: AbortSignal): Promise<VerifyOutcome> {
    return this.aws.verify({ ...target, signal, deadline: signal !== undefined });
  }

  readValue(target: AwsTarget) {
    return this.aws.readSecretValue(target);
  }

  dispose(): void {
    this.verifier?.dispose();
  }
}

class VaultBackend implements VerifyBackend<VaultTarget> {
  constructor(private readonly tokens: VaultTokenSource) {}

  private async request(target: VaultTarget, signal?: AbortSignal) {
    const token = target.authenticationType === 'KUBERNETES' ? undefined : await this.tokens.token(target.endpoint);
    return {
      ...target,
      token,
      timeoutMs: getSettings().requestTimeoutMs,
      timeoutHint: 'Raise encryptedProperties.aws.requestTimeoutMs.',
      signal,
      log: (level: 'info' | 'warn', message: string) => log()[level](message),
    };
  }

  async verify(target: VaultTarget, signal?: AbortSignal): Promise<VerifyOutcome> {
    return verifyVault(await this.request(target, signal));
  }

  async readValue(target: VaultTarget) {
    return readVaultValue(await this.request(target));
  }
}

/** The backends of one run (one AWS credential resolution, one set of clients); dispose when the run ends. */
export class VerifyRun {
  private readonly awsBackend = new AwsBackend();
  private readonly vaultBackend: VaultBackend;

  constructor(tokens: VaultTokenSource) {
    this.vaultBackend = new VaultBackend(tokens);
  }

  verify(target: VerifyTarget, signal?: AbortSignal): Promise<VerifyOutcome> {
    return target.store === 'aws' ? this.awsBackend.verify(target, signal) : this.vaultBackend.verify(target, signal);
  }

  readValue(target: VerifyTarget): Promise<{ readonly outcome: VerifyOutcome; readonly value?: string }> {
    return target.store === 'aws' ? this.awsBackend.readValue(target) : this.vaultBackend.readValue(target);
  }

  dispose(): void {
    this.awsBackend.dispose();
  }
}
