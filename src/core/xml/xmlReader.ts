/**
 * Reads an Atlassian XML configuration file with saxes (a strict, well-kept XML parser that reports positions:
 * not well-formed XML is itself a diagnostic), and decodes element text (entities, character references, CDATA,
 * CRLF normalisation) with a source map back to the document, as exact as the properties reader's.
 */
import type * as Saxes from 'saxes';

let saxesLib: typeof Saxes | undefined;

/** saxes, required on the first XML file (a bundle of its own in the extension, like yaml: scripts/build.mjs). */
function saxes(): typeof Saxes {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (saxesLib ??= require('saxes') as typeof Saxes);
}
import { SourceMap } from '../text/sourceMap';

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** The parent element's name (undefined for the root) and the depth (1 for the root). */
  readonly parent: string | undefined;
  readonly depth: number;
  /** Document offsets: the start tag's "<", after its ">", the end tag's "<", after its ">". */
  readonly start: number;
  readonly contentStart: number;
  readonly contentEnd: number;
  readonly end: number;
  /** Offsets of the start tag's name. */
  readonly nameStart: number;
  readonly nameEnd: number;
  readonly hasChildElements: boolean;
}

export interface XmlDocument {
  readonly text: string;
  readonly root?: XmlElement;
  /** The kept elements, in document order. */
  readonly elements: readonly XmlElement[];
  /** The first well-formedness error, if any (saxes stops being reliable after it). */
  readonly error?: {
    readonly message: string;
    readonly offset: number;
    /** Where the parser noticed it, when the problem starts earlier (text before the root or the declaration). */
    readonly noticed?: { readonly message: string; readonly offset: number };
  };
}

export interface ReadXmlOptions {
  /** Which elements to record (the root always is); all by default. Skipping the rest keeps large files fast. */
  readonly keep?: (name: string, parent: string | undefined) => boolean;
}

interface Open {
  name: string;
  attributes: Record<string, string>;
  start: number;
  contentStart: number;
  children: boolean;
  /** Index in `elements` when kept, else -1. */
  slot: number;
}

export function readXml(text: string, options: ReadXmlOptions = {}): XmlDocument {
  const parser = new (saxes().SaxesParser)({ position: true });
  const elements: XmlElement[] = [];
  const stack: Open[] = [];
  let error: XmlDocument['error'];
  parser.on('opentag', (tag) => {
    const contentStart = parser.position;
    const start = text.lastIndexOf(`<${tag.name}`, contentStart - 1);
    const parent = stack.length ? stack[stack.length - 1] : undefined;
    if (parent) parent.children = true;
    const keep = !parent || !options.keep || options.keep(tag.name, parent.name);
    let slot = -1;
    if (keep) {
      slot = elements.length;
      elements.push(undefined as unknown as XmlElement); // filled in at the close tag, keeping document order
    }
    stack.push({ name: tag.name, attributes: tag.attributes as Record<string, string>, start, contentStart, children: false, slot });
  });
  parser.on('closetag', (tag) => {
    const open = stack.pop();
    if (!open || open.slot < 0) return;
    const end = parser.position;
    elements[open.slot] = {
      name: open.name,
      attributes: open.attributes,
      parent: stack.length ? stack[stack.length - 1].name : undefined,
      depth: stack.length + 1,
      start: open.start,
      contentStart: open.contentStart,
      contentEnd: tag.isSelfClosing ? open.contentStart : text.lastIndexOf('</', end - 1),
      end,
      nameStart: open.start + 1,
      nameEnd: open.start + 1 + open.name.length,
      hasChildElements: open.children,
    };
  });
  parser.on('error', (e) => {
    if (!error) error = { message: e.message.replace(/^\d+:\d+: /, ''), offset: Math.max(0, Math.min(text.length, parser.position - 1)) };
  });
  try {
    parser.write(text).close();
  } catch (e) {
    if (!error) error = { message: String((e as Error).message), offset: Math.max(0, Math.min(text.length, parser.position - 1)) };
  }
  if (error) error = locateStrayText(text, error);
  // Elements still open at a well-formedness error were never closed: drop their placeholders.
  const closed = elements.filter((e) => e !== undefined);
  const root = closed.find((e) => e.depth === 1);
  return { text, root, elements: closed, error };
}

