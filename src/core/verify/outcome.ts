/**
 * The outcome of resolving one secret reference, per store, with a stable code and an actionable message. Pure: the
 * AWS and Vault modules pass in what they received. No outcome holds the secret's value; only resolveSecretValue's
 * answer does, for the AWS module to measure it (and to hand it to Copy value alone).
 */
import { vaultSecretName, VerifyTarget } from './targets';
import { evaluatePointer, normalizePointer } from './jsonPointer';

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

/** The outcome of a verify the user did not allow to send credentials where the file points. */
export function declinedOutcome(target: VerifyTarget, endpoint: string): VerifyOutcome {
  const checkedAt = new Date().toISOString();
  const code = 'endpoint-declined';
  if (target.store === 'aws') {
    return {
      store: 'aws',
      code,
      message: `Not verified: requests to ${endpoint} were not allowed.`,
      region: target.region,
      secretId: target.secretId,
      ...(target.secretPointer !== undefined ? { secretPointer: target.secretPointer } : {}),
      checkedAt,
    };
  }
  return {
    store: 'vault',
    code,
    message: `Not verified: sending a Vault token to ${endpoint} was not allowed.`,
    endpoint,
    mount: target.mount,
    path: target.path,
    key: target.key,
    checkedAt,
  };
}

/** The secret's name for messages: the AWS secret id, or Vault's mount/path. */
export function outcomeName(outcome: VerifyOutcome): string {
  return outcome.store === 'aws' ? outcome.secretId : vaultSecretName(outcome.mount, outcome.path);
}

export interface ResolvedValue {
  readonly code: 'ok' | 'binary-secret' | 'not-json' | 'pointer-missing' | 'empty-value';
  readonly message: string;
  readonly valueLength?: number;
  readonly shape?: SecretShape;
  /** The resolved text: measured for the outcome, returned only by readSecretValue (Copy value). Never logged or displayed. */
  readonly value?: string;
}

/**
 * What the product does with a GetSecretValue answer: only SecretString counts; with a pointer the string is parsed
 * as JSON and the pointed node's text is the password; a missing node or an empty text is a failure here (the
 * product would start with an empty password and fail to log in to the database).
 */
export function resolveSecretValue(secretString: string | undefined, hasBinary: boolean, pointer: string | undefined): ResolvedValue {
  if (secretString === undefined) {
    return hasBinary
      ? { code: 'binary-secret', message: 'The secret holds SecretBinary, which the product does not read; store the password as a secret string.' }
      : { code: 'empty-value', message: 'The secret has no SecretString value; the product would get no password.' };
  }
  let shape: 'plaintext' | 'key/value' = 'plaintext';
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
    if (parsed !== null && typeof parsed === 'object') shape = 'key/value';
  } catch {
    parsed = undefined;
  }
  if (pointer === undefined) {
    if (secretString === '') return { code: 'empty-value', message: 'The secret string is empty; the product would start with an empty password.', shape };
    return { code: 'ok', message: 'Resolved.', valueLength: secretString.length, shape, value: secretString };
  }
  if (shape !== 'key/value') {
    return {
      code: 'not-json',
      message:
        'A secretPointer is set but the secret is not key/value JSON; the product fails with "Could not parse AWS Secrets Manager value, value is not valid JSON." ' +
        'Remove secretPointer for a plaintext secret, or store {"password":"…"}.',
      shape,
    };
  }
  const result = evaluatePointer(parsed, pointer);
  if (!result.found) {
    const keys = parsed && !Array.isArray(parsed) ? Object.keys(parsed) : [];
    return {
      code: 'pointer-missing',
      message:
        `The pointer ${normalizePointer(pointer)} finds nothing in the secret (missing at ${result.missingAt}); the product would use an empty password. ` +
        (keys.length ? `The secret's keys are: ${keys.map((k) => JSON.stringify(k)).join(', ')}.` : 'The secret has no keys.'),
      shape,
    };
  }
  if (result.text === '') {
    return {
      code: 'empty-value',
      message:
        result.kind === 'object' || result.kind === 'array'
          ? `The pointer ${normalizePointer(pointer)} names ${result.kind === 'object' ? 'an object' : 'an array'}, whose text is empty to the product; point at a string.`
          : `The value at ${normalizePointer(pointer)} is empty; the product would start with an empty password.`,
      shape,
    };
  }
  return { code: 'ok', message: 'Resolved.', valueLength: result.text.length, shape, value: result.text };
}

