/**
 * The rules for a value the product hands to its secret store: which store reads it, whether that store can parse it
 * (Jackson for AWS and Vault, Gson for the algorithm stores, java.util.Base64), and the store's own keys. Any format:
 * the value arrives decoded, with a source map. Pure; never throws.
 */
import { Node } from 'jsonc-parser';
import { Fix, Span, SpanMapper, TextEdit } from '../diagnostics';
import { StoreType, AWS_STORE, BASE64_STORE, VAULT_STORE, ALGORITHM_STORE, knownClass } from '../model/cipherClasses';
import { ENC_PREFIX, ProductProfile } from '../model/products';
import { hasPlaceholder } from '../templates/template';
import { Setting } from '../model/setting';
import { AwsReference, quickValidAwsReference, validateAwsObject } from '../stores/aws';
import { jsonSyntaxFindings, parseStrictJson } from '../stores/json';
import { readGson } from '../stores/gson';
import { validateVaultObject, VaultReference } from '../stores/vault';
import { ALGORITHM_KEYS, AlgorithmReference, validateAlgorithmObject } from '../stores/algorithm';
import { CipherSetting, Context, keySpan, SecretReference, valueSpan } from './analysis';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

/** java.util.Base64.getDecoder(): standard alphabet, no whitespace, padding optional but correct when present. */
export function isJavaBase64(value: string): boolean {
  if (value.length % 4 === 1) return false;
  return BASE64.test(value);
}

/** Guesses the store a payload was written for, to suggest the missing class line. */
export function inferStore(payload: string): string | undefined {
  const json = parseStrictJson(payload);
  if (json.root?.type === 'object') {
    const keys = new Set((json.root.children ?? []).map((p) => String(p.children?.[0]?.value)));
    if (keys.has('region') || keys.has('secretId') || keys.has('secretID')) return AWS_STORE;
    if (keys.has('mount') || keys.has('endpoint')) return VAULT_STORE;
    if (keys.has('keyFilePath') || keys.has('sealedObjectFilePath') || keys.has('serializedSealedObject')) return ALGORITHM_STORE;
    return undefined;
  }
  if (payload.trimStart().startsWith('{')) return AWS_STORE;
  return isJavaBase64(payload) && payload.length > 0 ? BASE64_STORE : undefined;
}

/** The algorithm stores' value as Gson reads it: its verdict, its leniencies, then the store's rules. */
function checkGsonValue(
  payload: string,
  map: SpanMapper,
  editJson: (from: number, to: number, newText: string) => TextEdit[],
  ctx: Context,
  className: string | undefined,
): AlgorithmReference | undefined {
  const doc = readGson(payload, ALGORITHM_KEYS);
  const at = (from: number, to: number) => {
    const s = map(Math.min(from, Math.max(0, payload.length - 1)), Math.min(payload.length, Math.max(from + 1, to)));
    return { start: s.start, end: s.end };
  };
  for (const l of doc.leniencies) {
    ctx.findings.push({
      code: 'aes-json-lenient',
      severity: 'warning',
      ...at(l.offset, l.offset + l.length),
      message: `Gson, which reads this store's JSON, accepts ${l.what}, so the product starts; but it is not standard JSON and other tools reject it. Write standard JSON.`,
    });
  }
  const problem = doc.problem;
  if (problem) {
    const span = at(problem.offset, problem.offset + problem.length);
    const fail = 'the product will not start';
    if (problem.kind === 'trailing') {
      const rest = payload.slice(problem.offset);
      ctx.findings.push({
        code: 'enc-json-trailing',
        severity: 'error',
        ...span,
        message: `Gson reads the whole value and fails on ${JSON.stringify(rest.length > 20 ? `${rest.slice(0, 20)}…` : rest)} after the object ("JSON document was not fully consumed."): ${fail}. Remove it.`,
        fixes: [{ title: 'Remove the text after the object', isPreferred: true, edits: editJson(problem.offset, payload.length, '') }],
      });
    } else if (problem.kind === 'empty') {
      ctx.findings.push({
        code: 'cipher-value-mismatch',
        severity: 'error',
        ...span,
        message: `${className ?? 'The algorithm store'} expects its JSON object here, but ${problem.message}: ${fail}. Write the decryption JSON the encryption tool printed.`,
      });
    } else if (problem.kind === 'root-type' || problem.kind === 'field-type') {
      const root = problem.kind === 'root-type';
      ctx.findings.push({
        code: root ? 'enc-not-object' : 'aes-value-type',
        severity: 'error',
        ...span,
        message: root
          ? `The decryption JSON must be an object ({…}); Gson fails with "${problem.message}": ${fail}. Wrap the settings in { }.`
          : `This key must be text; Gson fails with "${problem.message}": ${fail}.`,
      });
    } else {
      ctx.findings.push({
        code: 'enc-json-syntax',
        severity: 'error',
        ...span,
        message: `Gson cannot read the decryption JSON: ${problem.message}. ${fail[0].toUpperCase()}${fail.slice(1)} ("Problem when reading secret store configuration"). Correct the JSON here.`,
      });
    }
    return undefined;
  }
  return doc.root
    ? validateAlgorithmObject(doc.root, { json: payload, map, edit: editJson, out: ctx.findings, placeholder: ctx.placeholder }, { fileExists: ctx.fileExists })
    : undefined;
}

