/**
 * Everything Bitbucket will see in `bitbucket.properties` when it resolves its secrets, and every mistake that would
 * stop it: the "computer" behind diagnostics, quick fixes, CodeLens, the CLI and the wizard. Pure; never throws.
 */
import { Node } from 'jsonc-parser';
import { Finding, Fix, Span, SpanMapper, TextEdit } from '../diagnostics';
import { CIPHER_CLASSES, StoreType, AWS_STORE, BASE64_STORE, VAULT_STORE, ALGORITHM_STORE, classifyCipher, knownClass } from '../model/cipherClasses';
import { PropertiesDocument, PropertyEntry, readProperties } from '../properties/reader';
import { detectEol, escapePropertiesValue, unicodeEscapes } from '../properties/escape';
import { LineIndex } from '../text/lineIndex';
import { nearest } from '../text/nearest';
import { asIsoLatin1, nonAsciiRuns } from '../text/isoView';
import { springBootDivergences } from '../properties/springBoot';
import { AwsReference, quickValidAwsReference, validateAwsObject } from '../stores/aws';
import { jsonSyntaxFindings, parseStrictJson } from '../stores/json';
import { readGson } from '../stores/gson';
import { validateVaultObject, VaultReference } from '../stores/vault';
import { ALGORITHM_KEYS, AlgorithmReference, validateAlgorithmObject } from '../stores/algorithm';

export const CIPHER_PROPERTY = 'encrypted-property.cipher.classname';
export const LEGACY_CIPHER_PROPERTY = 'jdbc.password.decrypter.classname';
export const PASSWORD_PROPERTY = 'jdbc.password';
export const ENC_PREFIX = '{ENC}';

export interface CipherSetting {
  readonly entry: PropertyEntry;
  readonly className: string;
  readonly type: StoreType;
  readonly legacy: boolean;
}

export interface SecretReference {
  readonly key: string;
  readonly entry: PropertyEntry;
  readonly store: StoreType;
  /** True when the value carries the `{ENC}` marker. */
  readonly marked: boolean;
  /** The text the secret store receives (after `{ENC}`), as the product sees it after unescaping. */
  readonly payload: string;
  /** Index in `entry.value` where the payload starts. */
  readonly payloadOffset: number;
  /** Parsed AWS coordinates, when the store is AWS and the JSON is an object. */
  readonly aws?: AwsReference;
  readonly vault?: VaultReference;
  readonly algorithm?: AlgorithmReference;
  /** Document range of the whole reference value. */
  readonly span: Span;
  /** True when no error was found in this reference. */
  readonly valid: boolean;
}

export type Product = 'bitbucket' | 'jira' | 'confluence' | 'bamboo' | 'crowd';

export interface Analysis {
  readonly product: Product;
  readonly document: PropertiesDocument;
  readonly cipher?: CipherSetting;
  readonly references: readonly SecretReference[];
  readonly findings: readonly Finding[];
  /** True when the file is Bitbucket's or uses the secrets mechanism at all (otherwise findings are empty). */
  readonly relevant: boolean;
}

export interface AnalyzeOptions {
  /** The file's base name; `bitbucket.properties` turns on the Bitbucket-only rules (e.g. plaintext password). */
  readonly fileName?: string;
  /** Checks that local key and sealed-object files exist (algorithm stores); omitted: no file checks. */
  readonly fileExists?: (path: string) => boolean;
  /**
   * How the text was decoded from the file's bytes: UTF-8 (the editor's and the CLI's default), ISO-8859-1 (what the
   * products read), or something else (no encoding rule applies). Default UTF-8.
   */
  readonly encoding?: 'utf-8' | 'iso-8859-1' | 'other';
  /** The file starts with a byte-order mark that is not part of `text` (the editor strips it). */
  readonly bom?: boolean;
}

export class Context {
  private lines?: LineIndex;
  readonly findings: Finding[] = [];
  readonly eol: string;

