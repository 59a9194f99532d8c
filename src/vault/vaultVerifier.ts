/**
 * Reads a HashiCorp Vault KV v2 secret the way VaultSecretStore does (latest version, token auth) and reports
 * verify outcomes, never the value. Plain HTTP through Node's fetch: no SDK.
 */
import { SdkErrorLike, VerifyResult } from '../core/verify/outcome';
import { kvReadUrl, resolveVaultAnswer } from '../core/verify/vaultOutcome';

export interface VaultVerifyRequest {
  readonly mount: string;
  readonly path: string;
  readonly key: string;
  readonly endpoint: string;
  readonly authenticationType?: string;
  /** A token from the user (SecretStorage); otherwise SECRET_STORE_VAULT_TOKEN or VAULT_TOKEN. */
  readonly token?: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly log?: (level: 'info' | 'warn', message: string) => void;
}

export function vaultTokenFromEnvironment(): string | undefined {
  return process.env.SECRET_STORE_VAULT_TOKEN || process.env.VAULT_TOKEN || undefined;
}

export async function verifyVault(request: VaultVerifyRequest): Promise<VerifyResult & { readonly value?: string }> {
  const started = Date.now();
  const base = { store: 'vault' as const, region: request.endpoint, secretId: `${request.mount.replace(/\/+$/, '')}/${request.path.replace(/^\/+/, '')}`, secretPointer: request.key, checkedAt: new Date().toISOString() };
  const where = `${request.endpoint} ${base.secretId}`;
  if (request.authenticationType === 'KUBERNETES') {
    return {
      ...base,
      code: 'vault-kubernetes-auth',
      message: 'Kubernetes authentication (SECRET_STORE_VAULT_KUBE_AUTH_ROLE) only works from a pod of the cluster: run encprops verify there.',
    };
  }
  const token = request.token ?? vaultTokenFromEnvironment();
  if (!token) {
    return { ...base, code: 'vault-no-token', message: 'No Vault token: the product reads SECRET_STORE_VAULT_TOKEN (or the secret.store.vault.token system property). Set it, or enter a token to verify.' };
  }
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  try {
    const response = await fetch(kvReadUrl(request.endpoint, request.mount, request.path), { headers: { 'X-Vault-Token': token, Accept: 'application/json' }, signal });
    const body: unknown = await response.json().catch(() => undefined);
    const resolved = resolveVaultAnswer({ status: response.status, body }, request.key, where);
    const durationMs = Date.now() - started;
    request.log?.(resolved.code === 'ok' ? 'info' : 'warn', `vault ${base.secretId} key ${request.key}: ${resolved.code} (HTTP ${response.status}) in ${durationMs} ms`);
    const result: VerifyResult & { value?: string } = {
      ...base,
      code: resolved.code,
      message: resolved.message,
      valueLength: resolved.valueLength,
      durationMs,
      metadata: resolved.version !== undefined ? { versionId: String(resolved.version), createdDate: resolved.createdTime } : undefined,
    };
    Object.defineProperty(result, 'value', { value: resolved.value, enumerable: false });
    return result;
  } catch (error) {
    const e = error as SdkErrorLike & { cause?: { code?: string } };
    const durationMs = Date.now() - started;
    if (request.signal?.aborted) return { ...base, code: 'cancelled', message: 'Cancelled.', durationMs };
    if (timeout.aborted) return { ...base, code: 'timeout', message: `No answer from Vault at ${request.endpoint} in ${request.timeoutMs} ms.`, durationMs };
    const code = e.cause?.code ?? e.code ?? e.name;
    request.log?.('warn', `vault ${base.secretId}: network error ${code} in ${durationMs} ms`);
    return { ...base, code: 'network', message: `Cannot reach Vault at ${request.endpoint} (${code}). Check the endpoint, DNS, proxy and TLS.`, durationMs };
  }
}
