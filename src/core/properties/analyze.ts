/**
 * Everything a product will see in a properties file (Bitbucket's `bitbucket.properties`) when it resolves its
 * secrets, and every mistake that would stop it: the format's own rules (encoding, escapes, repeated keys, Spring
 * Boot) here, the store rules from core/rules. The "computer" behind diagnostics, quick fixes, CodeLens, the CLI and
 * the wizard. Pure; never throws.
 */
import { Fix, sortFindings } from '../diagnostics';
import { FileKind, isOwnFile, resolveFileKind } from '../model/fileKind';
import { CIPHER_PROPERTY, ENC_PREFIX, LEGACY_CIPHER_PROPERTY, PASSWORD_PROPERTY, PRODUCTS } from '../model/products';
import { Setting } from '../model/setting';
import { Analysis, CipherSetting, Context, FormatRules, keySpan, SecretReference, valueSpan } from '../rules/analysis';
import { checkCipherEntry } from '../rules/cipher';
import { checkReference } from '../rules/reference';
import { asIsoLatin1, nonAsciiRuns } from '../text/isoView';
import { escapePropertiesValue, unicodeEscapes } from '../text/propertiesEscape';
import { PropertiesDocument, PropertyEntry, readProperties } from './reader';
import { springBootDivergences } from './springBoot';
import { shadowOf } from '../templates/inForce';
import { MaskedTemplate, placeholderExtraBytes } from '../templates/template';
import { plaintextPassword, templatedPassword } from '../product/password';

/** A properties file nobody named: Bitbucket's rules apply once it uses the secrets mechanism. */
const DEFAULT_KIND: FileKind = { profile: PRODUCTS.bitbucket, format: 'properties', source: 'format' };

