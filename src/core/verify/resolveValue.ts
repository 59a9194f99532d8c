/** What a secret's string gives the product after its pointer: the value to measure, never to show. Pure. */
import { SecretShape } from './outcome';
import { evaluatePointer, normalizePointer } from '../stores/jsonPointer';

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