  constructor(
    readonly text: string,
    readonly fileExists?: (path: string) => boolean,
    /** The host format: how values are escaped in fixes, and whether properties escapes are checked. */
    readonly format: 'properties' | 'xml' = 'properties',
    readonly escapeValue: (value: string) => string = (v) => escapePropertiesValue(v, { leading: false }),
  ) {
    this.eol = detectEol(text);
  }

  get lineIndex(): LineIndex {
    return (this.lines ??= new LineIndex(this.text));
  }

  /** The whole physical lines of an entry, including the final line break: for deleting or replacing it. */
  entryLines(entry: PropertyEntry): Span {
    return this.lineIndex.linesOf(entry.start, entry.end, true);
  }

  lineStartOf(entry: PropertyEntry): number {
    return this.lineIndex.lineStart(this.lineIndex.positionAt(entry.start).line);
  }
}

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

function keySpan(entry: PropertyEntry): Span {
  return entry.keyEnd > entry.keyStart ? { start: entry.keyStart, end: entry.keyEnd } : { start: entry.start, end: entry.start + 1 };
}

function valueSpan(entry: PropertyEntry): Span {
  return entry.valueEnd > entry.valueStart
    ? { start: entry.valueStart, end: entry.valueEnd }
    : { start: entry.keyStart, end: Math.max(entry.keyEnd, entry.keyStart + 1) };
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
  return doc.root ? validateAlgorithmObject(doc.root, { json: payload, map, edit: editJson, out: ctx.findings }, { fileExists: ctx.fileExists }) : undefined;
}

/**
 * Every path by which the products load a properties file reads it as ISO-8859-1 (product-loading.md §0, §2). A
 * non-ASCII character saved as UTF-8 reaches the product as other characters; a UTF-8 byte-order mark becomes part of
 * the first key. Comments are not read, so only keys and values count.
 */
function checkEncoding(text: string, document: PropertiesDocument, options: AnalyzeOptions, ctx: Context): void {
  const first = document.entries[0];
  const bomInText = text.charCodeAt(0) === 0xfeff;
  if ((bomInText || options.bom) && options.encoding !== 'iso-8859-1' && options.encoding !== 'other') {
    const key = first ? first.key.replace(/^\ufeff/, '') : undefined;
    const firstIsFirstLine = first !== undefined && ctx.lineIndex.positionAt(first.start).line === 0;
    const lost = firstIsFirstLine && (key === CIPHER_PROPERTY || key === LEGACY_CIPHER_PROPERTY || key === PASSWORD_PROPERTY);
    ctx.findings.push({
      code: 'properties-bom',
      severity: lost ? 'error' : 'warning',
      start: 0,
      end: bomInText ? 1 : 0,
      message:
        'The file starts with a UTF-8 byte-order mark. The product reads the file as ISO-8859-1, so the mark becomes the three characters "ï»¿" at the start of the first line' +
        (lost
          ? `: the key is then "ï»¿${key}", not ${key}, and the product does not find it. `
          : firstIsFirstLine
            ? ` (the key "ï»¿${key}"). `
            : ' (a comment there stops being one). ') +
        (bomInText ? 'Remove the mark.' : 'Save the file as UTF-8 without BOM (or as ISO-8859-1).'),
      fixes: bomInText ? [{ title: 'Remove the byte-order mark', isPreferred: true, edits: [{ start: 0, end: 1, newText: '' }] }] : undefined,
    });
  }
  // Buffer.byteLength is a native scan: it equals the length exactly when every character is ASCII.
  if (options.encoding === 'iso-8859-1' || options.encoding === 'other' || Buffer.byteLength(text, 'utf8') === text.length) return;
  for (const entry of document.entries) {
    for (const [start, end] of nonAsciiRuns(text, bomInText && entry.start === 0 ? 1 : entry.start, entry.end)) {
      const chars = text.slice(start, end);
      if (chars === '\ufeff') continue;
      const shown = chars.length > 12 ? `${chars.slice(0, 12)}…` : chars;
      const seen = asIsoLatin1(shown);
      ctx.findings.push({
        code: 'properties-non-ascii',
        severity: 'warning',
        start,
        end,
        message:
          `The product reads this file as ISO-8859-1: "${shown}", saved as UTF-8, reaches it as "${seen}". ` +
          `Write ${unicodeEscapes(chars.length > 4 ? chars.slice(0, 4) : chars, true)}${chars.length > 4 ? '…' : ''} instead (the loader decodes \\uXXXX), or save the file as ISO-8859-1.`,
        fixes: [
          {
            title: `Escape as ${chars.length > 3 ? '\\uXXXX' : unicodeEscapes(chars, true)}`,
            isPreferred: true,
            edits: [{ start, end, newText: unicodeEscapes(chars, true) }],
          },
        ],
      });
    }
  }
}

