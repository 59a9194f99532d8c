/**
 * Reads a HashiCorp Vault KV v2 secret the way VaultSecretStore does (latest version, token auth) and reports
 * verify outcomes, never the value. Plain HTTP through Node's fetch: no SDK.
 *
 * Bounded: one deadline covers the request and the whole body (a server that trickles one byte at a time cannot
 * outlive it), the body is read up to MAX_RESPONSE_BYTES and no further, and redirects are never followed, so the
 * token goes to the endpoint the file names and to no other host.
 */
import { MAX_RESPONSE_BYTES, VaultOutcome } from '../core/verify/outcome';
import { SdkErrorLike } from '../core/verify/awsErrors';
import { kvReadUrl, resolveVaultAnswer, vaultLocation } from '../core/verify/vaultOutcome';
import { withoutUserinfo } from '../core/text/terminal';
import { isDeadline } from '../core/engine/deadline';
import { requestEndpoint } from '../core/engine/endpointPolicy';
import { dotSegment } from '../core/stores/vault';
import { CONTAINER_VARIABLES } from '../core/model/containers';

export interface VaultVerifyRequest {
  readonly mount: string;
  readonly path: string;
  readonly key: string;
  readonly endpoint: string;
  readonly authenticationType?: string;
  /** A token from the user (SecretStorage); otherwise SECRET_STORE_VAULT_TOKEN or VAULT_TOKEN. */
  readonly token?: string;
  /** The total time for the request and its body. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly log?: (level: 'info' | 'warn', message: string) => void;
  /** How to raise the timeout, for the message ("raise --timeout" in the CLI, the setting in the editor). */
  readonly timeoutHint?: string;
}

export function vaultTokenFromEnvironment(): string | undefined {
  return process.env[CONTAINER_VARIABLES.vaultToken] || process.env.VAULT_TOKEN || undefined;
}

class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
}

/** Reads a response body as text, stopping with BodyTooLarge past `limit` bytes. The signal aborts the read. */
async function readBounded(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLarge(`more than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads the secret as the product would; the outcome says what happened, never the value. */
export async function verifyVault(request: VaultVerifyRequest): Promise<VaultOutcome> {
  return (await readVault(request, false)).outcome;
}

/** For Copy value alone: the outcome and, when it is ok, the value, held by the caller only as long as the copy takes. */
export function readVaultValue(request: VaultVerifyRequest): Promise<{ readonly outcome: VaultOutcome; readonly value?: string }> {
  return readVault(request, true);
}

async function readVault(request: VaultVerifyRequest, keepValue: boolean): Promise<{ outcome: VaultOutcome; value?: string }> {
  let kept: string | undefined;
  const outcome = await readVaultOutcome(request, (value) => {
    if (keepValue) kept = value;
  });
  return kept !== undefined && outcome.code === 'ok' ? { outcome, value: kept } : { outcome };
}

type VaultBase = Pick<VaultOutcome, 'store' | 'endpoint' | 'mount' | 'path' | 'key' | 'checkedAt' | 'durationMs'>;

/** A redirect is never followed (the token would go where the file did not say): the outcome names where it pointed. */
async function redirected(
  response: Response,
  request: VaultVerifyRequest,
  base: VaultBase,
  location: { endpoint: string; secretId: string },
): Promise<VaultOutcome> {
  const status = response.status;
  await response.body?.cancel().catch(() => undefined);
  const redirectTo = response.headers.get('location');
  let target = 'another address';
  try {
    if (redirectTo) target = withoutUserinfo(new URL(redirectTo, withoutUserinfo(request.endpoint)).origin);
  } catch {
    target = 'an invalid address';
  }
  request.log?.('warn', `vault ${location.secretId}: HTTP ${status} redirect to ${target}, not followed`);
  return {
    ...base,
    code: 'vault-redirect',
    message: `Vault at ${location.endpoint} answered HTTP ${status}, a redirect to ${target}. It was not followed, so the token was not sent there. Set "endpoint" to the active Vault node's address.`,
  };
}

/** What is known before anything is sent: Kubernetes auth (only in the cluster), no token, a path that would move. */
function notSent(request: VaultVerifyRequest, base: VaultBase): VaultOutcome | undefined {
  if (request.authenticationType === 'KUBERNETES') {
    return {
      ...base,
      code: 'vault-kubernetes-auth',
      message: 'Kubernetes authentication (SECRET_STORE_VAULT_KUBE_AUTH_ROLE) only works from a pod of the cluster: run encprops verify there.',
    };
  }
  if (!(request.token ?? vaultTokenFromEnvironment())) {
    return {
      ...base,
      code: 'vault-no-token',
      message:
        'No Vault token: the product reads SECRET_STORE_VAULT_TOKEN (or the secret.store.vault.token system property). Set it, or enter a token to verify.',
    };
  }
  // A "." or ".." segment would make the URL another Vault path (another secret, or the API): never sent.
  const dot = dotSegment(request.mount) ?? dotSegment(request.path);
  if (dot !== undefined) {
    return {
      ...base,
      code: 'error',
      message: `Not sent: the mount or path has a "${dot}" segment, which would send the token to another Vault path. Remove it.`,
    };
  }
  return undefined;
}

