/**
 * Jira (dbconfig.xml), Confluence (confluence.cfg.xml), Bamboo (bamboo.cfg.xml) and Crowd (crowd.cfg.xml): the cipher
 * class and the password live in XML elements. The element text (entities and CDATA decoded) is what the product
 * hands to the secret store, so every store rule and verify code applies unchanged, with ranges mapped back through
 * the decoding.
 */
import { Analysis, checkCipherEntry, checkReference, CipherSetting, Context, Product, SecretReference } from '../bitbucket/analyze';
import { AES_ONLY_STORE } from '../model/cipherClasses';
import { asIsoLatin1, nonAsciiRuns } from '../text/isoView';
import { declaredXmlEncoding, isLatin1Name, isUtf8Name } from '../text/encoding';
import { PropertyEntry, SourceMap } from '../properties/reader';
import { decodeContent, escapeXmlText, readXml, XmlDocument, XmlElement } from '../xml/xmlReader';

export type XmlProduct = Exclude<Product, 'bitbucket'>;

export const PRODUCT_FILES: Record<string, XmlProduct> = {
  'dbconfig.xml': 'jira',
  'confluence.cfg.xml': 'confluence',
  'bamboo.cfg.xml': 'bamboo',
  'crowd.cfg.xml': 'crowd',
};

export const PRODUCT_NAMES: Record<Product, string> = { bitbucket: 'Bitbucket', jira: 'Jira', confluence: 'Confluence', bamboo: 'Bamboo', crowd: 'Crowd' };

export const ATL_SECURED = '{ATL_SECURED}';
const CLASS_PROPERTY = 'jdbc.password.decrypter.classname';
const PASSWORD_PROPERTY = 'hibernate.connection.password';
const JIRA_CLASS = 'atlassian-password-cipher-provider';
const CROWD_STORES = [AES_ONLY_STORE, 'com.atlassian.db.config.password.ciphers.algorithm.AesOnlyAlgorithmCipher'];

/** The product from the file name, else from the root element; undefined when it is none of them. */
export function detectXmlProduct(
  fileName: string | undefined,
  rootName: string | undefined,
  associations: Record<string, string> = {},
): XmlProduct | undefined {
  const base = (fileName ?? '').toLowerCase();
  const mapped = associations[fileName ?? ''] ?? associations[base];
  if (mapped && mapped in PRODUCT_NAMES && mapped !== 'bitbucket') return mapped as XmlProduct;
  if (PRODUCT_FILES[base]) return PRODUCT_FILES[base];
  if (rootName === 'jira-database-config') return 'jira';
  if (rootName === 'confluence-configuration') return 'confluence';
  return undefined;
}

/** A PropertyEntry view of an element, so that the shared rules (and hover, completion, verify) work on XML. */
function elementEntry(text: string, element: XmlElement, key: string, keyStart: number, keyEnd: number): PropertyEntry {
  const { value, map, hasEscapes } = decodeContent(text, element.contentStart, element.contentEnd);
  return {
    key,
    value,
    keyMap: SourceMap.identity(keyStart, keyEnd - keyStart),
    valueMap: map,
    start: element.start,
    end: element.end,
    keyStart,
    keyEnd,
    valueStart: element.contentStart,
    valueEnd: element.contentEnd,
    valueHasEscapes: hasEscapes,
    problems: [],
    valueStartsWith: (prefix: string) => value.startsWith(prefix),
  };
}

function findElements(doc: XmlDocument, product: XmlProduct, text: string): { cls: PropertyEntry[]; password: PropertyEntry[] } {
  if (product === 'jira') {
    const under = (e: XmlElement, name: string) => e.name === name && e.parent === 'jdbc-datasource';
    return {
      cls: doc.elements.filter((e) => under(e, JIRA_CLASS)).map((e) => elementEntry(text, e, JIRA_CLASS, e.nameStart, e.nameEnd)),
      password: doc.elements.filter((e) => under(e, 'password')).map((e) => elementEntry(text, e, 'password', e.nameStart, e.nameEnd)),
    };
  }
  const property = (name: string) =>
    doc.elements
      .filter((e) => e.name === 'property' && e.attributes.name === name)
      .map((e) => {
        const at = text.indexOf(name, e.start);
        return elementEntry(text, e, name, at >= 0 && at < e.contentStart ? at : e.nameStart, at >= 0 && at < e.contentStart ? at + name.length : e.nameEnd);
      });
  return { cls: property(CLASS_PROPERTY), password: property(PASSWORD_PROPERTY) };
}

export interface XmlAnalyzeOptions {
  readonly fileName?: string;
  readonly product?: XmlProduct;
  readonly fileExists?: (path: string) => boolean;
  /** How the text was decoded from the file's bytes (see AnalyzeOptions.encoding). Default UTF-8. */
  readonly encoding?: 'utf-8' | 'iso-8859-1' | 'other';
}

