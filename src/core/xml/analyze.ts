/**
 * Jira (dbconfig.xml), Confluence (confluence.cfg.xml), Bamboo (bamboo.cfg.xml) and Crowd (crowd.cfg.xml): the cipher
 * class and the password live in XML elements. The element text (entities and CDATA decoded) is what the product
 * hands to the secret store, so every store rule and verify code applies unchanged, with ranges mapped back through
 * the decoding.
 */
import { sortFindings } from '../diagnostics';
import { FileKind } from '../model/fileKind';
import { PRODUCTS, ProductProfile, storeAccepted } from '../model/products';
import { plaintextPassword, templatedPassword } from '../product/password';
import { Setting } from '../model/setting';
import { Analysis, CipherSetting, Context, FormatRules, SecretReference } from '../rules/analysis';
import { checkCipherEntry } from '../rules/cipher';
import { checkReference } from '../rules/reference';
import { asIsoLatin1, nonAsciiRuns } from '../text/isoView';
import { declaredXmlEncoding, isLatin1Name, isUtf8Name } from '../text/encoding';
import { decodeContent, escapeXmlText, readXml, XmlDocument, XmlElement } from './xmlReader';
import { shadowOf } from '../templates/inForce';
import { MaskedTemplate, placeholderExtraBytes } from '../templates/template';

export const ATL_SECURED = '{ATL_SECURED}';

/** How store rules write values in XML: as element text, with entities. */
const XML_RULES: FormatRules = { name: 'xml', escapeValue: escapeXmlText };

/** An element's text as a setting: what the product reads, mapped back through entities and CDATA. */
function elementSetting(text: string, element: XmlElement, key: string, keyStart: number, keyEnd: number): Setting {
  const { value, map, hasEscapes } = decodeContent(text, element.contentStart, element.contentEnd);
  return {
    key,
    value,
    valueMap: map,
    start: element.start,
    end: element.end,
    keyStart,
    keyEnd,
    valueStart: element.contentStart,
    valueEnd: element.contentEnd,
    valueHasEscapes: hasEscapes,
  };
}

/** The product's class and password settings, every occurrence in document order. */
function findSettings(doc: XmlDocument, profile: ProductProfile, text: string): { cls: Setting[]; password: Setting[]; misplaced: XmlElement[] } {
  const className = profile.cipherSettings[profile.cipherSettings.length - 1].name;
  if (profile.container !== undefined) {
    const under = (name: string) =>
      doc.elements.filter((e) => e.name === name && e.parent === profile.container).map((e) => elementSetting(text, e, name, e.nameStart, e.nameEnd));
    // Jira's class element outside <jdbc-datasource> (a hand edit that put it one level up, say).
    const misplaced = doc.elements.filter((e) => e.name === className && e.parent !== profile.container);
    return { cls: under(className), password: under(profile.passwordSetting), misplaced };
  }
  const property = (name: string) =>
    doc.elements
      .filter((e) => e.name === 'property' && e.attributes.name === name)
      .map((e) => {
        const at = text.indexOf(name, e.start);
        const inTag = at >= 0 && at < e.contentStart;
        return elementSetting(text, e, name, inTag ? at : e.nameStart, inTag ? at + name.length : e.nameEnd);
      });
  return { cls: property(className), password: property(profile.passwordSetting), misplaced: [] };
}

/**
 * Jira's class element outside <jdbc-datasource>: Atlassian's documentation and the product's own tool put it inside,
 * beside <password> [DOC]; that Jira ignores it elsewhere is UNCONFIRMED, so a warning, with a fix that moves it there.
 * Its class still checks the password's JSON (the JSON's own mistakes are still reported).
 */
function misplacedClasses(doc: XmlDocument, misplaced: readonly XmlElement[], profile: ProductProfile, text: string, ctx: Context): Setting[] {
  const container = doc.elements.find((e) => e.name === profile.container && e.parent === profile.rootElement);
  return misplaced.map((element) => {
    const setting = elementSetting(text, element, element.name, element.nameStart, element.nameEnd);
    const lineStart = text.lastIndexOf('\n', element.start - 1) + 1;
    const whole = /^[ \t]*$/.test(text.slice(lineStart, element.start))
      ? { start: lineStart, end: text.indexOf('\n', element.end) + 1 || text.length }
      : element;
    const at = container ? text.lastIndexOf('\n', container.contentEnd - 1) + 1 : undefined;
    const indent = container ? `${/^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', container.start - 1) + 1))![0]}  ` : '';
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    ctx.findings.push({
      code: 'xml-misplaced-element',
      severity: 'warning',
      start: element.nameStart,
      end: element.nameEnd,
      message: `<${element.name}> is outside <${profile.container}>, where ${profile.name} reads it (its documentation and its own tool put it beside <${profile.passwordSetting}>); here it is most likely ignored (UNCONFIRMED), and the password then read as plaintext. Move it into <${profile.container}>.`,
      fixes:
        at !== undefined && (at >= whole.end || at <= whole.start)
          ? [
              {
                title: `Move it into <${profile.container}>`,
                isPreferred: true,
                edits: [
                  { start: whole.start, end: whole.end, newText: '' },
                  { start: at, end: at, newText: `${indent}${text.slice(element.start, element.end)}${eol}` },
                ],
              },
            ]
          : undefined,
    });
    return setting;
  });
}

