/**
 * A YAML scalar's value with a source map: which characters of the document each decoded character came from, under
 * every quoting style (plain, 'single' with '' for a quote, "double" with escapes, line folding, | and > blocks). A
 * finding inside '{"region":…}' or "{\"region\":…}" thus lands on the exact characters, and a fix is written back in
 * the scalar's own style. Pure.
 */
import { SourceMap } from '../text/sourceMap';

export type ScalarStyle = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED';

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

class Builder {
  private readonly chars: string[] = [];
  private readonly outStart: number[] = [];
  private readonly docStart: number[] = [];
  private readonly width: number[] = [];

  push(text: string, doc: number, width: number): void {
    const last = this.outStart.length - 1;
    const length = this.chars.length;
    const extends1 = last >= 0 && width === 1 && this.width[last] === 1 && this.docStart[last] + (length - this.outStart[last]) === doc;
    for (let i = 0; i < text.length; i++) {
      if (!(extends1 || (i > 0 && width === 1))) {
        this.outStart.push(this.chars.length);
        this.docStart.push(doc + (width === 1 ? i : 0));
        this.width.push(width);
      }
      this.chars.push(text[i]);
    }
  }

  /** Drops trailing characters (folded spaces at the end). */
  trimTo(length: number): void {
    while (this.chars.length > length) this.chars.pop();
    while (this.outStart.length > 0 && this.outStart[this.outStart.length - 1] >= length) {
      this.outStart.pop();
      this.docStart.pop();
      this.width.pop();
    }
  }

  get length(): number {
    return this.chars.length;
  }

