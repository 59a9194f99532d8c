/**
 * A reader for Java `.properties` text that sees exactly what `java.util.Properties.load` sees, and remembers where
 * every character of every key and value came from in the document.
 *
 * The state machine mirrors the JDK's `Properties.LineReader.readLine` and `Properties.load0`/`loadConvert`:
 * natural lines end at `\n`, `\r` or `\r\n`; leading whitespace (space, tab, form feed) is skipped; a logical line
 * whose natural line ends with an odd number of backslashes continues on the next natural line (the backslash and the
 * next line's leading whitespace are dropped); `#` and `!` start a comment only at the start of a logical line; the
 * key ends at the first unescaped `=`, `:` or whitespace; escapes `\t \n \r \f \uXXXX` are decoded and any other `\x`
 * becomes `x`. Java throws on a malformed `\uXXXX`; we record it as a problem and keep going.
 */

/** Where each character of an unescaped string came from: document offsets [start, end) per character. */
export class SourceMap {
  private constructor(
    private readonly base: number,
    private readonly starts: Int32Array | undefined,
    private readonly ends: Int32Array | undefined,
    readonly length: number,
  ) {}

  /** Character k sits at document offset base + k (no escapes, no continuation lines). */
  static identity(base: number, length: number): SourceMap {
    return new SourceMap(base, undefined, undefined, length);
  }

  static of(starts: Int32Array, ends: Int32Array): SourceMap {
    return new SourceMap(0, starts, ends, starts.length);
  }

  get isIdentity(): boolean {
    return this.starts === undefined;
  }

  /** Document offset of the first source character of unescaped character k (k may equal length: end of string). */
  startOf(k: number): number {
    if (!this.starts) return this.base + k;
    if (this.length === 0) return this.base;
    if (k >= this.length) return this.ends![this.length - 1];
    return this.starts[Math.max(0, k)];
  }

  /** Document offset just past the source of unescaped character k. */
  endOf(k: number): number {
    if (!this.starts) return this.base + k + 1;
    if (this.length === 0) return this.base;
    if (k >= this.length) return this.ends![this.length - 1];
    return this.ends![Math.max(0, k)];
  }

  /**
   * The index of the unescaped character whose source contains document offset `offset`, or, for an offset between
   * characters, of the next one (`length` at the end). -1 when the offset is before the string.
   */
  indexAt(offset: number): number {
    if (!this.starts) {
      const k = offset - this.base;
      return k < 0 ? -1 : Math.min(k, this.length);
    }
    if (this.length === 0 || offset < this.starts[0]) return -1;
    let lo = 0;
    let hi = this.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return offset < this.ends![lo] ? lo : lo + 1;
  }

  /** Document range [start, end) covering unescaped characters [from, to). An empty span maps to a caret. */
  range(from: number, to: number): { start: number; end: number } {
    to = Math.min(to, this.length);
    if (to <= from) {
      const at = this.startOf(from);
      return { start: at, end: at };
    }
    return { start: this.startOf(from), end: this.endOf(to - 1) };
  }
}

export interface ReaderProblem {
  readonly kind: 'malformed-unicode';
  readonly start: number;
  readonly end: number;
}

export interface PropertyEntry {
  /** The key as Java sees it (unescaped). */
  readonly key: string;
  /** The value as Java sees it (unescaped). */
  readonly value: string;
  readonly keyMap: SourceMap;
  readonly valueMap: SourceMap;
  /** Document offset of the first character of the logical line (the key). */
  readonly start: number;
  /** Document offset just past the last character of the logical line, before its line break. */
  readonly end: number;
  /** Raw document range of the key. */
  readonly keyStart: number;
  readonly keyEnd: number;
  /** Raw document range of the value (after the separator and leading whitespace); empty when there is no value. */
  readonly valueStart: number;
  readonly valueEnd: number;
  /** True when the raw value text contains a backslash (escape or continuation line). */
  readonly valueHasEscapes: boolean;
  readonly problems: readonly ReaderProblem[];
}

export interface PropertiesDocument {
  readonly text: string;
  readonly entries: readonly PropertyEntry[];
  readonly problems: readonly ReaderProblem[];
}