export interface SdkErrorLike {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string };
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

export interface ErrorContext {
  readonly region: string;
  readonly secretId: string;
  readonly profile?: string;
  readonly arnRegion?: string;
  /** The total time allowed for one reference, and how to raise it where the user is (a CLI option, a setting). */
  readonly timeoutMs?: number;
  readonly timeoutHint?: string;
}

/** The first line of a message from a provider or server, kept short. */
function firstLine(text: string): string {
  const line = text.split('\n')[0].trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** Maps an error from the SDK (or the credential chain) to a verify code and an actionable message. */
export function classifyError(
  error: SdkErrorLike & { readonly providerMessages?: readonly string[] },
  context: ErrorContext,
): { code: VerifyCode; message: string } {
  const name = error.name ?? '';
  const text = error.message ?? '';
  const where = `in ${context.region}`;
  if (name === 'AbortError' || /aborted/i.test(name)) return { code: 'cancelled', message: 'Cancelled.' };
  // A malformed answer: V8's JSON error quotes the text around the fault, which may be the secret. Never show it.
  if (name === 'SyntaxError' || /is not valid JSON|JSON at position|Unexpected (token|end of JSON)/i.test(text)) {
    return {
      code: 'error',
      message: `Secrets Manager ${where} sent an answer that is not valid JSON (not shown: it may hold the secret). Check endpointOverride, proxies and AWS_ENDPOINT_URL.`,
    };
  }
  if (name === 'ResponseTooLarge') {
    return {
      code: 'response-too-large',
      message: `Secrets Manager ${where} sent more than ${MAX_RESPONSE_BYTES / 1024} KiB; a secret is at most 64 KiB, so reading stopped there. Check endpointOverride, proxies and AWS_ENDPOINT_URL.`,
    };
  }
  if (name === 'ResourceNotFoundException') {
    return {
      code: 'not-found',
      message:
        `No secret "${context.secretId}" ${where}. ` +
        (context.arnRegion && context.arnRegion !== context.region
          ? `The ARN names ${context.arnRegion}: set "region" to "${context.arnRegion}".`
          : 'Check the name and the region (the product looks only in the region given).'),
    };
  }
  if (name === 'DecryptionFailure' || (name === 'AccessDeniedException' && /kms/i.test(text)) || name === 'KMSAccessDeniedException') {
    return {
      code: 'kms-denied',
      message: "The secret's KMS key cannot be used by these credentials: grant kms:Decrypt on the key (with kms:ViaService secretsmanager).",
    };
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return {
      code: 'access-denied',
      message: `IAM denies secretsmanager:GetSecretValue on "${context.secretId}" to these credentials. Attach a policy that allows it (Copy IAM policy).`,
    };
  }
  if (name === 'InvalidRequestException' && /deletion|deleted/i.test(text)) {
    return {
      code: 'marked-for-deletion',
      message: 'The secret is scheduled for deletion; the product cannot read it. Restore it (aws secretsmanager restore-secret) or point at another secret.',
    };
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(text)) {
    // A credential_process that ran and failed (not "Profile x did not contain credential_process").
    const processFailure = [text, ...(error.providerMessages ?? [])].find((m) => /^Command failed|credential_process (returned|did not return)/i.test(m));
    if (processFailure) {
      return {
        code: 'credential-process-failed',
        message: `The credential_process of ${context.profile ? `profile ${context.profile}` : 'the profile'} failed: ${firstLine(processFailure)}. Run it by hand to see why.`,
      };
    }
    const expired = /expired|refresh|sso session|token is expired|login/i.test(text);
    if (expired) {
      return {
        code: 'expired-credentials',
        message: `The SSO or login session has expired. Run aws sso login${context.profile ? ` --profile ${context.profile}` : ''} and verify again.`,
      };
    }
    return {
      code: 'no-credentials',
      message:
        'No AWS credentials found. Tried: environment variables, SSO and shared config/credentials files' +
        (context.profile ? ` (profile ${context.profile})` : '') +
        ', web identity token, ECS container and EC2 instance metadata. Configure one, or pick a profile.',
    };
  }
  if (name === 'ExpiredTokenException' || name === 'ExpiredToken' || name === 'TokenRefreshRequired' || /expired/i.test(name)) {
    return {
      code: 'expired-credentials',
      message: `The credentials have expired. Refresh them${context.profile ? ` (aws sso login --profile ${context.profile})` : ''} and verify again.`,
    };
  }
  if (
    name === 'UnrecognizedClientException' ||
    name === 'InvalidSignatureException' ||
    name === 'SignatureDoesNotMatch' ||
    name === 'InvalidClientTokenId' ||
    name === 'IncompleteSignature'
  ) {
    return {
      code: 'invalid-credentials',
      message: 'AWS rejected the credentials (unknown access key or a signature mismatch). Check the access key, secret key and session token.',
    };
  }
  if (name === 'ThrottlingException' || name === 'TooManyRequestsException' || name === 'RequestLimitExceeded' || name === 'Throttling') {
    return { code: 'throttled', message: 'Secrets Manager is still throttling after the SDK retried. Try again in a minute.' };
  }
  if (name === 'TimeoutError' || name === 'RequestTimeout' || error.code === 'ETIMEDOUT' || /timed? ?out/i.test(text)) {
    const limit = context.timeoutMs !== undefined ? ` within ${context.timeoutMs} ms` : ' in time';
    return {
      code: 'timeout',
      message: `No complete answer from Secrets Manager ${where}${limit}. Check the network path (proxy, VPC endpoint)${context.timeoutHint ? ` or ${context.timeoutHint}` : ''}.`,
    };
  }
  if ((error.code && NETWORK_CODES.has(error.code)) || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|socket hang up|certificate|TLS/i.test(text)) {
    return {
      code: 'network',
      message: `Cannot reach Secrets Manager ${where} (${error.code ?? (firstLine(text) || name)}). Check DNS, proxy and firewall, or endpointOverride.`,
    };
  }
  const status = error.$metadata?.httpStatusCode;
  return { code: 'error', message: `Secrets Manager answered ${name || 'an error'}${status ? ` (HTTP ${status})` : ''}: ${firstLine(text)}` };
}

export const MESSAGES_FOR_OK = (shape: SecretShape | undefined, pointer: string | undefined, length: number): string =>
  `Resolved · ${shape ?? 'plaintext'}${pointer ? ` · ${normalizePointer(pointer)}` : ''} · ${length} chars`;

/** The least-privilege IAM policy for reading one secret (plus kms:Decrypt when a customer-managed key is used). */
export function iamPolicy(input: { region: string; secretId: string; arn?: string; kmsKeyId?: string; partition?: string }): string {
  const partition = input.partition ?? 'aws';
  const resource =
    input.arn ?? (input.secretId.startsWith('arn:') ? input.secretId : `arn:${partition}:secretsmanager:${input.region}:*:secret:${input.secretId}-??????`);
  const statements: unknown[] = [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: resource }];
  if (input.kmsKeyId && !/alias\/aws\/secretsmanager$/.test(input.kmsKeyId)) {
    statements.push({
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: input.kmsKeyId.startsWith('arn:') ? input.kmsKeyId : `arn:${partition}:kms:${input.region}:*:key/${input.kmsKeyId}`,
      Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${input.region}.amazonaws.com` } },
    });
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
}

/** POSIX shell quoting: single quotes, with ' written as '\''. */
export function quotePosix(value: string): string {
  return /^[A-Za-z0-9_./:=@+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** PowerShell quoting: single quotes, with ' doubled. */
export function quotePowerShell(value: string): string {
  return /^[A-Za-z0-9_./:=@+-]+$/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
}

/**
 * The AWS CLI command that performs the product's read (GetSecretValue) as whoever runs it, printing the ARN
 * rather than the value.
 */
export function awsCliCheckCommand(input: { region: string; secretId: string; endpointOverride?: string }, shell: 'posix' | 'powershell'): string {
  const q = shell === 'posix' ? quotePosix : quotePowerShell;
  const parts = ['aws', 'secretsmanager', 'get-secret-value', '--secret-id', q(input.secretId), '--region', q(input.region)];
  if (input.endpointOverride) parts.push('--endpoint-url', q(input.endpointOverride));
  parts.push('--query', 'ARN', '--output', 'text');
  return parts.join(' ');
}