/**
 * The JSON.parse fast path only for payloads a valid reference could be (a 512-character name or ARN, a pointer, an
 * endpoint): V8's JSON.parse is superlinear on deep nesting (10× the nesting, 25× the time), the strict path is not.
 */
const QUICK_PATH_MAX = 4096;

export function checkReference(entry: Setting, marked: boolean, cipher: CipherSetting | undefined, ctx: Context): SecretReference {
  const payloadOffset = marked ? ENC_PREFIX.length : 0;
  const payload = entry.value.slice(payloadOffset);
  const before = ctx.findings.length;
  const span = valueSpan(entry);
  const map = (from: number, to: number): Span => entry.valueMap.range(payloadOffset + from, payloadOffset + to);
  const editJson = (from: number, to: number, newText: string): TextEdit[] => [{ ...map(from, to), newText: ctx.format.escapeValue(newText) }];
  // Without a usable class, validate the value as the store it was evidently written for (and say the class is missing).
  const profile = ctx.kind.profile;
  const classSetting = profile.cipherSettings[profile.cipherSettings.length - 1].name;
  const store: StoreType = cipher && cipher.type !== 'none' ? cipher.type : (knownClass(inferStore(payload) ?? '')?.type ?? 'none');

  checkMarkerUse(entry, marked, cipher, payload, ctx);

  let aws: AwsReference | undefined;
  let vault: VaultReference | undefined;
  let algorithm: AlgorithmReference | undefined;
  const jsonStore = store === 'aws' || store === 'vault';
  if (store === 'algorithm' || store === 'aes-only') {
    // Gson reads this store's JSON: lenient, but strict about what follows the object.
    algorithm = checkGsonValue(payload, map, editJson, ctx, cipher?.className);
    if (entry.valueHasEscapes) ctx.format.checkValue?.(entry, payloadOffset, ctx);
  } else if (jsonStore) {
    const trimmed = payload.trimStart();
    if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) {
      const s = map(0, payload.length);
      ctx.findings.push({
        code: 'cipher-value-mismatch',
        severity: 'error',
        start: s.start === s.end ? span.start : s.start,
        end: s.start === s.end ? span.end : s.end,
        message:
          `${cipher?.className ?? 'The secret store'} expects a JSON object here, but the value is ${payload === '' ? 'empty' : 'not JSON'}; the product will not start. ` +
          (store === 'aws' ? 'Write {"region":"…","secretId":"…"}.' : "Write the store's JSON configuration."),
      });
    } else if (store === 'aws' && !entry.valueHasEscapes && payload.length <= QUICK_PATH_MAX && (aws = quickValidAwsReference(payload)) !== undefined) {
      // A reference with nothing to report: no syntax tree needed.
    } else {
      const json = parseStrictJson(payload);
      const parsed = jsonSyntaxFindings(
        payload,
        json,
        map,
        ctx.findings,
        (from, to, replacement, title) => [{ title, isPreferred: true, edits: editJson(from, to, replacement) }],
        (from, to) => editJson(from, to, ''),
      );
      if (parsed && json.root) {
        if (json.root.type !== 'object') {
          const s = map(json.root.offset, json.root.offset + json.root.length);
          ctx.findings.push({
            code: 'enc-not-object',
            severity: 'error',
            start: s.start,
            end: s.end,
            message: `The secret reference must be a JSON object ({…}), not ${describeNode(json.root)}; the product will not start. Wrap the settings in { }.`,
          });
        } else if (store === 'aws') {
          aws = validateAwsObject(json.root, { json: payload, map, edit: editJson, out: ctx.findings, placeholder: ctx.placeholder });
        } else {
          vault = validateVaultObject(json.root, { json: payload, map, edit: editJson, out: ctx.findings, placeholder: ctx.placeholder });
        }
      }
      if (entry.valueHasEscapes) ctx.format.checkValue?.(entry, payloadOffset, ctx);
    }
  } else if (store === 'base64') {
    checkBase64(payload, span, map, cipher, classSetting, ctx);
  }

  let valid = true;
  for (let i = before; i < ctx.findings.length; i++) if (ctx.findings[i].severity === 'error') valid = false;
  // One object per reference, built in one literal per store (an intermediate spread doubles the allocations).
  const templated = hasPlaceholder(payload, ctx.placeholder);
  // The character the template's expressions became, for finding them in the payload again (core/verify/targets).
  const placeholder = templated ? ctx.placeholder : undefined;
  const key = entry.key;
  switch (store) {
    case 'aws':
      return { key, entry, marked, payload, payloadOffset, span, valid, templated, placeholder, store, aws };
    case 'vault':
      return { key, entry, marked, payload, payloadOffset, span, valid, templated, placeholder, store, vault };
    case 'algorithm':
    case 'aes-only':
      return { key, entry, marked, payload, payloadOffset, span, valid, templated, placeholder, store, algorithm };
    default:
      return { key, entry, marked, payload, payloadOffset, span, valid, templated, placeholder, store };
  }
}