const SPACE = 32;
const TAB = 9;
const FF = 12;
const LF = 10;
const CR = 13;
const BACKSLASH = 92;
const HASH = 35;
const BANG = 33;
const EQUALS = 61;
const COLON = 58;

function isWhite(c: number): boolean {
  return c === SPACE || c === TAB || c === FF;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Growable parallel buffers for one logical line: the character codes and their document offsets. */
class LineBuffer {
  chars = new Uint16Array(256);
  offs = new Int32Array(256);
  len = 0;

  push(c: number, off: number): void {
    if (this.len === this.chars.length) {
      const chars = new Uint16Array(this.chars.length * 2);
      chars.set(this.chars);
      this.chars = chars;
      const offs = new Int32Array(this.offs.length * 2);
      offs.set(this.offs);
      this.offs = offs;
    }
    this.chars[this.len] = c;
    this.offs[this.len] = off;
    this.len++;
  }
}

function codesToString(codes: Uint16Array, from: number, to: number): string {
  let out = '';
  const CHUNK = 8192;
  for (let i = from; i < to; i += CHUNK) {
    out += String.fromCharCode.apply(null, codes.subarray(i, Math.min(to, i + CHUNK)) as unknown as number[]);
  }
  return out;
}

interface Converted {
  readonly text: string;
  readonly map: SourceMap;
  readonly hasEscapes: boolean;
}

/**
 * `Properties.loadConvert` over line[from, to), returning the string and the source map of every output character.
 * Problems (malformed `\u`) are appended to `problems`.
 */
function convert(text: string, line: LineBuffer, from: number, to: number, problems: ReaderProblem[]): Converted {
  const { chars, offs } = line;
  if (to <= from) {
    const at = from < line.len ? offs[from] : line.len > 0 ? offs[line.len - 1] + 1 : 0;
    return { text: '', map: SourceMap.identity(at, 0), hasEscapes: false };
  }
  // Fast path: no backslash and the characters are contiguous in the document.
  let contiguous = offs[to - 1] - offs[from] === to - from - 1;
  if (contiguous) {
    for (let j = from; j < to; j++) {
      if (chars[j] === BACKSLASH) {
        contiguous = false;
        break;
      }
    }
  }
  if (contiguous) {
    return {
      text: text.slice(offs[from], offs[to - 1] + 1),
      map: SourceMap.identity(offs[from], to - from),
      hasEscapes: false,
    };
  }
  let hasEscapes = false;
  const out = new Uint16Array(to - from);
  const starts = new Int32Array(to - from);
  const ends = new Int32Array(to - from);
  let n = 0;
  let j = from;
  while (j < to) {
    let c = chars[j];
    const start = offs[j];
    if (c !== BACKSLASH) {
      out[n] = c;
      starts[n] = start;
      ends[n] = start + 1;
      n++;
      j++;
      continue;
    }
    hasEscapes = true;
    j++;
    if (j >= to) break; // cannot happen for lines produced by readLine; be safe anyway
    c = chars[j];
    if (c === 117 /* u */) {
      j++;
      if (j > to - 4) {
        problems.push({ kind: 'malformed-unicode', start, end: offs[to - 1] + 1 });
        // Java throws here; recover by emitting the rest literally.
        out[n] = 117;
        starts[n] = start;
        ends[n] = offs[j - 1] + 1;
        n++;
        continue;
      }
      let value = 0;
      let bad = -1;
      for (let k = 0; k < 4; k++) {
        const h = hexValue(chars[j + k]);
        if (h < 0) {
          bad = k;
          break;
        }
        value = (value << 4) + h;
      }
      if (bad >= 0) {
        problems.push({ kind: 'malformed-unicode', start, end: offs[j + bad] + 1 });
        out[n] = 117;
        starts[n] = start;
        ends[n] = offs[j - 1] + 1;
        n++;
        continue;
      }
      out[n] = value;
      starts[n] = start;
      ends[n] = offs[j + 3] + 1;
      n++;
      j += 4;
      continue;
    }
    if (c === 116 /* t */) c = TAB;
    else if (c === 114 /* r */) c = CR;
    else if (c === 110 /* n */) c = LF;
    else if (c === 102 /* f */) c = FF;
    out[n] = c;
    starts[n] = start;
    ends[n] = offs[j] + 1;
    n++;
    j++;
  }
  return {
    text: codesToString(out, 0, n),
    map: SourceMap.of(starts.slice(0, n), ends.slice(0, n)),
    hasEscapes,
  };
}

/** Reads properties text the way `java.util.Properties.load(Reader)` does. Never throws; linear in the input. */
export function readProperties(text: string): PropertiesDocument {
  const entries: PropertyEntry[] = [];
  const allProblems: ReaderProblem[] = [];
  const n = text.length;
  const line = new LineBuffer();
  let i = 0;

  for (;;) {
    // ---- LineReader.readLine ----
    line.len = 0;
    let skipWhiteSpace = true;
    let appendedLineBegin = false;
    let precedingBackslash = false;
    let lineEnd = 0;
    let eof = false;
    // Java's readLine returns -1 (no line) only when nothing was collected; a line that was a lone continuation
    // backslash at the end of the input still yields an empty key and value.
    let produced = false;
    for (;;) {
      if (i >= n) {
        eof = true;
        if (line.len > 0) {
          produced = true;
          if (precedingBackslash) line.len--;
        }
        break;
      }
      const c = text.charCodeAt(i);
      const at = i;
      i++;
      if (skipWhiteSpace) {
        if (isWhite(c)) continue;
        if (!appendedLineBegin && (c === CR || c === LF)) continue;
        skipWhiteSpace = false;
        appendedLineBegin = false;
      }
      if (line.len === 0 && (c === HASH || c === BANG)) {
        // A comment: consume the rest of the natural line.
        while (i < n) {
          const d = text.charCodeAt(i);
          i++;
          if (d === LF || d === CR) break;
        }
        skipWhiteSpace = true;
        continue;
      }
      if (c !== LF && c !== CR) {
        line.push(c, at);
        lineEnd = at + 1;
        precedingBackslash = c === BACKSLASH ? !precedingBackslash : false;
      } else {
        if (line.len === 0) {
          skipWhiteSpace = true;
          continue;
        }
        if (i >= n) {
          produced = true;
          if (precedingBackslash) line.len--;
          break;
        }
        if (precedingBackslash) {
          line.len--;
          skipWhiteSpace = true;
          appendedLineBegin = true;
          precedingBackslash = false;
          if (c === CR && text.charCodeAt(i) === LF) i++;
        } else {
          produced = true;
          break;
        }
      }
    }
    if (!produced) break;

    // ---- Properties.load0: split key and value ----
    const limit = line.len;
    const { chars } = line;
    let keyLen = 0;
    let valueStart = limit;
    let hasSep = false;
    let backslash = false;
    while (keyLen < limit) {
      const c = chars[keyLen];
      if ((c === EQUALS || c === COLON) && !backslash) {
        valueStart = keyLen + 1;
        hasSep = true;
        break;
      } else if (isWhite(c) && !backslash) {
        valueStart = keyLen + 1;
        break;
      }
      backslash = c === BACKSLASH ? !backslash : false;
      keyLen++;
    }
    while (valueStart < limit) {
      const c = chars[valueStart];
      if (!isWhite(c)) {
        if (!hasSep && (c === EQUALS || c === COLON)) hasSep = true;
        else break;
      }
      valueStart++;
    }
    const problems: ReaderProblem[] = [];
    const key = convert(text, line, 0, keyLen, problems);
    const value = convert(text, line, valueStart, limit, problems);
    const start = limit > 0 ? line.offs[0] : lineEnd - 1;
    const rawValueStart = valueStart < limit ? line.offs[valueStart] : lineEnd;
    entries.push({
      key: key.text,
      value: value.text,
      keyMap: key.map,
      valueMap: value.map,
      start,
      end: lineEnd,
      keyStart: start,
      keyEnd: keyLen > 0 ? line.offs[keyLen - 1] + 1 : start,
      valueStart: rawValueStart,
      valueEnd: valueStart < limit ? lineEnd : rawValueStart,
      valueHasEscapes: value.hasEscapes || !value.map.isIdentity,
      problems,
    });
    for (const p of problems) allProblems.push(p);
    if (eof) break;
  }
  return { text, entries, problems: allProblems };
}