export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  const document = readProperties(text);
  const ctx = new Context(text, options.fileExists);
  const isBitbucketFile = (options.fileName ?? '').toLowerCase() === 'bitbucket.properties';

  // Java keeps the last value of a repeated key. One pass; lists are kept only for keys that repeat.
  const effective = new Map<string, PropertyEntry>();
  let repeatedKeys: Set<string> | undefined;
  let usesEnc = false;
  for (const entry of document.entries) {
    const size = effective.size;
    effective.set(entry.key, entry); // one hash lookup per entry: a repeat leaves the size unchanged
    if (effective.size === size) (repeatedKeys ??= new Set()).add(entry.key);
    if (!usesEnc && entry.valueStartsWith(ENC_PREFIX)) usesEnc = true;
  }
  let repeated: Map<string, PropertyEntry[]> | undefined;
  if (repeatedKeys) {
    repeated = new Map();
    for (const entry of document.entries) {
      if (!repeatedKeys.has(entry.key)) continue;
      const list = repeated.get(entry.key);
      if (list) list.push(entry);
      else repeated.set(entry.key, [entry]);
    }
  }

  const relevant = isBitbucketFile || usesEnc || effective.has(CIPHER_PROPERTY) || effective.has(LEGACY_CIPHER_PROPERTY);
  if (!relevant) {
    return { product: 'bitbucket', document, references: [], findings: [], relevant };
  }
  checkEncoding(text, document, options, ctx);
  if ((options.fileName ?? '').toLowerCase() === 'stash-config.properties') {
    // Stash's file: {ENC} and the cipher class belong to Bitbucket's bitbucket.properties. UNCONFIRMED whether a
    // Bitbucket that still finds this file reads secrets from it, so a warning, and no {ENC} advice beyond it.
    const first = document.entries.find((e) => e.valueStartsWith(ENC_PREFIX) || e.key === CIPHER_PROPERTY || e.key === LEGACY_CIPHER_PROPERTY)!;
    const span = keySpan(first);
    return {
      product: 'bitbucket',
      document,
      references: [],
      findings: [
        {
          code: 'stash-config-enc',
          severity: 'warning',
          start: span.start,
          end: span.end,
          message:
            'stash-config.properties is the configuration file of Stash, before it became Bitbucket, which resolves no {ENC} values or secret stores. ' +
            'Bitbucket reads shared/bitbucket.properties (and renames this file to it on upgrade): put the secret store settings there.',
        },
      ],
      relevant,
    };
  }
  ctx.findings.push(...springBootDivergences(text, document, (entry) => entry.key === PASSWORD_PROPERTY || entry.valueStartsWith(ENC_PREFIX)));

  for (const problem of document.problems) {
    ctx.findings.push({
      code: 'properties-malformed-unicode',
      severity: 'error',
      start: problem.start,
      end: problem.end,
      message:
        'Malformed \\uXXXX escape: Java needs exactly four hex digits after \\u, and Properties.load throws on this, so the product cannot read the file at all. ' +
        'Write four hex digits, or \\\\u for a literal backslash-u.',
    });
  }

  for (const [key, entries] of repeated ?? []) {
    const last = entries[entries.length - 1];
    const lastLine = ctx.lineIndex.positionAt(last.start).line + 1;
    // One message for every earlier entry of the key; each fix is built only when asked for (a light bulb, a fix-all):
    // a hostile file may repeat a key a hundred thousand times.
    const message = `"${key}" is set again on line ${lastLine}; Java keeps the last value, so this line has no effect. Remove one of them.`;
    for (let i = 0; i < entries.length - 1; i++) {
      const earlier = entries[i];
      const empty = earlier.keyEnd <= earlier.keyStart;
      ctx.findings.push({
        code: 'properties-duplicate-key',
        severity: 'warning',
        start: empty ? earlier.start : earlier.keyStart,
        end: empty ? earlier.start + 1 : earlier.keyEnd,
        message,
        unnecessary: true,
        get fixes(): Fix[] {
          return [{ title: `Remove this earlier "${key}" entry`, isPreferred: true, edits: [{ ...ctx.entryLines(earlier), newText: '' }] }];
        },
      });
    }
  }

  const cipher = cipherSetting(effective, ctx);

  const references: SecretReference[] = [];
  for (const entry of effective.values()) {
    const marked = entry.valueStartsWith(ENC_PREFIX);
    const legacyPassword = !marked && entry.key === PASSWORD_PROPERTY && cipher?.legacy === true && cipher.type !== 'none';
    if (!marked && !legacyPassword) continue;
    references.push(checkReference(entry, marked, cipher, ctx));
  }

  const markedRefs = references.filter((r) => r.marked);
  if (cipher && !cipher.legacy && cipher.type !== 'none' && markedRefs.length === 0) {
    ctx.findings.push({
      code: 'cipher-without-enc',
      severity: 'warning',
      start: keySpan(cipher.entry).start,
      end: keySpan(cipher.entry).end,
      message:
        `${CIPHER_PROPERTY} is set, but no value is marked ${ENC_PREFIX}, so nothing will be resolved through ${cipher.className}. ` +
        `Prefix the value to resolve, e.g. ${PASSWORD_PROPERTY}=${ENC_PREFIX}…, or remove this line.`,
    });
  }
  const legacyEntry = effective.get(LEGACY_CIPHER_PROPERTY);
  if (legacyEntry && markedRefs.length > 0) {
    const canRename = !effective.has(CIPHER_PROPERTY);
    ctx.findings.push({
      code: 'cipher-legacy-property',
      severity: 'warning',
      start: keySpan(legacyEntry).start,
      end: keySpan(legacyEntry).end,
      message:
        `${LEGACY_CIPHER_PROPERTY} is the older property; ${ENC_PREFIX} values are decrypted with the class in ${CIPHER_PROPERTY}. ` +
        (canRename ? `Rename this key to ${CIPHER_PROPERTY}.` : 'Remove this line once the new property holds the right class.'),
      fixes: canRename
        ? [
            {
              title: `Rename to ${CIPHER_PROPERTY}`,
              isPreferred: true,
              edits: [{ start: legacyEntry.keyStart, end: legacyEntry.keyEnd, newText: CIPHER_PROPERTY }],
            },
          ]
        : undefined,
    });
  }

  const password = effective.get(PASSWORD_PROPERTY);
  if (isBitbucketFile && password && !password.value.startsWith(ENC_PREFIX) && !(cipher?.legacy && cipher.type !== 'none') && password.value !== '') {
    ctx.findings.push({
      code: 'plaintext-password',
      severity: 'warning',
      start: valueSpan(password).start,
      end: valueSpan(password).end,
      message:
        `${PASSWORD_PROPERTY} holds the database password in plaintext, readable by anyone who can read this file or its backups. ` +
        'Store it in AWS Secrets Manager and put an {ENC} reference here.',
    });
  }

  ctx.findings.sort((a, b) => a.start - b.start || a.end - b.end);
  return { product: 'bitbucket', document, cipher, references, findings: ctx.findings, relevant };
}

