/**
 * Rules for the algorithm (AES/DES) stores' decryption JSON (`DecryptionParameters`, read by lenient Gson): the key
 * file and the sealed object (as a file or Base64), each of which may come from an environment variable instead.
 */
import { Node } from 'jsonc-parser';
import { addAt, RuleContext, stringMembers } from './jsonRules';

export const ALGORITHM_KEYS = ['keyFilePath', 'sealedObjectFilePath', 'serializedSealedObject', 'algorithm', 'algorithmKey'] as const;
export const SEALED_OBJECT_ENV = 'com_atlassian_db_config_password_ciphers_algorithm_javax_crypto_SealedObject';
export const KEY_FILE_ENV = 'com_atlassian_db_config_password_ciphers_algorithm_javax_crypto_spec_SecretKeySpec';

export interface AlgorithmReference {
  readonly keyFilePath?: string;
  readonly sealedObjectFilePath?: string;
  readonly serializedSealedObject?: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface AlgorithmOptions {
  /** Tells whether a local path exists (the CLI and the editor pass fs.existsSync); omitted: no file checks. */
  readonly fileExists?: (path: string) => boolean;
}

export function validateAlgorithmObject(obj: Node, ctx: RuleContext, options: AlgorithmOptions = {}): AlgorithmReference {
  // Gson ignores unknown fields: a misspelt key is only a warning here, but it leaves the real key missing below.
  const { values } = stringMembers(obj, ctx, {
    known: ALGORITHM_KEYS,
    required: [],
    parser: 'Gson',
    codes: { unknown: 'aes-unknown-key', valueType: 'aes-value-type' },
    storeName: 'algorithm store',
    // UNCONFIRMED whether an empty path counts as none (then the environment variable is read) or fails.
    emptyWarns: ['keyFilePath', 'sealedObjectFilePath', 'algorithm', 'algorithmKey'],
  });
  if (!values.has('keyFilePath')) {
    addAt(ctx, obj, {
      code: 'aes-missing-key-file',
      severity: 'warning',
      message: `No "keyFilePath": the product then needs the environment variable ${KEY_FILE_ENV}, or it fails with "Missing file path for: javax.crypto.spec.SecretKeySpec". Add "keyFilePath":"…" unless that variable is set for the service.`,
    });
  }
  if (!values.has('sealedObjectFilePath') && !values.has('serializedSealedObject')) {
    addAt(ctx, obj, {
      code: 'aes-missing-sealed-object',
      severity: 'warning',
      message: `No "sealedObjectFilePath" or "serializedSealedObject": the product then needs ${SEALED_OBJECT_ENV}, or it fails with "Missing file path for: javax.crypto.SealedObject". Add one unless that variable is set for the service.`,
    });
  }
  const serialized = values.get('serializedSealedObject');
  if (serialized && (!BASE64.test(serialized.text) || serialized.text.length % 4 === 1)) {
    addAt(ctx, serialized.node, {
      code: 'aes-serialized-not-base64',
      severity: 'error',
      message:
        '"serializedSealedObject" must be the Base64 of the serialized sealed object; this is not Base64, so decryption fails at start-up. Paste the value the encryption tool printed.',
    });
  }
  for (const name of ['keyFilePath', 'sealedObjectFilePath'] as const) {
    const v = values.get(name);
    if (!v || !options.fileExists) continue;
    const local = v.text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(v.text);
    if (local && !options.fileExists(v.text)) {
      addAt(ctx, v.node, {
        code: 'aes-file-missing',
        severity: 'warning',
        message: `${v.text} does not exist on this machine. If this is the server, the product fails with a FileNotFoundException; on a cluster every node needs it at the same path. Restore the file or fix the path.`,
      });
    }
  }
  return {
    ...(values.has('keyFilePath') ? { keyFilePath: values.get('keyFilePath')!.text } : {}),
    ...(values.has('sealedObjectFilePath') ? { sealedObjectFilePath: values.get('sealedObjectFilePath')!.text } : {}),
    ...(serialized ? { serializedSealedObject: serialized.text } : {}),
  };
}