export interface XmlAnalyzeOptions {
  /** A template's masked form (the text given is its masked text): branches and placeholders. */
  readonly template?: MaskedTemplate;
  /** What the file is (resolveFileKind): its product's profile says where the settings are. */
  readonly kind: FileKind;
  readonly fileExists?: (path: string) => boolean;
  /** How the text was decoded from the file's bytes (see AnalyzeOptions.encoding). Default UTF-8. */
  readonly encoding?: 'utf-8' | 'iso-8859-1' | 'other';
}

/** Only the elements a product keeps its class and password in (plus their container) are recorded. */
const KEEP_NAMES = new Set([
  'property',
  ...Object.values(PRODUCTS).flatMap((p) => (p.container ? [p.container, p.passwordSetting, ...p.cipherSettings.map((c) => c.name)] : [])),
]);
const KEEP = (name: string) => KEEP_NAMES.has(name);

/**
 * The products' XML parsers decode the file as its declaration says (UTF-8 when it says nothing). When the bytes were
 * written in another encoding than declared, non-ASCII characters reach the product as other characters (declared
 * ISO-8859-1, saved as UTF-8) or make the file unreadable (declared UTF-8, saved as ISO-8859-1).
 */
function checkXmlEncoding(text: string, encoding: 'utf-8' | 'iso-8859-1' | 'other', ctx: Context, template?: MaskedTemplate): void {
  // Buffer.byteLength is a native scan: equal to the length exactly when every character is ASCII (a template's
  // placeholders are no character of the file: their extra bytes are counted out).
  const extra = template ? template.placeholderChars * placeholderExtraBytes(template.placeholder) : 0;
  if (encoding === 'other' || Buffer.byteLength(text, 'utf8') === text.length + extra) return;
  const name = declaredXmlEncoding(text) ?? 'utf-8';
  const declared = name.toUpperCase();
  const declaredUtf8 = isUtf8Name(name);
  const declaredLatin1 = isLatin1Name(name);
  const runs = nonAsciiRuns(text, text.charCodeAt(0) === 0xfeff ? 1 : 0, text.length, template?.placeholder);
  if (runs.length === 0) return;
  const [start, end] = runs[0];
  const chars = text.slice(start, end);
  const refs = Array.from(chars, (c) => `&#x${c.codePointAt(0)!.toString(16).toUpperCase()};`).join('');
  if (encoding === 'utf-8' && declaredLatin1) {
    ctx.findings.push({
      code: 'xml-encoding-mismatch',
      severity: 'warning',
      start,
      end,
      message: `The XML declaration says ${declared}, but the file is saved as UTF-8: "${chars}" reaches the product as "${asIsoLatin1(chars)}"${runs.length > 1 ? ` (and ${runs.length - 1} more place${runs.length > 2 ? 's' : ''})` : ''}. Declare encoding="UTF-8", or write ${refs}.`,
      fixes: [{ title: `Write ${refs}`, isPreferred: true, edits: [{ start, end, newText: refs }] }],
    });
  } else if (encoding === 'iso-8859-1' && declaredUtf8) {
    ctx.findings.push({
      code: 'xml-encoding-mismatch',
      severity: 'error',
      start,
      end,
      message: `The file is not valid UTF-8, which its XML declaration ${/^\ufeff?<\?xml/.test(text) ? 'says' : 'implies (no encoding declared)'}: the product's XML parser fails on "${chars}" (saved as ISO-8859-1). Declare encoding="ISO-8859-1", or save the file as UTF-8.`,
    });
  }
}