function describeNode(node: Node): string {
  switch (node.type) {
    case 'array':
      return 'an array';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'null':
      return 'null';
    default:
      return node.type;
  }
}

/** {ENC} with no class to resolve it, or on a setting other than the password. */
function checkMarkerUse(entry: Setting, marked: boolean, cipher: CipherSetting | undefined, payload: string, ctx: Context): void {
  const profile = ctx.kind.profile;
  const classSetting = profile.cipherSettings[profile.cipherSettings.length - 1].name;
  if (marked && (!cipher || cipher.type === 'none')) {
    const guess = inferStore(payload);
    const markerSpan = entry.valueMap.range(0, ENC_PREFIX.length);
    const fixes: Fix[] = [];
    const classLine = ctx.format.classLine;
    if (!cipher && classLine) {
      const className = guess ?? AWS_STORE;
      fixes.push({
        title: `Add ${classSetting}=${knownClass(className)?.title ?? className}`,
        isPreferred: guess !== undefined,
        edits: [{ start: ctx.lineStartOf(entry), end: ctx.lineStartOf(entry), newText: classLine(className, ctx.eol) }],
      });
    } else if (cipher && guess) {
      fixes.push({
        title: `Set the class to ${guess}`,
        isPreferred: true,
        edits: [{ start: cipher.entry.valueStart, end: cipher.entry.valueEnd, newText: guess }],
      });
    }
    ctx.findings.push({
      code: 'enc-without-cipher',
      severity: 'error',
      start: markerSpan.start,
      end: markerSpan.end,
      message:
        `This value is marked ${ENC_PREFIX} but ${cipher ? `${classSetting} is empty` : `no ${classSetting} is set`}, so the product cannot resolve it and will use the text literally. ` +
        `Add ${classSetting} with the secret store's class.`,
      fixes,
    });
  }

  if (marked && entry.key !== profile.passwordSetting) {
    const span = keySpan(entry);
    // The constant parts once per product: a file may mark 100,000 other keys, and each message is then one join.
    const [before, after] = nonPasswordKeyMessage(profile);
    ctx.findings.push({ code: 'enc-non-password-key', severity: 'warning', start: span.start, end: span.end, message: before + entry.key + after });
  }
}

const NON_PASSWORD_KEY = new Map<ProductProfile, readonly [string, string]>();

function nonPasswordKeyMessage(profile: ProductProfile): readonly [string, string] {
  let parts = NON_PASSWORD_KEY.get(profile);
  if (!parts) {
    parts = [
      `${ENC_PREFIX} on "`,
      `": Atlassian documents it for ${profile.passwordSetting}; whether other properties are resolved is unconfirmed for your version. ` +
        `Check your ${profile.name} version's documentation, or keep secrets in ${profile.passwordSetting} only.`,
    ];
    NON_PASSWORD_KEY.set(profile, parts);
  }
  return parts;
}

/** The Base64 store: an encoding, not encryption; and the value must be Java's Base64. */
function checkBase64(
  payload: string,
  span: Span,
  map: (from: number, to: number) => Span,
  cipher: CipherSetting | undefined,
  classSetting: string,
  ctx: Context,
): void {
  if (isJavaBase64(payload) && payload !== '') {
    ctx.findings.push({
      code: 'base64-obfuscation',
      severity: 'info',
      start: span.start,
      end: span.end,
      message:
        'Base64 is an encoding, not encryption: anyone who can read this file can decode the password. Atlassian does not recommend it in production; use AWS Secrets Manager, HashiCorp Vault or AES encryption.',
    });
  }
  if (!isJavaBase64(payload)) {
    const s = payload.length > 0 ? map(0, payload.length) : span;
    ctx.findings.push({
      code: 'cipher-value-mismatch',
      severity: 'error',
      start: s.start,
      end: s.end,
      message:
        `${cipher?.className ?? 'The Base64 store'} expects Base64 text, but ${payload.trimStart().startsWith('{') ? 'this looks like a JSON secret reference for another store' : 'this is not valid Base64'}; the product will fail to decode it at start-up. ` +
        (payload.trimStart().startsWith('{')
          ? `Set ${cipher?.entry.key ?? classSetting} to the matching store class.`
          : 'Encode the value with Base64 (A–Z, a–z, 0–9, +, /, = padding).'),
      fixes: (() => {
        const guess = payload.trimStart().startsWith('{') ? inferStore(payload) : undefined;
        return guess && cipher
          ? [
              {
                title: `Set the class to ${guess}`,
                isPreferred: true,
                edits: [{ start: cipher.entry.valueStart, end: cipher.entry.valueEnd, newText: guess }],
              },
            ]
          : undefined;
      })(),
    });
  }
}
