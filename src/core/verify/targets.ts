/**
 * Which references can be verified, and what a verify needs to know about each: one rule for the editor (lenses,
 * Verify all, Copy value) and the CLI (`encprops verify`). Pure.
 */
import { Analysis, SecretReference } from '../rules/analysis';
import { trimSlashes } from '../text/terminal';
import { hasPlaceholder } from '../templates/template';
import { AWS_STORE, VAULT_STORE } from '../model/cipherClasses';
import { checkTypedReference } from '../rules/typedValue';
import { parseTree } from 'jsonc-parser';

export interface AwsTarget {
  readonly store: 'aws';
  readonly region: string;
  readonly secretId: string;
  readonly secretPointer?: string;
  readonly endpointOverride?: string;
}

export interface VaultTarget {
  readonly store: 'vault';
  readonly endpoint: string;
  readonly mount: string;
  readonly path: string;
  readonly key: string;
  readonly authenticationType?: string;
}

export type VerifyTarget = AwsTarget | VaultTarget;

export interface Verifiable {
  readonly reference: SecretReference;
  readonly target: VerifyTarget;
}

/** What to ask the store for, when the reference has no errors and names everything the store needs. */
export function verifyTargetOf(reference: SecretReference): VerifyTarget | undefined {
  if (!reference.valid || reference.templated) return undefined;
  if (reference.store === 'aws') {
    const aws = reference.aws;
    if (!aws?.region || !aws.secretId) return undefined;
    return {
      store: 'aws',
      region: aws.region,
      secretId: aws.secretId,
      ...(aws.secretPointer !== undefined ? { secretPointer: aws.secretPointer } : {}),
      ...(aws.endpointOverride !== undefined ? { endpointOverride: aws.endpointOverride } : {}),
    };
  }
  if (reference.store === 'vault') {
    const vault = reference.vault;
    if (!vault?.mount || !vault.path || !vault.key || !vault.endpoint) return undefined;
    return {
      store: 'vault',
      endpoint: vault.endpoint,
      mount: vault.mount,
      path: vault.path,
      key: vault.key,
      ...(vault.authenticationType !== undefined ? { authenticationType: vault.authenticationType } : {}),
    };
  }
  return undefined;
}

/** The references of a file that a verify can resolve, with their targets, in document order. */
export function verifiableReferences(analysis: Analysis): Verifiable[] {
  const out: Verifiable[] = [];
  for (const reference of analysis.references) {
    const target = verifyTargetOf(reference);
    if (target) out.push({ reference, target });
  }
  return out;
}

/** The references a verify looks at (AWS and Vault), whether or not they can be resolved as written. */
export function isVerifiableStore(reference: SecretReference): boolean {
  return reference.store === 'aws' || reference.store === 'vault';
}

/** A Vault secret's name for messages: mount/path, with one slash between. */
export function vaultSecretName(mount: string, path: string): string {
  return `${trimSlashes(mount, 'end')}/${trimSlashes(path, 'start')}`;
}

/** The secret's name for messages: the AWS secret id, or Vault's mount/path. */
export function targetName(target: VerifyTarget): string {
  return target.store === 'aws' ? target.secretId : vaultSecretName(target.mount, target.path);
}

/**
 * Where the verify sends credentials that the file chose: an AWS endpointOverride (signed requests) or a Vault
 * endpoint (the token; not for Kubernetes auth, which is not attempted). Undefined: AWS's own endpoints.
 */
export function credentialDestination(target: VerifyTarget): { endpoint: string; what: 'signed AWS requests' | 'the Vault token' } | undefined {
  if (target.store === 'aws') return target.endpointOverride ? { endpoint: target.endpointOverride, what: 'signed AWS requests' } : undefined;
  return target.authenticationType === 'KUBERNETES' ? undefined : { endpoint: target.endpoint, what: 'the Vault token' };
}

/** The keys of a templated reference whose values a template fills in (their text holds a placeholder). */
export function templatedKeys(reference: SecretReference): string[] {
  const object = parseObject(reference.payload);
  if (!object || (reference.store !== 'aws' && reference.store !== 'vault')) return [];
  return Object.keys(object).filter((k) => typeof object[k] === 'string' && hasPlaceholder(object[k], reference.placeholder));
}

/** The reference's JSON with the templated keys given values: what a verify would send, checked by the caller. */
export function filledPayload(reference: SecretReference, values: Readonly<Record<string, string>>): string | undefined {
  const object = parseObject(reference.payload);
  if (!object) return undefined;
  return JSON.stringify({ ...object, ...values });
}

function parseObject(payload: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(payload);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The target of a templated reference once the user has typed its templated values: the filled JSON goes through the
 * same store rules as a file's (an invalid region is refused with the rule's message), then through verifyTargetOf.
 */
export function filledTarget(reference: SecretReference, values: Readonly<Record<string, string>>): { target: VerifyTarget } | { problem: string } {
  const json = filledPayload(reference, values);
  if (json === undefined || (reference.store !== 'aws' && reference.store !== 'vault')) return { problem: 'The reference is not a JSON object.' };
  const checked = checkTypedReference(json, reference.store === 'aws' ? AWS_STORE : VAULT_STORE, reference.store);
  const error = checked.findings.find((f) => f.severity === 'error');
  if (error) return { problem: error.message };
  const target = verifyTargetOf(checked.reference);
  return target ? { target } : { problem: 'The values do not make a complete reference.' };
}

/**
 * The template's expressions in a templated reference, one entry per templated key: the runs of placeholder characters
 * in the payload (payload offsets, in order; each run one expression) and how to fill the key's value once each run has
 * a typed value (`prod` for `{{ env }}` in "bitbucket/{{ env }}/db"). Pure.
 */
export function templatedRuns(reference: SecretReference): { key: string; runs: { from: number; to: number }[]; fill: (typed: readonly string[]) => string }[] {
  const placeholder = reference.placeholder;
  const object = parseObject(reference.payload);
  if (!placeholder || !object) return [];
  const root = parseTree(reference.payload);
  return templatedKeys(reference).flatMap((key) => {
    const node = root?.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1];
    const value = object[key];
    if (!node || typeof value !== 'string') return [];
    const runs: { from: number; to: number }[] = [];
    for (let i = node.offset; i < node.offset + node.length; i++) {
      if (reference.payload[i] !== placeholder) continue;
      const from = i;
      while (reference.payload[i] === placeholder) i++;
      runs.push({ from, to: i });
    }
    const pattern = new RegExp(`${placeholder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}+`, 'g');
    return [
      {
        key,
        runs,
        fill: (typed: readonly string[]) => {
          let k = 0;
          return value.replace(pattern, () => typed[k++] ?? '');
        },
      },
    ];
  });
}