/**
 * saxes reports text outside the root element at the next "<" (or at the end), and anything before an XML declaration
 * at the declaration. The problem starts where that text starts: the first character after the previous markup (or
 * the start of the file) that is not whitespace, or for a declaration the very start. The parser's own position is kept
 * as where it was noticed.
 */
function locateStrayText(text: string, error: NonNullable<XmlDocument['error']>): NonNullable<XmlDocument['error']> {
  if (/XML declaration must be at the start/i.test(error.message)) {
    const at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    if (error.offset <= at) return error;
    return { message: 'text before the XML declaration <?xml …?>, which must come first', offset: at, noticed: error };
  }
  if (!/text data outside of root node/i.test(error.message)) return error;
  let from = Math.min(error.offset, text.length);
  // Back to the end of the previous markup (">") or the start of the file, then forward over whitespace.
  while (from > 0 && text[from - 1] !== '>') from--;
  while (from < error.offset && /\s/.test(text[from])) from++;
  if (from >= error.offset) return error;
  return { message: 'text outside the root element', offset: from, noticed: error };
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The text content of an element's raw content range, decoded, with where each character came from. */
export function decodeContent(text: string, from: number, to: number): { value: string; map: SourceMap; hasEscapes: boolean } {
  const outStart: number[] = [];
  const docStart: number[] = [];
  const width: number[] = [];
  let out = '';
  let hasEscapes = false;
  const push = (chars: string, doc: number, w: number) => {
    outStart.push(out.length);
    docStart.push(doc);
    width.push(w);
    out += chars;
  };
  let i = from;
  let runFrom = -1;
  const flush = (at: number) => {
    if (runFrom >= 0 && at > runFrom) push(text.slice(runFrom, at), runFrom, 1);
    runFrom = -1;
  };
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 38 /* & */) {
      const semi = text.indexOf(';', i);
      const ref = semi > i && semi < to ? text.slice(i + 1, semi) : '';
      let decoded: string | undefined;
      if (ref.startsWith('#x')) decoded = String.fromCodePoint(parseInt(ref.slice(2), 16));
      else if (ref.startsWith('#')) decoded = String.fromCodePoint(parseInt(ref.slice(1), 10));
      else decoded = NAMED[ref];
      if (decoded !== undefined) {
        flush(i);
        hasEscapes = true;
        for (const ch of decoded) push(ch, i, semi + 1 - i);
        i = semi + 1;
        continue;
      }
    } else if (c === 60 /* < */) {
      flush(i);
      hasEscapes = true;
      if (text.startsWith('<![CDATA[', i)) {
        const close = text.indexOf(']]>', i + 9);
        const end = close < 0 || close > to ? to : close;
        if (end > i + 9) push(text.slice(i + 9, end), i + 9, 1);
        i = end + 3;
        continue;
      }
      const closer = text.startsWith('<!--', i) ? '-->' : text.startsWith('<?', i) ? '?>' : '>';
      const close = text.indexOf(closer, i + 1);
      i = close < 0 ? to : close + closer.length;
      continue;
    } else if (c === 13 /* \r */) {
      // XML normalises CRLF and lone CR to LF.
      flush(i);
      hasEscapes = true;
      const w = text.charCodeAt(i + 1) === 10 ? 2 : 1;
      push('\n', i, w);
      i += w;
      continue;
    }
    if (runFrom < 0) runFrom = i;
    i++;
  }
  flush(Math.min(i, to));
  const map = out.length === 0 ? SourceMap.identity(from, 0) : SourceMap.fromRuns(outStart, docStart, width, out.length, to);
  return { value: out, map, hasEscapes };
}

/** Escaping for text written into element content. */
export function escapeXmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