/** Only the elements the products keep their class and password in (plus the root) are recorded. */
const KEEP = (name: string, parent: string | undefined) =>
  name === 'property' || name === 'password' || name === JIRA_CLASS || (name === 'jdbc-datasource' && parent === 'jira-database-config');

/**
 * The products' XML parsers decode the file as its declaration says (UTF-8 when it says nothing). When the bytes were
 * written in another encoding than declared, non-ASCII characters reach the product as other characters (declared
 * ISO-8859-1, saved as UTF-8) or make the file unreadable (declared UTF-8, saved as ISO-8859-1).
 */
function checkXmlEncoding(text: string, encoding: 'utf-8' | 'iso-8859-1' | 'other', ctx: Context): void {
  // Buffer.byteLength is a native scan: equal to the length exactly when every character is ASCII.
  if (encoding === 'other' || Buffer.byteLength(text, 'utf8') === text.length) return;
  const name = declaredXmlEncoding(text) ?? 'utf-8';
  const declared = name.toUpperCase();
  const declaredUtf8 = isUtf8Name(name);
  const declaredLatin1 = isLatin1Name(name);
  const runs = nonAsciiRuns(text, text.charCodeAt(0) === 0xfeff ? 1 : 0, text.length);
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

export function analyzeXml(text: string, options: XmlAnalyzeOptions = {}): Analysis {
  const doc = readXml(text, { keep: KEEP });
  const ctx = new Context(text, options.fileExists, 'xml', escapeXmlText);
  const product = options.product ?? detectXmlProduct(options.fileName, doc.root?.name) ?? 'confluence';
  const relevant = options.product !== undefined || detectXmlProduct(options.fileName, doc.root?.name) !== undefined;
  const empty = { text, entries: [], problems: [] };
  if (!relevant) return { product, document: empty, references: [], findings: [], relevant: false };

  checkXmlEncoding(text, options.encoding ?? 'utf-8', ctx);
  if (doc.error) {
    ctx.findings.push({
      code: 'xml-not-well-formed',
      severity: 'error',
      start: doc.error.offset,
      end: Math.min(text.length, doc.error.offset + 1),
      message: `The file is not well-formed XML (${doc.error.message}); ${PRODUCT_NAMES[product]} cannot read it at start-up. Fix the XML here.`,
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
  const { cls, password } = findElements(doc, product, text);
  for (const list of [cls, password]) {
    for (const earlier of list.slice(0, -1)) {
      ctx.findings.push({
        code: 'xml-duplicate-element',
        severity: 'warning',
        start: earlier.keyStart,
        end: earlier.keyEnd,
        message: `${earlier.key} appears more than once; which one ${PRODUCT_NAMES[product]} uses is unconfirmed. Keep only one.`,
        unnecessary: true,
      });
    }
  }
  const classEntry = cls.at(-1);
  const passwordEntry = password.at(-1);
  let cipher: CipherSetting | undefined;
  if (classEntry) {
    cipher = checkCipherEntry(classEntry, false, ctx);
    if (cipher.type === 'none') cipher = undefined;
  }
  if (product === 'crowd' && cipher && !CROWD_STORES.includes(cipher.className)) {
    ctx.findings.push({
      code: 'crowd-store-not-allowed',
      severity: 'error',
      start: classEntry!.valueStart,
      end: Math.max(classEntry!.valueEnd, classEntry!.valueStart + 1),
      message:
        `Crowd only accepts passwords provided by one of the following secret stores: [${CROWD_STORES.join(', ')}]. ` +
        `${cipher.className} will not work here; encrypt the password with the AES-only store.`,
      fixes: [{ title: `Use ${AES_ONLY_STORE}`, edits: [{ start: classEntry!.valueStart, end: classEntry!.valueEnd, newText: AES_ONLY_STORE }] }],
    });
  }
  const references: SecretReference[] = [];
  if (passwordEntry) {
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
              message: `{ATL_SECURED}: ${PRODUCT_NAMES[product]} keeps this password in its own secret storage (Jira 10.2 and later move it there automatically). To change the password, replace the placeholder with the new plaintext password and restart; it is secured again.`,
            },
      );
    } else if (cipher) {
      references.push(checkReference(passwordEntry, false, cipher, ctx));
    } else if (value !== '') {
      ctx.findings.push({
        code: 'plaintext-password',
        severity: 'warning',
        ...span,
        message:
          product === 'crowd'
            ? `The database password is in plaintext, readable by anyone who can read this file or its backups. Crowd accepts only the AES-only store (${AES_ONLY_STORE}): encrypt the password with Atlassian's CipherTool and put the decryption JSON here.`
            : `The database password is in plaintext, readable by anyone who can read this file or its backups. Store it in AWS Secrets Manager (or another secret store) and reference it here.`,
      });
    }
  }
  ctx.findings.sort((a, b) => a.start - b.start || a.end - b.end);
  return { product, document: { text, entries: [...cls, ...password], problems: [] }, cipher, references, findings: ctx.findings, relevant: true };
}