  build(endOffset: number): { value: string; map: SourceMap } {
    return { value: this.chars.join(''), map: SourceMap.fromRuns(this.outStart, this.docStart, this.width, this.chars.length, endOffset) };
  }
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
const isBreak = (c: string | undefined) => c === '\n' || c === '\r';

/**
 * Decodes the flow scalar text[start, end) (for quoted styles, including the quotes). Line breaks fold as YAML says:
 * one break between text becomes a space, n > 1 breaks become n - 1 newlines, blanks around a break are dropped.
 */
function decodeFlow(text: string, start: number, end: number, style: 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE'): { value: string; map: SourceMap } {
  const b = new Builder();
  const quoted = style !== 'PLAIN';
  let i = quoted ? start + 1 : start;
  const stop = quoted ? end - 1 : end;
  while (i < stop) {
    const c = text[i];
    if (isBreak(c) || isBlank(c)) {
      // A run of blanks and breaks: blanks alone are kept; with breaks it folds.
      let j = i;
      let breaks = 0;
      while (j < stop && (isBreak(text[j]) || isBlank(text[j]))) {
        if (text[j] === '\n') breaks++;
        else if (text[j] === '\r' && text[j + 1] !== '\n') breaks++;
        j++;
      }
      if (breaks === 0) b.push(text.slice(i, j), i, 1);
      else if (j < stop || quoted) {
        if (breaks === 1) b.push(' ', i, j - i);
        else for (let k = 1; k < breaks; k++) b.push('\n', i, j - i);
      }
      i = j;
      continue;
    }
    if (style === 'QUOTE_SINGLE' && c === "'" && text[i + 1] === "'") {
      b.push("'", i, 2);
      i += 2;
      continue;
    }
    if (style === 'QUOTE_DOUBLE' && c === '\\') {
      const next = text[i + 1];
      if (isBreak(next)) {
        // An escaped line break: the lines join without a space; the next line's leading blanks go.
        let j = i + 1;
        if (text[j] === '\r' && text[j + 1] === '\n') j++;
        j++;
        while (j < stop && isBlank(text[j])) j++;
        i = j;
        continue;
      }
      const hex = HEX_LENGTH[next];
      if (hex !== undefined) {
        const digits = text.slice(i + 2, i + 2 + hex);
        const code = parseInt(digits, 16);
        if (digits.length === hex && /^[0-9A-Fa-f]+$/.test(digits)) {
          b.push(String.fromCodePoint(code), i, 2 + hex);
          i += 2 + hex;
          continue;
        }
      }
      const simple = SIMPLE_ESCAPES[next];
      if (simple !== undefined) {
        b.push(simple, i, 2);
        i += 2;
        continue;
      }
    }
    b.push(c, i, 1);
    i++;
  }
  // A plain scalar's trailing blanks are not part of it (the parser's range may include them).
  if (!quoted) {
    let length = b.length;
    const built = b.build(stop).value;
    while (length > 0 && isBlank(built[length - 1])) length--;
    b.trimTo(length);
  }
  return b.build(stop);
}

/** Decodes a block scalar (| or >) whose header starts at `start`: content lines without their indentation. */
function decodeBlock(text: string, start: number, end: number, folded: boolean): { value: string; map: SourceMap } {
  const b = new Builder();
  const headerEnd = text.indexOf('\n', start);
  const header = text.slice(start, headerEnd < 0 ? end : headerEnd);
  const chomp = header.includes('-') ? 'strip' : header.includes('+') ? 'keep' : 'clip';
  const explicit = /\d/.exec(header)?.[0];
  let i = headerEnd < 0 ? end : headerEnd + 1;
  // An explicit indentation indicator counts from the indentation of the line that holds the header.
  const headerLine = text.lastIndexOf('\n', start - 1) + 1;
  let parentIndent = 0;
  while (text[headerLine + parentIndent] === ' ') parentIndent++;
  let indent = explicit ? parentIndent + Number(explicit) : -1;
  const raw: { at: number; spaces: number; to: number }[] = [];
  while (i < end) {
    let lineEnd = text.indexOf('\n', i);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    let contentEnd = lineEnd;
    if (contentEnd > i && text[contentEnd - 1] === '\r') contentEnd--;
    let spaces = 0;
    while (i + spaces < contentEnd && text[i + spaces] === ' ') spaces++;
    if (indent < 0 && spaces < contentEnd - i) indent = spaces;
    raw.push({ at: i, spaces, to: contentEnd });
    i = lineEnd + 1;
  }
  // Leading empty lines are cut at the indentation found later: spaces past it are content (as the yaml library reads).
  const lines = raw.map(({ at, spaces, to }) => ({ from: at + Math.min(spaces, indent < 0 ? spaces : indent), to }));
  // Line by line: empty lines count, content lines join (folded: one space between two normal lines, else breaks).
  let pendingEmpty = 0;
  let previous: { normal: boolean; to: number } | undefined;
  let lastBreak = start;
  for (const { from, to } of lines) {
    if (from >= to) {
      pendingEmpty++;
      lastBreak = to;
      continue;
    }
    const normal = !isBlank(text[from]);
    const at = previous?.to ?? lastBreak;
    if (previous === undefined) for (let k = 0; k < pendingEmpty; k++) b.push('\n', at, 1);
    else if (folded && previous.normal && normal) {
      if (pendingEmpty === 0) b.push(' ', at, 1);
      else for (let k = 0; k < pendingEmpty; k++) b.push('\n', at, 1);
    } else for (let k = 0; k <= pendingEmpty; k++) b.push('\n', at, 1);
    b.push(text.slice(from, to), from, 1);
    previous = { normal, to };
    pendingEmpty = 0;
  }
  const trailing = previous ? pendingEmpty + 1 : pendingEmpty;
  const kept = chomp === 'strip' ? 0 : chomp === 'clip' ? (previous ? 1 : 0) : trailing;
  for (let k = 0; k < kept; k++) b.push('\n', previous?.to ?? lastBreak, 1);
  return b.build(end);
}

/** The decoded value and source map of the scalar at text[start, end) written in `style`. */
export function decodeScalar(text: string, start: number, end: number, style: ScalarStyle): { value: string; map: SourceMap } {
  if (style === 'BLOCK_LITERAL' || style === 'BLOCK_FOLDED') return decodeBlock(text, start, end, style === 'BLOCK_FOLDED');
  return decodeFlow(text, start, end, style);
}

/** How a value is written back inside a scalar of `style` so that YAML reads it back exactly (single line). */
export function escapeScalar(value: string, style: ScalarStyle): string {
  if (style === 'QUOTE_DOUBLE') return JSON.stringify(value).slice(1, -1);
  if (style === 'QUOTE_SINGLE') return value.replace(/'/g, "''").replace(/\n/g, '\n\n');
  return value;
}
