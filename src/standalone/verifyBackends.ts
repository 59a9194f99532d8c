/**
 * The verify backends of the front ends that run without VS Code (the CLI, the language server): AWS through the AWS
 * module, loaded on the first AWS target only; Vault with the token from the environment (SECRET_STORE_VAULT_TOKEN,
 * what the product reads, or VAULT_TOKEN). One credential resolution and one set of clients per run.
 */
import type * as AwsModule from '../aws';
import type { LogLevel } from '../aws';
import type { VerifyBackend } from '../core/engine/verifyEngine';
import { verifyVault } from '../vault/vaultVerifier';

export interface StandaloneBackendOptions {
  readonly loadAws: () => typeof AwsModule;
  readonly profile?: string;
  readonly timeoutMs: number;
  /** How to raise the timeout where the user is, lower case: "raise --timeout". */
  readonly timeoutHint: string;
  /** How to choose another AWS profile where the user is ("pass --profile NAME"). */
  readonly profileHint?: string;
  readonly log?: (level: LogLevel, message: string) => void;
}

export function standaloneBackends(options: StandaloneBackendOptions): { verify: VerifyBackend; dispose: () => void } {
  let aws: AwsModule.SecretsVerifier | undefined;
  const hint = options.timeoutHint;
  return {
    verify: (target, signal) => {
      if (target.store === 'aws') {
        aws ??= new (options.loadAws().SecretsVerifier)({
          profile: options.profile,
          requestTimeoutMs: options.timeoutMs,
          imdsTimeoutMs: 1000,
          timeoutHint: hint,
          profileHint: options.profileHint,
          log: options.log,
        });
        return aws.verify({ ...target, signal, deadline: true });
      }
      return verifyVault({
        ...target,
        timeoutMs: options.timeoutMs,
        timeoutHint: `${hint.charAt(0).toUpperCase()}${hint.slice(1)}.`,
        signal,
        ...(options.log ? { log: options.log } : {}),
      });
    },
    dispose: () => aws?.dispose(),
  };
}
