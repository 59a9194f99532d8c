/**
 * Which references can be verified, and what a verify needs to know about each: one rule for the editor (lenses,
 * Verify all, Copy value) and the CLI (`encprops verify`). Pure.
 */
import { Analysis, SecretReference } from '../rules/analysis';
import { trimSlashes } from '../text/terminal';

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