function cipherSetting(effective: Map<string, PropertyEntry>, ctx: Context): CipherSetting | undefined {
  let result: CipherSetting | undefined;
  for (const [property, legacy] of [
    [LEGACY_CIPHER_PROPERTY, true],
    [CIPHER_PROPERTY, false],
  ] as const) {
    const entry = effective.get(property);
    if (!entry) continue;
    const setting = checkCipherEntry(entry, legacy, ctx);
    // The current property wins over the legacy one for {ENC} values.
    if (!result || !legacy) result = setting;
  }
  return result;
}

/** Classifies a cipher class entry and reports whitespace, near-miss and custom classes. */
export function checkCipherEntry(entry: PropertyEntry, legacy: boolean, ctx: Context): CipherSetting {
  const className = entry.value;
  const trimmed = className.trim();
  const type = classifyCipher(trimmed);
  const span = valueSpan(entry);
  if (trimmed !== className) {
    ctx.findings.push({
      code: 'cipher-whitespace',
      severity: 'warning',
      start: span.start,
      end: span.end,
      message: `The class name has surrounding whitespace${ctx.format === 'properties' ? ', which Properties.load keeps' : ''}; whether the product trims it is unconfirmed, and an untrimmed name fails to load. Remove the whitespace.`,
      fixes: [
        {
          title: 'Remove surrounding whitespace',
          isPreferred: true,
          edits: [{ start: entry.valueStart, end: entry.valueEnd, newText: ctx.format === 'xml' ? trimmed : escapePropertiesValue(trimmed) }],
        },
      ],
    });
  }
  if (type === 'custom') {
    const suggestion =
      nearest(
        trimmed,
        CIPHER_CLASSES.map((c) => c.className),
        6,
      ) ?? nearestBySimpleName(trimmed);
    if (suggestion) {
      ctx.findings.push({
        code: 'cipher-class-typo',
        severity: 'warning',
        start: span.start,
        end: span.end,
        message:
          `"${trimmed}" is not a class the product ships, so it will be loaded as a custom store and start-up fails with "Couldn't initiate class" unless you provide it. ` +
          `Did you mean ${suggestion}?`,
        fixes: [{ title: `Change to ${suggestion}`, isPreferred: true, edits: [{ start: entry.valueStart, end: entry.valueEnd, newText: suggestion }] }],
      });
    } else {
      ctx.findings.push({
        code: 'cipher-custom',
        severity: 'info',
        start: span.start,
        end: span.end,
        message: `"${trimmed}" is a custom secret store: the product loads it by reflection, so its jar must be in the product's WEB-INF/lib (copy it again after every upgrade). Its values cannot be checked here.`,
      });
    }
  }
  return { entry, className: trimmed, type, legacy };
}