async function readVaultOutcome(request: VaultVerifyRequest, onValue: (value: string) => void): Promise<VaultOutcome> {
  const started = Date.now();
  const location = vaultLocation(request.endpoint, request.mount, request.path);
  const base = {
    store: 'vault' as const,
    endpoint: location.endpoint,
    mount: request.mount,
    path: request.path,
    key: request.key,
    checkedAt: new Date().toISOString(),
  };
  const where = `${location.endpoint} ${location.secretId}`;
  const refused = notSent(request, base);
  if (refused) return refused;
  const token = (request.token ?? vaultTokenFromEnvironment())!;
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  let status: number | undefined;
  try {
    // Userinfo is never sent (fetch refuses it, and the token is the only credential the product uses).
    // Built from the same WHATWG parse the endpoint policy decided on (core/engine): the host connected is the host allowed.
    const endpoint = requestEndpoint(request.endpoint);
    if (endpoint === undefined) throw Object.assign(new Error('not an http(s) URL'), { code: 'ERR_INVALID_URL' });
    const response = await fetch(kvReadUrl(endpoint, request.mount, request.path), {
      headers: { 'X-Vault-Token': token, Accept: 'application/json' },
      signal,
      redirect: 'manual',
    });
    status = response.status;
    if (status >= 300 && status < 400) return await redirected(response, request, { ...base, durationMs: Date.now() - started }, location);
    const text = await readBounded(response.body, MAX_RESPONSE_BYTES);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // Never the parser's message: V8 quotes the text around the error, which may be the secret.
      body = undefined;
    }
    const resolved = resolveVaultAnswer({ status, body }, request.key, where);
    const durationMs = Date.now() - started;
    request.log?.(
      resolved.code === 'ok' ? 'info' : 'warn',
      `vault ${location.secretId} key ${request.key}: ${resolved.code} (HTTP ${status}) in ${durationMs} ms`,
    );
    if (resolved.value !== undefined) onValue(resolved.value);
    return {
      ...base,
      code: resolved.code,
      message: resolved.message,
      valueLength: resolved.valueLength,
      durationMs,
      ...(resolved.version !== undefined ? { version: resolved.version } : {}),
      ...(resolved.createdTime !== undefined ? { createdTime: resolved.createdTime } : {}),
    };
  } catch (error) {
    const e = error as SdkErrorLike & { cause?: { code?: string } };
    const durationMs = Date.now() - started;
    // The caller's signal aborts for a cancellation, or at the shared engine's deadline (a TimeoutError reason).
    const deadline = request.signal?.aborted === true && isDeadline(request.signal.reason);
    if (request.signal?.aborted && !deadline) return { ...base, code: 'cancelled', message: 'Cancelled.', durationMs };
    if (timeout.aborted || deadline) {
      const during = status === undefined ? 'no answer' : `HTTP ${status}, but the body did not arrive`;
      request.log?.('warn', `vault ${location.secretId}: timeout (${during}) after ${durationMs} ms`);
      return {
        ...base,
        code: 'timeout',
        message: `Vault at ${location.endpoint}: ${during} within ${request.timeoutMs} ms.${request.timeoutHint ? ` ${request.timeoutHint}` : ''}`,
        durationMs,
      };
    }
    if (error instanceof BodyTooLarge) {
      request.log?.('warn', `vault ${location.secretId}: answer larger than ${MAX_RESPONSE_BYTES} bytes, stopped reading`);
      return {
        ...base,
        code: 'response-too-large',
        message: `Vault at ${location.endpoint} sent more than ${MAX_RESPONSE_BYTES / 1024} KiB; a KV secret is far smaller, so reading stopped there. Check that "endpoint" is a Vault server.`,
        durationMs,
      };
    }
    const code = e.cause?.code ?? e.code ?? e.name;
    request.log?.('warn', `vault ${location.secretId}: network error ${code} in ${durationMs} ms`);
    return { ...base, code: 'network', message: `Cannot reach Vault at ${location.endpoint} (${code}). Check the endpoint, DNS, proxy and TLS.`, durationMs };
  }
}
