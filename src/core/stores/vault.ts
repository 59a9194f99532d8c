/**
 * Rules for a HashiCorp Vault reference (`VaultSecretStore`, `VaultParams` read by strict Jackson): KV v2 only,
 * `mount`, `path`, `key`, `endpoint` required, `authenticationType` TOKEN or KUBERNETES in exact case.
 */
import { Node } from 'jsonc-parser';
import { addAt, isHttpUri, replaceString, RuleContext, stringMembers } from './jsonRules';

/** A "." or ".." segment of a Vault mount or path (slashes separate segments), or undefined. */
export function dotSegment(value: string): string | undefined {
  return value.split('/').find((s) => s === '.' || s === '..');
}

export const VAULT_KEYS = ['mount', 'path', 'key', 'endpoint', 'authenticationType'] as const;
export const VAULT_REQUIRED = ['mount', 'path', 'key', 'endpoint'] as const;
export const VAULT_AUTH_TYPES = ['TOKEN', 'KUBERNETES'] as const;

export interface VaultReference {
  readonly mount?: string;
  readonly path?: string;
  readonly key?: string;
  readonly endpoint?: string;
  readonly authenticationType?: string;
}

export function validateVaultObject(obj: Node, ctx: RuleContext): VaultReference {
  const { values, present } = stringMembers(obj, ctx, {
    known: VAULT_KEYS,
    required: VAULT_REQUIRED,
    parser: 'Jackson',
    codes: { unknown: 'vault-unknown-key', valueType: 'vault-value-type' },
    storeName: 'HashiCorp Vault store',
    enums: { authenticationType: VAULT_AUTH_TYPES },
  });
  const missing = VAULT_REQUIRED.filter((k) => !present.has(k));
  if (missing.length > 0) {
    addAt(ctx, obj, {
      code: 'vault-missing-key',
      severity: 'error',
      message: `The Vault reference has no ${missing.map((k) => `"${k}"`).join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} required; the product will not start. Add ${missing.map((k) => `"${k}":"…"`).join(', ')}.`,
    });
  }
  const mount = values.get('mount');
  if (mount && /\/data\/?$/.test(mount.text)) {
    const fixed = mount.text.replace(/\/data\/?$/, '');
    addAt(ctx, mount.node, {
      code: 'vault-mount-data',
      severity: 'warning',
      message: `"mount" ends with /data, but the store adds the KV v2 "data" segment itself, so it will look under ${mount.text}/data/… and find nothing. Write "${fixed}".`,
      fixes: fixed ? [replaceString(ctx, mount.node, fixed, `Change mount to "${fixed}"`)] : undefined,
    });
  }
  const path = values.get('path');
  if (path && /^\/?data\//.test(path.text)) {
    const fixed = path.text.replace(/^\/?data\//, '');
    addAt(ctx, path.node, {
      code: 'vault-path-data',
      severity: 'warning',
      message: `"path" starts with data/, which belongs to the KV v2 API, not to the secret's path; the store would read …/data/data/… . Write "${fixed}".`,
      fixes: fixed ? [replaceString(ctx, path.node, fixed, `Change path to "${fixed}"`)] : undefined,
    });
  }
  for (const [name, value] of [
    ['mount', mount],
    ['path', path],
  ] as const) {
    const segment = value && dotSegment(value.text);
    if (!value || !segment) continue;
    // What the product's Vault client does with it is UNCONFIRMED (a URL may resolve it to another path): a warning.
    addAt(ctx, value.node, {
      code: 'vault-path-dot-segment',
      severity: 'warning',
      message: `"${name}" has a "${segment}" segment, which a URL resolves to another Vault path (UNCONFIRMED what the product's client does): the read could reach another secret or API. Write the path without it.`,
    });
  }
  const endpoint = values.get('endpoint');
  if (endpoint && !isHttpUri(endpoint.text)) {
    addAt(ctx, endpoint.node, {
      code: 'vault-endpoint-invalid',
      severity: 'error',
      message:
        '"endpoint" must be an absolute http(s) URI such as "https://vault.example.com:8200"; the product will fail to build its Vault client. Fix the URI.',
    });
  }
  const auth = values.get('authenticationType');
  if (auth && !(VAULT_AUTH_TYPES as readonly string[]).includes(auth.text)) {
    const upper = auth.text.toUpperCase();
    const fix = (VAULT_AUTH_TYPES as readonly string[]).includes(upper);
    addAt(ctx, auth.node, {
      code: 'vault-auth-type-invalid',
      severity: 'error',
      message: `"authenticationType" must be TOKEN or KUBERNETES in exactly that case; "${auth.text}" makes the product's JSON parser fail. ${fix ? `Write "${upper}".` : 'Use TOKEN or KUBERNETES.'}`,
      fixes: fix ? [replaceString(ctx, auth.node, upper, `Change to "${upper}"`)] : undefined,
    });
  }
  const ref: { -readonly [K in keyof VaultReference]: string } = {};
  for (const k of VAULT_KEYS) {
    const v = values.get(k);
    if (v) ref[k] = v.text;
  }
  return ref;
}