function nearestBySimpleName(className: string): string | undefined {
  const simple = className.split('.').pop() ?? className;
  const match = CIPHER_CLASSES.filter((c) => !c.loadsAs).find((c) => c.className.split('.').pop()!.toLowerCase() === simple.toLowerCase());
  return match?.className;
}

/**
 * The JSON.parse fast path only for payloads a valid reference could be (a 512-character name or ARN, a pointer, an
 * endpoint): V8's JSON.parse is superlinear on deep nesting (10× the nesting, 25× the time), the strict path is not.
 */
const QUICK_PATH_MAX = 4096;

export function checkReference(entry: PropertyEntry, marked: boolean, cipher: CipherSetting | undefined, ctx: Context): SecretReference {
  const payloadOffset = marked ? ENC_PREFIX.length : 0;
  const payload = entry.value.slice(payloadOffset);
  const before = ctx.findings.length;
  const span = valueSpan(entry);
  const map = (from: number, to: number): Span => entry.valueMap.range(payloadOffset + from, payloadOffset + to);
  const editJson = (from: number, to: number, newText: string): TextEdit[] => [{ ...map(from, to), newText: ctx.escapeValue(newText) }];
  // Without a usable class, validate the value as the store it was evidently written for (and say the class is missing).
  const store: StoreType = cipher && cipher.type !== 'none' ? cipher.type : (knownClass(inferStore(payload) ?? '')?.type ?? 'none');

  if (marked && (!cipher || cipher.type === 'none')) {
    const guess = inferStore(payload);
    const markerSpan = entry.valueMap.range(0, ENC_PREFIX.length);
    const fixes: Fix[] = [];
    if (!cipher) {
      const className = guess ?? AWS_STORE;
      fixes.push({
        title: `Add ${CIPHER_PROPERTY}=${knownClass(className)?.title ?? className}`,
        isPreferred: guess !== undefined,
        edits: [{ start: ctx.lineStartOf(entry), end: ctx.lineStartOf(entry), newText: `${CIPHER_PROPERTY}=${className}${ctx.eol}` }],
      });
    } else if (guess) {
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
        `This value is marked ${ENC_PREFIX} but ${cipher ? `${CIPHER_PROPERTY} is empty` : `no ${CIPHER_PROPERTY} is set`}, so the product cannot resolve it and will use the text literally. ` +
        `Add ${CIPHER_PROPERTY} with the secret store's class.`,
      fixes,
    });
  }

  if (marked && entry.key !== PASSWORD_PROPERTY) {
    ctx.findings.push({
      code: 'enc-non-password-key',
      severity: 'warning',
      start: keySpan(entry).start,
      end: keySpan(entry).end,
      message:
        `${ENC_PREFIX} on "${entry.key}": Atlassian documents it for ${PASSWORD_PROPERTY}; whether other properties are resolved is unconfirmed for your version. ` +
        "Check your Bitbucket version's documentation, or keep secrets in jdbc.password only.",
    });
  }

  let aws: AwsReference | undefined;
  let vault: VaultReference | undefined;
  let algorithm: AlgorithmReference | undefined;
  const jsonStore = store === 'aws' || store === 'vault';
  if (store === 'algorithm' || store === 'aes-only') {
    // Gson reads this store's JSON: lenient, but strict about what follows the object.
    algorithm = checkGsonValue(payload, map, editJson, ctx, cipher?.className);
    if (entry.valueHasEscapes && ctx.format === 'properties') checkEscapes(entry, payloadOffset, ctx);
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
        (from, to, replacement) => [{ title: 'Replace typographic quotes with straight quotes', isPreferred: true, edits: editJson(from, to, replacement) }],
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
          aws = validateAwsObject(json.root, { json: payload, map, edit: editJson, out: ctx.findings });
        } else {
          vault = validateVaultObject(json.root, { json: payload, map, edit: editJson, out: ctx.findings });
        }
      }
      if (entry.valueHasEscapes && ctx.format === 'properties') checkEscapes(entry, payloadOffset, ctx);
    }
  } else if (store === 'base64') {
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
            ? `Set ${cipher?.legacy ? LEGACY_CIPHER_PROPERTY : CIPHER_PROPERTY} to the matching store class.`
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

  let valid = true;
  for (let i = before; i < ctx.findings.length; i++) if (ctx.findings[i].severity === 'error') valid = false;
  return { key: entry.key, entry, store, marked, payload, payloadOffset, aws, vault, algorithm, span, valid };
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

/**
 * A backslash in a properties value is an escape: `\"` reaches the product as `"`, `\n` as a line break. Inside the
 * JSON that silently changes what Jackson parses. `\\` (a literal backslash), `\uXXXX` and line continuations are
 * intentional and left alone.
 */
function checkEscapes(entry: PropertyEntry, payloadOffset: number, ctx: Context): void {
  const text = ctx.text;
  const from = entry.valueMap.startOf(payloadOffset);
  for (let i = from; i < entry.valueEnd; i++) {
    if (text.charCodeAt(i) !== 92) continue;
    const next = text.charAt(i + 1);
    if (next === '\\' || next === 'u') {
      i++;
      continue;
    }
    if (next === '\n' || next === '\r' || next === '') continue; // line continuation
    const becomes = next === 'n' ? 'a line break' : next === 't' ? 'a tab' : next === 'r' ? 'a carriage return' : next === 'f' ? 'a form feed' : `"${next}"`;
    ctx.findings.push({
      code: 'properties-escape-changes-value',
      severity: 'warning',
      start: i,
      end: i + 2,
      message:
        `In a properties file "\\${next}" is an escape that the product reads as ${becomes}, so the JSON it parses differs from what you see. ` +
        `Write "\\\\${next}" to keep the backslash in the JSON.`,
      fixes: [{ title: `Double the backslash (\\\\${next})`, isPreferred: true, edits: [{ start: i, end: i + 1, newText: '\\\\' }] }],
    });
    i++;
  }
}
