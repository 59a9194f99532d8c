/**
 * The bytes a configuration file has, as text and back, so that a rewrite keeps every byte it does not own.
 *
 * - Properties files are read by the products as ISO-8859-1 (product-loading.md §0, §2): one byte is one character,
 *   so decoding as ISO-8859-1 and encoding back is byte-exact whatever the file holds (UTF-8 included). Text that a
 *   rewrite adds beyond ISO-8859-1 is written as \uXXXX, which the properties loader decodes.
 * - XML files follow their declaration (UTF-8 when none), as the products' XML parsers do. Only UTF-8 and the
 *   ISO-8859-1 family are written; a file whose bytes do not decode exactly in its declared encoding is refused
 *   rather than rewritten with replacement characters. Added text beyond ISO-8859-1 is written as &#xHHHH;.
 */
import { unicodeEscapes } from './propertiesEscape';

export interface TextCodec {
  readonly name: string;
  decode(bytes: Buffer): string;
  encode(text: string): Buffer;
}

/** UTF-16 code units beyond ISO-8859-1 (a supplementary character is two, each written as \\uXXXX as Java expects). */
const BEYOND_LATIN1 = /[\u0100-\uffff]/g;

export const PROPERTIES_CODEC: TextCodec = {
  name: 'ISO-8859-1',
  decode: (bytes) => bytes.toString('latin1'),
  encode: (text) =>
    Buffer.from(
      text.replace(BEYOND_LATIN1, (c) => unicodeEscapes(c)),
      'latin1',
    ),
};

/** YAML and env files: UTF-8 (a file that is not valid UTF-8 is refused, not rewritten). */
export function utf8Codec(bytes: Buffer): TextCodec | { readonly error: string } {
  if (!Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes)) return { error: 'the file is not valid UTF-8' };
  return UTF8_CODEC;
}

const UTF8_CODEC: TextCodec = {
  name: 'UTF-8',
  decode: (bytes) => bytes.toString('utf8'),
  encode: (text) => Buffer.from(text, 'utf8'),
};

const LATIN1_XML_CODEC: TextCodec = {
  name: 'ISO-8859-1',
  decode: (bytes) => bytes.toString('latin1'),
  encode: (text) =>
    Buffer.from(
      text.replace(/[\u{100}-\u{10ffff}]/gu, (c) => `&#x${c.codePointAt(0)!.toString(16)};`),
      'latin1',
    ),
};

/**
 * The encoding an XML declaration at the start of `head` names, lower-cased; undefined when there is none. A leading
 * byte-order mark is skipped, whether decoded (U+FEFF) or read byte by byte ("ï»¿").
 */
export function declaredXmlEncoding(head: string): string | undefined {
  const declaration = /^(?:\ufeff|\u00ef\u00bb\u00bf)?<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/.exec(head);
  return declaration?.[1].toLowerCase();
}

export const isUtf8Name = (name: string): boolean => name === 'utf-8' || name === 'utf8';

/** The ISO-8859-1 names (lower case) the products' XML parsers know. */
export const isLatin1Name = (name: string): boolean => ['iso-8859-1', 'iso8859-1', 'iso_8859-1', 'latin1', 'l1'].includes(name);

/** The codec to rewrite an XML file with, or why it cannot be rewritten byte-exactly. */
export function xmlCodec(bytes: Buffer): TextCodec | { readonly error: string } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return { error: 'the file is UTF-16, which this tool does not rewrite' };
  const declared = declaredXmlEncoding(bytes.subarray(0, 256).toString('latin1')) ?? 'utf-8';
  if (isUtf8Name(declared)) {
    if (!Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes))
      return { error: 'the file is not valid UTF-8, although its XML declaration says (or implies) UTF-8' };
    return UTF8_CODEC;
  }
  if (isLatin1Name(declared) || declared === 'us-ascii' || declared === 'ascii') return LATIN1_XML_CODEC;
  return { error: `the file declares encoding "${declared}", which this tool does not rewrite (UTF-8 and ISO-8859-1 only)` };
}