export function analyzeXml(text: string, options: XmlAnalyzeOptions): Analysis {
  const doc = readXml(text, { keep: KEEP });
  const kind = options.kind;
  const profile = kind.profile;
  const product = profile.name;
  const ctx = new Context(text, kind, XML_RULES, options.fileExists, options.template?.placeholder);

  checkXmlEncoding(text, options.encoding ?? 'utf-8', ctx, options.template);
  if (doc.error) {
    ctx.findings.push({
      code: 'xml-not-well-formed',
      severity: 'error',
      start: doc.error.offset,
      end: Math.min(text.length, doc.error.offset + 1),
      message: `The file is not well-formed XML (${doc.error.message}); ${product} cannot read it at start-up. Fix the XML here.`,
      related: doc.error.noticed
        ? [
            {
              start: doc.error.noticed.offset,
              end: Math.min(text.length, doc.error.noticed.offset + 1),
              message: `The XML parser noticed it here: ${doc.error.noticed.message}`,
            },
          ]
        : undefined,
    });
  }
  const { cls: placed, password, misplaced } = findSettings(doc, profile, text);
  // A misplaced class is said, and still checks the JSON (when no class is where it belongs).
  const moved = misplacedClasses(doc, misplaced, profile, text, ctx);
  const cls = placed.length > 0 ? placed : moved;
  // An element a later one of its name overrides is a duplicate; in a template, one in a branch exclusive with every
  // later one is the value of its own branch.
  const exclusive = options.template?.exclusive;
  const effective = (list: readonly Setting[]): Setting[] => {
    const kept: Setting[] = [];
    list.forEach((earlier, i) => {
      if (!shadowOf(list, i, exclusive)) {
        kept.push(earlier);
        return;
      }
      ctx.findings.push({
        code: 'xml-duplicate-element',
        severity: 'warning',
        start: earlier.keyStart,
        end: earlier.keyEnd,
        message: `${earlier.key} appears more than once; which one ${product} uses is unconfirmed. Keep only one.`,
        unnecessary: true,
      });
    });
    return kept;
  };
  const classes = effective(cls);
  const passwords = effective(password);
  const ciphers: CipherSetting[] = [];
  for (const classEntry of classes) {
    const cipher = checkCipherEntry(classEntry, false, ctx);
    if (cipher.type === 'none') continue;
    ciphers.push(cipher);
    if (storeAccepted(profile, cipher.type)) continue;
    const accepted = profile.acceptedClasses ?? [];
    ctx.findings.push({
      code: 'crowd-store-not-allowed',
      severity: 'error',
      start: classEntry.valueStart,
      end: Math.max(classEntry.valueEnd, classEntry.valueStart + 1),
      message:
        `${product} only accepts passwords provided by one of the following secret stores: [${accepted.join(', ')}]. ` +
        `${cipher.className} will not work here; encrypt the password with the AES-only store.`,
      fixes: [{ title: `Use ${accepted[0]}`, edits: [{ start: classEntry.valueStart, end: classEntry.valueEnd, newText: accepted[0] }] }],
    });
  }
  const references = checkPasswords(passwords, ciphers, ctx, options.template);
  const cipher = ciphers.at(-1);
  sortFindings(ctx.findings);
  return { kind, text, settings: [...cls, ...password], cipher, references, findings: ctx.findings, relevant: true };
}

/** Each password element: {ATL_SECURED}, a store's reference, or the product's password rules (core/product). */
function checkPasswords(passwords: readonly Setting[], ciphers: readonly CipherSetting[], ctx: Context, template?: MaskedTemplate): SecretReference[] {
  const profile = ctx.kind.profile;
  const product = profile.name;
  const exclusive = template?.exclusive;
  const site = { profile, label: 'The database password' };
  const references: SecretReference[] = [];
  for (const passwordEntry of passwords) {
    const cipher = ciphers.filter((c) => !exclusive?.(c.entry.start, passwordEntry.start)).at(-1);
    const value = passwordEntry.value.trim();
    const span = { start: passwordEntry.valueStart, end: Math.max(passwordEntry.valueEnd, passwordEntry.valueStart) };
    if (value === ATL_SECURED) {
      ctx.findings.push(
        cipher
          ? {
              code: 'atl-secured-with-cipher',
              severity: 'warning',
              ...span,
              message: `{ATL_SECURED} means the password is held by the product's own secret storage, but ${cipher.className} is also set and would receive the text "{ATL_SECURED}". Remove the cipher element, or put the store's reference here.`,
            }
          : {
              code: 'atl-secured',
              severity: 'info',
              ...span,
              message: `{ATL_SECURED}: ${product} keeps this password in its own secret storage (Jira 10.2 and later move it there automatically). To change the password, replace the placeholder with the new plaintext password and restart; it is secured again.`,
            },
      );
    } else if (cipher) {
      references.push(checkReference(passwordEntry, false, cipher, ctx));
    } else if (template && value.includes(template.placeholder) && !template.literalAt(passwordEntry.valueMap.startOf(value.indexOf(template.placeholder)))) {
      const from = template.placeholderAt(passwordEntry.valueMap.startOf(value.indexOf(template.placeholder))) ?? 'a template variable';
      ctx.findings.push(templatedPassword(site, span, from, 'render'));
    } else if (value !== '') {
      ctx.findings.push(plaintextPassword(site, span));
    }
  }
  return references;
}