export interface AnalyzeOptions {
  /** What the file is (resolveFileKind); the product's own file turns on its file-only rules (plaintext password). */
  readonly kind?: FileKind;
  /** Without a kind: the file's base name, resolved with resolveFileKind. */
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
  /** A template's masked form (the text given is its masked text): branches and placeholders. */
  readonly template?: MaskedTemplate;
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
  // Buffer.byteLength is a native scan: it equals the length exactly when every character is ASCII (a template's
  // placeholders are no character of the file: their extra bytes are counted out).
  const template = options.template;
  const extra = template ? template.placeholderChars * placeholderExtraBytes(template.placeholder) : 0;
  if (options.encoding === 'iso-8859-1' || options.encoding === 'other' || Buffer.byteLength(text, 'utf8') === text.length + extra) return;
  for (const entry of document.entries) {
    for (const [start, end] of nonAsciiRuns(text, bomInText && entry.start === 0 ? 1 : entry.start, entry.end, template?.placeholder)) {
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

/** The entries in force (Java keeps the last value of a repeated key), and the lists of the keys that repeat. */
function effectiveEntries(document: PropertiesDocument): {
  effective: Map<string, PropertyEntry>;
  repeated?: Map<string, PropertyEntry[]>;
  usesEnc: boolean;
} {
  // One pass; lists are kept only for keys that repeat.
  const effective = new Map<string, PropertyEntry>();
  let repeatedKeys: Set<string> | undefined;
  let usesEnc = false;
  for (const entry of document.entries) {
    const size = effective.size;
    effective.set(entry.key, entry); // one hash lookup per entry: a repeat leaves the size unchanged
    if (effective.size === size) (repeatedKeys ??= new Set()).add(entry.key);
    if (!usesEnc && entry.valueStartsWith(ENC_PREFIX)) usesEnc = true;
  }
  if (!repeatedKeys) return { effective, usesEnc };
  const repeated = new Map<string, PropertyEntry[]>();
  for (const entry of document.entries) {
    if (!repeatedKeys.has(entry.key)) continue;
    const list = repeated.get(entry.key);
    if (list) list.push(entry);
    else repeated.set(entry.key, [entry]);
  }
  return { effective, repeated, usesEnc };
}

/** Stash's file: {ENC} and the cipher class belong to Bitbucket's bitbucket.properties. */
function stashAnalysis(text: string, kind: FileKind, document: PropertiesDocument): Analysis {
  // UNCONFIRMED whether a Bitbucket that still finds this file reads secrets from it, so a warning, and no {ENC}
  // advice beyond it.
  const first = document.entries.find((e) => e.valueStartsWith(ENC_PREFIX) || e.key === CIPHER_PROPERTY || e.key === LEGACY_CIPHER_PROPERTY)!;
  const span = keySpan(first);
  const message =
    'stash-config.properties is the configuration file of Stash, before it became Bitbucket, which resolves no {ENC} values or secret stores. ' +
    'Bitbucket reads shared/bitbucket.properties (and renames this file to it on upgrade): put the secret store settings there.';
  return {
    kind,
    text,
    settings: document.entries,
    references: [],
    findings: [{ code: 'stash-config-enc', severity: 'warning', start: span.start, end: span.end, message }],
    relevant: true,
  };
}

/**
 * Repeated keys: an earlier entry a later one overrides is a duplicate. In a template, an earlier entry in a branch
 * exclusive with every later one of its key is not overridden: it is the value of its own branch (an alternate).
 */
function duplicateKeys(repeated: Map<string, PropertyEntry[]> | undefined, ctx: Context, template?: MaskedTemplate): PropertyEntry[] {
  const exclusive = template?.exclusive;
  const alternates: PropertyEntry[] = [];
  for (const [key, entries] of repeated ?? []) {
    for (let i = 0; i < entries.length - 1; i++) {
      const earlier = entries[i];
      const shadow = shadowOf(entries, i, exclusive);
      if (!shadow) {
        alternates.push(earlier);
        continue;
      }
      const empty = earlier.keyEnd <= earlier.keyStart;
      const line = ctx.lineIndex.positionAt(shadow.start).line + 1;
      // Each fix is built only when asked for (a light bulb, a fix-all): a hostile file may repeat a key 100,000 times.
      ctx.findings.push({
        code: 'properties-duplicate-key',
        severity: 'warning',
        start: empty ? earlier.start : earlier.keyStart,
        end: empty ? earlier.start + 1 : earlier.keyEnd,
        message: `"${key}" is set again on line ${line}; Java keeps the last value, so this line has no effect. Remove one of them.`,
        unnecessary: true,
        get fixes(): Fix[] {
          return [{ title: `Remove this earlier "${key}" entry`, isPreferred: true, edits: [{ ...ctx.entryLines(earlier), newText: '' }] }];
        },
      });
    }
  }
  return alternates;
}

function malformedUnicode(document: PropertiesDocument, ctx: Context): void {
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
}

/**
 * The entries in force in a template with alternates, in document order: every entry but the earlier ones of a repeated
 * key that a later one overrides (no sort: the few dropped entries are set aside, the rest keep their order).
 */
function inForce(
  document: PropertiesDocument,
  effective: Map<string, PropertyEntry>,
  repeated: Map<string, PropertyEntry[]> | undefined,
  alternates: readonly PropertyEntry[],
): PropertyEntry[] {
  const kept = new Set(alternates);
  const dropped = new Set<PropertyEntry>();
  for (const [key, entries] of repeated ?? []) for (const e of entries) if (e !== effective.get(key) && !kept.has(e)) dropped.add(e);
  return document.entries.filter((e) => !dropped.has(e));
}

/** Which class applies to an entry: the file's, or in a template with branches, the one of the entry's branch. */
type CipherFor = (entry: PropertyEntry) => CipherSetting | undefined;

function cipherResolver(ciphers: readonly CipherSetting[], cipher: CipherSetting | undefined, exclusive: MaskedTemplate['exclusive'] | undefined): CipherFor {
  return (entry) => {
    if (!exclusive || (ciphers.length <= 1 && (cipher === undefined || !exclusive(cipher.entry.start, entry.start)))) return cipher;
    const candidates = ciphers.filter((c) => !exclusive(c.entry.start, entry.start)).sort((a, b) => a.entry.start - b.entry.start);
    return candidates.filter((c) => !c.legacy).at(-1) ?? candidates.at(-1);
  };
}

/** A class no {ENC} value can reach (in a template: none in a branch that can render with it); the legacy class. */
function classUsage(
  effective: Map<string, PropertyEntry>,
  ciphers: readonly CipherSetting[],
  cipher: CipherSetting | undefined,
  markedRefs: readonly SecretReference[],
  ctx: Context,
  exclusive: MaskedTemplate['exclusive'] | undefined,
): void {
  const unused = exclusive
    ? ciphers.filter((c) => !c.legacy && c.type !== 'none' && !markedRefs.some((r) => !exclusive(c.entry.start, r.entry.start)))
    : cipher && !cipher.legacy && cipher.type !== 'none' && markedRefs.length === 0
      ? [cipher]
      : [];
  for (const c of unused) {
    ctx.findings.push({
      code: 'cipher-without-enc',
      severity: 'warning',
      ...keySpan(c.entry),
      message:
        `${CIPHER_PROPERTY} is set, but no value is marked ${ENC_PREFIX}, so nothing will be resolved through ${c.className}. ` +
        `Prefix the value to resolve, e.g. ${PASSWORD_PROPERTY}=${ENC_PREFIX}…, or remove this line.`,
    });
  }
  const legacyEntry = effective.get(LEGACY_CIPHER_PROPERTY);
  if (!legacyEntry || markedRefs.length === 0) return;
  const canRename = !effective.has(CIPHER_PROPERTY);
  ctx.findings.push({
    code: 'cipher-legacy-property',
    severity: 'warning',
    ...keySpan(legacyEntry),
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

/** The product's password rules (core/product) on each jdbc.password in force that no store resolves. */
function plainPasswords(passwords: readonly PropertyEntry[], cipherFor: CipherFor, kind: FileKind, ctx: Context, template?: MaskedTemplate): void {
  const site = { profile: kind.profile, label: PASSWORD_PROPERTY };
  for (const password of passwords) {
    if (password.value === '' || password.value.startsWith(ENC_PREFIX)) continue;
    const applies = cipherFor(password);
    if (applies?.legacy && applies.type !== 'none') continue;
    const placeholder = template ? password.value.indexOf(template.placeholder) : -1;
    const at = placeholder >= 0 ? password.valueMap.startOf(placeholder) : -1;
    // A literal expression ({{ "x" }}) writes its text as it is: a plaintext password (whose text is never shown).
    if (placeholder >= 0 && !template?.literalAt(at)) {
      const from = template?.placeholderAt(at) ?? 'a template variable';
      ctx.findings.push(templatedPassword(site, valueSpan(password), from, 'render'));
    } else ctx.findings.push(plaintextPassword(site, valueSpan(password)));
  }
}

export function analyzeProperties(text: string, options: AnalyzeOptions = {}): Analysis {
  const document = readProperties(text);
  const kind = options.kind ?? resolveFileKind({ fileName: options.fileName ?? '' }) ?? DEFAULT_KIND;
  const ctx = new Context(text, kind, PROPERTIES_RULES, options.fileExists, options.template?.placeholder);
  const isBitbucketFile = isOwnFile(kind);
  const { effective, repeated, usesEnc } = effectiveEntries(document);
  const relevant = isBitbucketFile || usesEnc || effective.has(CIPHER_PROPERTY) || effective.has(LEGACY_CIPHER_PROPERTY);
  if (!relevant) return { kind, text, settings: document.entries, references: [], findings: [], relevant };
  checkEncoding(text, document, options, ctx);
  if (kind.former) return stashAnalysis(text, kind, document);
  ctx.findings.push(...springBootDivergences(text, document, (entry) => entry.key === PASSWORD_PROPERTY || entry.valueStartsWith(ENC_PREFIX)));
  malformedUnicode(document, ctx);
  const alternates = duplicateKeys(repeated, ctx, options.template);
  const exclusive = options.template?.exclusive;

  const { chosen: cipher, all: fileCiphers } = cipherSetting(effective, ctx);
  const ciphers = [
    ...alternates
      .filter((e) => e.key === CIPHER_PROPERTY || e.key === LEGACY_CIPHER_PROPERTY)
      .map((e) => checkCipherEntry(e, e.key === LEGACY_CIPHER_PROPERTY, ctx)),
    ...fileCiphers,
  ];
  const cipherFor = cipherResolver(ciphers, cipher, exclusive);
  // The settings in force: one per key, plus a template's alternates in document order (no copy without any).
  const settings: Iterable<PropertyEntry> = alternates.length === 0 ? effective.values() : inForce(document, effective, repeated, alternates);

  const references: SecretReference[] = [];
  for (const entry of settings) {
    const marked = entry.valueStartsWith(ENC_PREFIX);
    if (!marked && entry.key !== PASSWORD_PROPERTY) continue;
    const applies = cipherFor(entry);
    const legacyPassword = !marked && applies?.legacy === true && applies.type !== 'none';
    if (!marked && !legacyPassword) continue;
    references.push(checkReference(entry, marked, applies, ctx));
  }
  classUsage(
    effective,
    ciphers,
    cipher,
    references.filter((r) => r.marked),
    ctx,
    exclusive,
  );
  if (isBitbucketFile) {
    const password = effective.get(PASSWORD_PROPERTY);
    const passwords = alternates.length === 0 ? (password ? [password] : []) : [...settings].filter((e) => e.key === PASSWORD_PROPERTY);
    plainPasswords(passwords, cipherFor, kind, ctx, options.template);
  }
  sortFindings(ctx.findings);
  return { kind, text, settings: document.entries, cipher, references, findings: ctx.findings, relevant };
}

/** The class settings of the file (both properties checked), and the one that applies: the current over the legacy. */
function cipherSetting(effective: Map<string, PropertyEntry>, ctx: Context): { chosen: CipherSetting | undefined; all: CipherSetting[] } {
  let result: CipherSetting | undefined;
  const all: CipherSetting[] = [];
  for (const [property, legacy] of [
    [LEGACY_CIPHER_PROPERTY, true],
    [CIPHER_PROPERTY, false],
  ] as const) {
    const entry = effective.get(property);
    if (!entry) continue;
    const setting = checkCipherEntry(entry, legacy, ctx);
    all.push(setting);
    // The current property wins over the legacy one for {ENC} values.
    if (!result || !legacy) result = setting;
  }
  return { chosen: result, all };
}

/** How store rules write and check values in a properties file. */
const PROPERTIES_RULES: FormatRules = {
  name: 'properties',
  escapeValue: (value) => escapePropertiesValue(value, { leading: false }),
  classLine: (className, eol) => `${CIPHER_PROPERTY}=${className}${eol}`,
  checkValue: checkEscapes,
};

/**
 * A backslash in a properties value is an escape: `\"` reaches the product as `"`, `\n` as a line break. Inside the
 * JSON that silently changes what Jackson parses. `\\` (a literal backslash), `\uXXXX` and line continuations are
 * intentional and left alone.
 */
function checkEscapes(entry: Setting, payloadOffset: number, ctx: Context): void {
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
