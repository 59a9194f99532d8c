/**
 * What VaultSecretStore gets when it reads a KV v2 secret (only the latest version), as verify outcomes. Pure: the
 * Vault module passes in the HTTP status and body; nothing here holds or prints the value beyond its length.
 */
import { trimSlashes, withoutUserinfo } from '../text/terminal';
import { VerifyCode, VerifyOutcome } from './outcome';
import { vaultSecretName } from './targets';

export interface VaultAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** Where a Vault secret is, for messages: the endpoint without userinfo, then mount/path. */
export function vaultLocation(endpoint: string, mount: string, path: string): { endpoint: string; secretId: string } {
  return { endpoint: withoutUserinfo(endpoint), secretId: vaultSecretName(mount, path) };
}

/** The KV v2 read URL: {endpoint}/v1/{mount}/data/{path}. */
export function kvReadUrl(endpoint: string, mount: string, path: string): string {
  // Linear trimming: a mount of many "/" must not cost seconds (a regex such as /^\/+|\/+$/g is quadratic).
  const clean = (s: string) => trimSlashes(s);
  return `${trimSlashes(endpoint, 'end')}/v1/${clean(mount).split('/').map(encodeURIComponent).join('/')}/data/${clean(path).split('/').map(encodeURIComponent).join('/')}`;
}

interface KvBody {
  data?: { data?: Record<string, unknown> | null; metadata?: { version?: number; deletion_time?: string; destroyed?: boolean; created_time?: string } };
  errors?: string[];
}

export function resolveVaultAnswer(
  answer: VaultAnswer,
  key: string,
  where: string,
): { code: VerifyCode; message: string; valueLength?: number; version?: number; createdTime?: string; value?: string } {
  const body = (answer.body ?? {}) as KvBody;
  const errors = (body.errors ?? []).join('; ');
  const metadata = body.data?.metadata;
  if (answer.status === 503 || /sealed/i.test(errors))
    return { code: 'vault-sealed', message: `Vault at ${where} is sealed; the product cannot read any secret until it is unsealed.` };
  if (answer.status === 403)
    return {
      code: 'vault-forbidden',
      message: `Vault denies reading this path (403: ${errors || 'permission denied'}). Grant a policy with "read" on ${where}.`,
    };
  if (metadata?.destroyed)
    return {
      code: 'vault-version-destroyed',
      message: `The latest version (${metadata.version ?? '?'}) of the secret is destroyed; the product fails with "Secret value not available. It may be deleted/destroyed." Write a new version.`,
    };
  if (metadata?.deletion_time)
    return {
      code: 'vault-version-deleted',
      message: `The latest version (${metadata.version ?? '?'}) of the secret is deleted; the product fails with "Secret value not available. It may be deleted/destroyed." Undelete it or write a new version.`,
    };
  if (answer.status === 404)
    return {
      code: 'vault-path-missing',
      message: `No secret at ${where}: the product fails with "Path to Secret value does not exist." Check "mount" (without /data) and "path".`,
    };
  if (answer.status !== 200 || !body.data?.data) return { code: 'error', message: `Vault answered HTTP ${answer.status}${errors ? `: ${errors}` : ''}.` };
  const data = body.data.data;
  if (!Object.prototype.hasOwnProperty.call(data, key)) {
    return {
      code: 'vault-key-missing',
      message: `The secret has no key "${key}": the product fails with "Cannot find secret value for key: ${key}". Its keys are: ${
        Object.keys(data)
          .map((k) => JSON.stringify(k))
          .join(', ') || 'none'
      }.`,
    };
  }
  const raw = data[key];
  // Vault's JSON gives strings, numbers and booleans their text; null, objects and arrays none (as the store reads them).
  const text = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : '';
  if (text === '') return { code: 'empty-value', message: `The value of "${key}" is empty; the product would start with an empty password.` };
  return {
    code: 'ok',
    message: `Resolved · Vault KV v2 · key ${key}`,
    valueLength: text.length,
    version: metadata?.version,
    createdTime: metadata?.created_time,
    value: text,
  };
}

export function vaultLensTitle(result: VerifyOutcome): string | undefined {
  switch (result.code as string) {
    case 'vault-sealed':
      return 'Vault is sealed';
    case 'vault-forbidden':
      return 'Vault denies the read';
    case 'vault-path-missing':
      return 'No secret at that path';
    case 'vault-key-missing':
      return 'Key not in the secret';
    case 'vault-version-deleted':
      return 'Latest version deleted';
    case 'vault-version-destroyed':
      return 'Latest version destroyed';
    case 'vault-redirect':
      return 'Vault redirected: not followed';
    case 'vault-no-token':
      return 'No Vault token';
    case 'vault-kubernetes-auth':
      return 'Kubernetes auth: check inside the cluster';
    default:
      return undefined;
  }
}
