/** How an error from the AWS SDK (or its credential chain) becomes a verify code and an actionable message. Pure. */
import { MAX_RESPONSE_BYTES, VerifyCode } from './outcome';

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
  /** How to choose another profile where the user is ("pass --profile", "pick a profile"): the editor's words by default. */
  readonly profileHint?: string;
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
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(text)) return credentialError(error, context);
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
  // In words, not the SDK's class name: ResourceExistsException → "resource exists".
  const said = name
    ? `"${name
        .replace(/(Exception|Error|Fault)$/, '')
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .toLowerCase()}"`
    : 'an error';
  return { code: 'error', message: `Secrets Manager answered ${said}${status ? ` (HTTP ${status})` : ''}: ${firstLine(text)}` };
}

/** The credential chain found nothing usable: a failed credential_process, an expired session, or nothing at all. */
function credentialError(
  error: SdkErrorLike & { readonly providerMessages?: readonly string[] },
  context: ErrorContext,
): { code: VerifyCode; message: string } {
  const text = error.message ?? '';
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
      `, web identity token, ECS container and EC2 instance metadata. Configure one, or ${context.profileHint ?? 'pick a profile'}.`,
  };
}
