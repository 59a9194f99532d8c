/**
 * The outcome of resolving one secret reference, per store, with a stable code and an actionable message. Pure: the
 * AWS and Vault modules pass in what they received. No outcome holds the secret's value; only resolveSecretValue's
 * answer does, for the AWS module to measure it (and to hand it to Copy value alone).
 */
import { vaultSecretName, VerifyTarget } from './targets';
import { normalizePointer } from '../stores/jsonPointer';

export type VerifyCode =
  | 'ok'
  | 'not-found'
  | 'access-denied'
  | 'kms-denied'
  | 'marked-for-deletion'
  | 'no-credentials'
  | 'expired-credentials'
  | 'invalid-credentials'
  | 'throttled'
  | 'timeout'
  | 'network'
  | 'binary-secret'
  | 'not-json'
  | 'pointer-missing'
  | 'empty-value'
  | 'cancelled'
  | 'endpoint-declined'
  | 'response-too-large'
  | 'credential-process-failed'
  | 'vault-redirect'
  | 'vault-sealed'
  | 'vault-forbidden'
  | 'vault-path-missing'
  | 'vault-key-missing'
  | 'vault-version-deleted'
  | 'vault-version-destroyed'
  | 'vault-no-token'
  | 'vault-kubernetes-auth'
  | 'error';

/** No usable credentials here: the chain found none, or they are expired, rejected, or their process failed. */
export const CREDENTIAL_PROBLEMS: ReadonlySet<VerifyCode> = new Set<VerifyCode>([
  'no-credentials',
  'expired-credentials',
  'invalid-credentials',
  'credential-process-failed',
]);

/** This machine could not reach the store: its credentials, or the network path (not the reference). */
export const UNREACHABLE: ReadonlySet<VerifyCode> = new Set<VerifyCode>([...CREDENTIAL_PROBLEMS, 'network', 'timeout', 'throttled']);

/** The check could not be made from here (unreachable, not allowed, or only checkable elsewhere), not a fault of the line. */
export const COULD_NOT_CHECK: ReadonlySet<VerifyCode> = new Set<VerifyCode>([...UNREACHABLE, 'endpoint-declined', 'vault-no-token', 'vault-kubernetes-auth']);

/**
 * The most a verify reads of one answer. Secrets Manager stores at most 64 KiB per secret; JSON escaping can grow a
 * string up to six times, plus the metadata around it: 1 MiB leaves a margin and bounds memory against an endless body.
 */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

export type SecretShape = 'plaintext' | 'key/value';

export interface SecretMetadata {
  readonly arn?: string;
  readonly name?: string;
  readonly versionId?: string;
  readonly versionStages?: readonly string[];
  readonly lastChangedDate?: string;
  readonly createdDate?: string;
  readonly rotationEnabled?: boolean;
  readonly deletedDate?: string;
  readonly kmsKeyId?: string;
  readonly description?: string;
}

/** A remark from the secret's metadata, beside the outcome (AWS DescribeSecret). */
export interface VerifyNote {
  readonly code: 'verify-rotation-enabled' | 'verify-marked-for-deletion' | 'verify-customer-kms-key';
  readonly severity: 'warning' | 'info' | 'error';
  readonly message: string;
}

interface OutcomeBase {
  readonly code: VerifyCode;
  readonly message: string;
  /** Length of the resolved value (never the value). */
  readonly valueLength?: number;
  readonly notes?: readonly VerifyNote[];
  readonly durationMs?: number;
  readonly checkedAt: string;
}

/** What resolving an AWS Secrets Manager reference gave. Never the value: see readSecretValue for Copy value. */
export interface AwsOutcome extends OutcomeBase {
  readonly store: 'aws';
  readonly region: string;
  readonly secretId: string;
  readonly secretPointer?: string;
  readonly shape?: SecretShape;
  readonly metadata?: SecretMetadata;
  readonly credentialSource?: string;
  readonly requestId?: string;
}

/** What reading a HashiCorp Vault KV v2 secret gave. Never the value. */
export interface VaultOutcome extends OutcomeBase {
  readonly store: 'vault';
  /** The endpoint without userinfo. */
  readonly endpoint: string;
  readonly mount: string;
  readonly path: string;
  readonly key: string;
  readonly version?: number;
  readonly createdTime?: string;
}

export type VerifyOutcome = AwsOutcome | VaultOutcome;

/** An outcome for a target that got no answer of its own (not allowed, past the deadline): the target's coordinates. */
export function targetOutcome(target: VerifyTarget, code: VerifyCode, message: string): VerifyOutcome {
  const checkedAt = new Date().toISOString();
  if (target.store === 'aws') {
    return {
      store: 'aws',
      code,
      message,
      region: target.region,
      secretId: target.secretId,
      ...(target.secretPointer !== undefined ? { secretPointer: target.secretPointer } : {}),
      checkedAt,
    };
  }
  return { store: 'vault', code, message, endpoint: target.endpoint, mount: target.mount, path: target.path, key: target.key, checkedAt };
}

/** The outcome of a verify the user did not allow to send credentials where the file points. */
export function declinedOutcome(target: VerifyTarget, endpoint: string): VerifyOutcome {
  const message =
    target.store === 'aws' ? `Not verified: requests to ${endpoint} were not allowed.` : `Not verified: sending a Vault token to ${endpoint} was not allowed.`;
  return { ...targetOutcome(target, 'endpoint-declined', message), ...(target.store === 'vault' ? { endpoint } : {}) };
}

/** The secret's name for messages: the AWS secret id, or Vault's mount/path. */
export function outcomeName(outcome: VerifyOutcome): string {
  return outcome.store === 'aws' ? outcome.secretId : vaultSecretName(outcome.mount, outcome.path);
}

/** The message of a resolved secret: its shape and pointer, never the value nor its length (a short one would show). */
export const MESSAGES_FOR_OK = (shape: SecretShape | undefined, pointer: string | undefined): string =>
  `Resolved · ${shape ?? 'plaintext'}${pointer ? ` · ${normalizePointer(pointer)}` : ''}`;
