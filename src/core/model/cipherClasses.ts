/**
 * The cipher / secret-store classes the Atlassian secrets library knows (reference §2.1, SecretStoreType.of), and how
 * the product rewrites the three legacy cipher names before loading them (DefaultSecretStoreProvider).
 */
export type StoreType = 'aws' | 'vault' | 'base64' | 'algorithm' | 'aes-only' | 'none' | 'custom';

export interface CipherClass {
  readonly className: string;
  readonly type: StoreType;
  /** For a legacy `com.atlassian.db.config.password.ciphers.*` name: the SecretStore class the product loads. */
  readonly loadsAs?: string;
  readonly title: string;
  readonly description: string;
}

export const AWS_STORE = 'com.atlassian.secrets.store.aws.AwsSecretsManagerStore';
export const VAULT_STORE = 'com.atlassian.secrets.store.vault.VaultSecretStore';
export const BASE64_STORE = 'com.atlassian.secrets.store.base64.Base64SecretStore';
export const ALGORITHM_STORE = 'com.atlassian.secrets.store.algorithm.AlgorithmSecretStore';
export const AES_ONLY_STORE = 'com.atlassian.secrets.store.algorithm.AesOnlyAlgorithmSecretStore';

export const CIPHER_CLASSES: readonly CipherClass[] = [
  {
    className: AWS_STORE,
    type: 'aws',
    title: 'AWS Secrets Manager',
    description:
      'Reads the password from AWS Secrets Manager at start-up. The value is JSON: `region`, `secretId`, optional `secretPointer` and `endpointOverride`.',
  },
  {
    className: VAULT_STORE,
    type: 'vault',
    title: 'HashiCorp Vault (KV v2)',
    description:
      'Reads the password from a HashiCorp Vault KV v2 secret. The value is JSON: `mount`, `path`, `key`, `endpoint`, optional `authenticationType`.',
  },
  {
    className: BASE64_STORE,
    type: 'base64',
    title: 'Base64 encoding',
    description: 'Decodes the value as Base64. This is obfuscation, not encryption.',
  },
  {
    className: ALGORITHM_STORE,
    type: 'algorithm',
    title: 'AES/DES encryption (algorithm store)',
    description: 'Decrypts a sealed object with a key file. The value is JSON: `keyFilePath` and `sealedObjectFilePath` or `serializedSealedObject`.',
  },
  {
    className: AES_ONLY_STORE,
    type: 'aes-only',
    title: 'AES-only encryption',
    description: 'Like the algorithm store, but accepts AES only (the only store Crowd accepts).',
  },
  {
    className: 'com.atlassian.db.config.password.ciphers.base64.Base64Cipher',
    type: 'base64',
    loadsAs: BASE64_STORE,
    title: 'Base64 encoding (legacy cipher name)',
    description: 'Legacy name; the product loads `Base64SecretStore` instead. Obfuscation, not encryption.',
  },
  {
    className: 'com.atlassian.db.config.password.ciphers.algorithm.AlgorithmCipher',
    type: 'algorithm',
    loadsAs: ALGORITHM_STORE,
    title: 'AES/DES encryption (legacy cipher name)',
    description: 'Legacy name; the product loads `AlgorithmSecretStore` instead.',
  },
  {
    className: 'com.atlassian.db.config.password.ciphers.algorithm.AesOnlyAlgorithmCipher',
    type: 'aes-only',
    loadsAs: AES_ONLY_STORE,
    title: 'AES-only encryption (legacy cipher name)',
    description: 'Legacy name; the product loads `AesOnlyAlgorithmSecretStore` instead.',
  },
];

const BY_NAME = new Map(CIPHER_CLASSES.map((c) => [c.className, c]));

export function knownClass(className: string): CipherClass | undefined {
  return BY_NAME.get(className);
}

/** SecretStoreType.of: null/empty → none, a known name → its type, anything else → custom (loaded by reflection). */
export function classifyCipher(className: string): StoreType {
  const trimmed = className.trim();
  if (trimmed === '') return 'none';
  return BY_NAME.get(trimmed)?.type ?? 'custom';
}
