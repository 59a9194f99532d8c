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

import { SourceMap } from '../text/sourceMap';
import { Setting } from '../model/setting';

export interface ReaderProblem {
  readonly kind: 'malformed-unicode';
  readonly start: number;
  readonly end: number;
}

/** A properties entry: a setting, plus where its key came from and what the reader found wrong in it. */
export interface PropertyEntry extends Setting {
  readonly keyMap: SourceMap;
  /** `value.startsWith(prefix)`, without unescaping the value when the raw text decides it. */
  valueStartsWith(prefix: string): boolean;
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

/**
 * A logical line as document segments [start, end): one per natural line, with the continuation backslash and the
 * next line's leading whitespace already removed. A cursor walks its characters in order.
 */
const NO_PROBLEMS: readonly ReaderProblem[] = Object.freeze([]);

class Segments {
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  count = 0;

  /** True when any natural line of this logical line contains a backslash. */
  backslash = false;

  reset(): void {
    this.count = 0;
    this.backslash = false;
  }

  push(start: number, end: number): void {
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
  }
}

/**
 * `Properties.loadConvert` over a logical line's characters from (fromSeg, fromPos) up to (toSeg, toPos). The string
 * comes from slices; the source map is only built when asked for (`wantMap`), since most values are never mapped
 * back. One instance per document; no per-call closures.
 */
class Converter {
  private seg = 0;
  private pos = 0;
  private toSeg = 0;
  private toPos = 0;
  private line!: Segments;
  /** Results of the last convert call. */
  text = '';
  escapes = false;
  /** True when the result is a plain slice of the document (identity map). */
  identity = true;
  map: SourceMap | undefined;

  constructor(private readonly source: string) {}

  private atEnd(): boolean {
    return this.seg >= this.line.count || this.seg > this.toSeg || (this.seg === this.toSeg && this.pos >= this.toPos);
  }

  private skipSegmentEnds(): void {
    const line = this.line;
    while (this.seg < line.count && this.pos >= line.ends[this.seg]) {
      this.seg++;
      if (this.seg < line.count) this.pos = line.starts[this.seg];
    }
  }

  /** The document offset of the next logical character, advancing past it; -1 at the end. */
  private take(): number {
    if (this.atEnd()) return -1;
    const at = this.pos++;
    this.skipSegmentEnds();
    return at;
  }

  /** True when the last convert left `text` to be built later (escapes all simple and well-formed). */
  deferred = false;

  convert(
    line: Segments,
    fromSeg: number,
    fromPos: number,
    toSeg: number,
    toPos: number,
    problems: ReaderProblem[],
    wantMap: boolean,
    deferText = false,
  ): void {
    this.deferred = false;
    const text = this.source;
    this.line = line;
    this.seg = fromSeg;
    this.pos = fromPos;
    this.toSeg = toSeg;
    this.toPos = toPos;
    this.map = undefined;
    this.skipSegmentEnds();
    const endOffset = toSeg < line.count ? toPos : line.count > 0 ? line.ends[line.count - 1] : toPos;
    if (this.atEnd()) {
      this.text = '';
      this.escapes = false;
      this.identity = true;
      if (wantMap) this.map = SourceMap.identity(this.seg < line.count ? this.pos : endOffset, 0);
      return;
    }
    const lastSeg = toSeg < line.count ? toSeg : line.count - 1;
    if (this.seg === lastSeg) {
      // Fast path: one segment without a backslash is a plain slice.
      const end = toSeg < line.count ? toPos : line.ends[lastSeg];
      let k = this.pos;
      if (!line.backslash) k = end;
      else while (k < end && text.charCodeAt(k) !== BACKSLASH) k++; // not indexOf: that would scan past `end`
      if (k === end) {
        this.text = text.slice(this.pos, end);
        this.escapes = false;
        this.identity = true;
        if (wantMap) this.map = SourceMap.identity(this.pos, end - this.pos);
        return;
      }
    }
    this.identity = false;
    this.escapes = true;
    if (!wantMap) {
      const quick = this.quickString(line, lastSeg, toSeg, toPos, !deferText);
      if (quick !== undefined) {
        this.text = quick;
        this.deferred = deferText;
        return;
      }
    }
    this.full(problems, endOffset);
  }

  /**
   * The converted string when every escape lies inside one segment and is well-formed (the common case), built
   * from slices; undefined otherwise (the full path then also reports malformed escapes).
   */
  private quickString(line: Segments, lastSeg: number, toSeg: number, toPos: number, build: boolean): string | undefined {
    const text = this.source;
    let out = '';
    for (let r = this.seg; r <= lastSeg; r++) {
      let p = r === this.seg ? this.pos : line.starts[r];
      const e = r === toSeg ? toPos : line.ends[r];
      while (p < e) {
        let q = p;
        while (q < e && text.charCodeAt(q) !== BACKSLASH) q++;
        if (build && q > p) out += text.slice(p, q);
        if (q >= e) break;
        if (q + 1 >= e) return undefined; // an escape that crosses a segment boundary
        let esc = text.charCodeAt(q + 1);
        p = q + 2;
        if (esc === 117 /* u */) {
          if (p + 4 > e) return undefined;
          let value = 0;
          for (let k = 0; k < 4; k++) {
            const digit = hexValue(text.charCodeAt(p + k));
            if (digit < 0) return undefined;
            value = (value << 4) + digit;
          }
          esc = value;
          p += 4;
        } else if (esc === 116 /* t */) esc = TAB;
        else if (esc === 114 /* r */) esc = CR;
        else if (esc === 110 /* n */) esc = LF;
        else if (esc === 102 /* f */) esc = FF;
        if (build) out += String.fromCharCode(esc);
      }
    }
    return out;
  }

  /** Character by character, with the source map. */
  private full(problems: ReaderProblem[], endOffset: number): void {
    const text = this.source;
    let out = '';
    const outStart: number[] = [];
    const docStart: number[] = [];
    const width: number[] = [];
    let n = 0;
    let runFrom = -1; // the current plain run [runFrom, runTo) in the document
    let runTo = -1;
    /** Appends a run of `chars` output characters, each from `w` source characters starting at `from`. */
    const emit = (from: number, w: number, chars: string): void => {
      outStart.push(n);
      docStart.push(from);
      width.push(w);
      out += chars;
      n += chars.length;
    };
    const flushRun = (): void => {
      if (runFrom >= 0) emit(runFrom, 1, text.slice(runFrom, runTo));
      runFrom = -1;
    };
    for (;;) {
      const at = this.take();
      if (at < 0) break;
      if (text.charCodeAt(at) !== BACKSLASH) {
        if (runFrom >= 0 && at === runTo) {
          runTo++;
        } else {
          flushRun();
          runFrom = at;
          runTo = at + 1;
        }
        continue;
      }
      flushRun();
      const escAt = this.take();
      if (escAt < 0) break; // cannot happen for lines from readLine
      let esc = text.charCodeAt(escAt);
      let last = escAt;
      if (esc === 117 /* u */) {
        let value = 0;
        let bad = false;
        for (let k = 0; k < 4; k++) {
          const h = this.take();
          if (h < 0) {
            problems.push({ kind: 'malformed-unicode', start: at, end: last + 1 });
            bad = true;
            break;
          }
          last = h;
          const digit = hexValue(text.charCodeAt(h));
          if (digit < 0) {
            problems.push({ kind: 'malformed-unicode', start: at, end: h + 1 });
            bad = true;
            break;
          }
          value = (value << 4) + digit;
        }
        // Java throws on a malformed escape; we recover by emitting "u" and going on.
        esc = bad ? 117 : value;
      } else if (esc === 116 /* t */) esc = TAB;
      else if (esc === 114 /* r */) esc = CR;
      else if (esc === 110 /* n */) esc = LF;
      else if (esc === 102 /* f */) esc = FF;
      emit(at, last + 1 - at, String.fromCharCode(esc));
    }
    flushRun();
    this.text = out;
    this.map = n === 0 ? SourceMap.identity(endOffset, 0) : SourceMap.fromRuns(outStart, docStart, width, n, endOffset);
  }
}

/** One logical line's entry. Source maps are computed on first use. */
class Entry implements PropertyEntry {
  private keyMapCache: SourceMap | undefined;
  private valueMapCache: SourceMap | undefined;

  constructor(
    private readonly source: string,
    /** Segments of the logical line after the first, flat [start1, end1, start2, end2, …]; most lines have none. */
    private readonly moreSegs: readonly number[] | undefined,
    private readonly seg0Start: number,
    private readonly seg0End: number,
    private readonly keyIdentity: boolean,
    private readonly keyEndSeg: number,
    private readonly keyEndPos: number,
    private readonly valueIdentity: boolean,
    private readonly valueSeg: number,
    private readonly valuePos: number,
    readonly key: string,
    /** The value, or undefined until first use when it needs unescaping. */
    private valueText: string | undefined,
    readonly start: number,
    readonly end: number,
    readonly keyEnd: number,
    readonly valueStart: number,
    readonly valueEnd: number,
    readonly valueHasEscapes: boolean,
    readonly problems: readonly ReaderProblem[],
  ) {}

  get keyStart(): number {
    return this.start;
  }

  get value(): string {
    if (this.valueText === undefined) {
      const line = this.segments();
      const converter = new Converter(this.source);
      converter.convert(line, this.valueSeg, this.valuePos, line.count, this.end, [], false);
      this.valueText = converter.text;
    }
    return this.valueText;
  }

  private segments(): Segments {
    const line = new Segments();
    line.push(this.seg0Start, this.seg0End);
    const more = this.moreSegs ?? [];
    for (let i = 0; i < more.length; i += 2) line.push(more[i], more[i + 1]);
    line.backslash = true;
    return line;
  }

  get keyMap(): SourceMap {
    return (this.keyMapCache ??= this.keyIdentity
      ? SourceMap.identity(this.start, this.key.length)
      : this.mapOf(0, this.start, this.keyEndSeg, this.keyEndPos));
  }

  get valueMap(): SourceMap {
    return (this.valueMapCache ??= this.valueIdentity
      ? SourceMap.identity(this.valueStart, this.value.length)
      : this.mapOf(this.valueSeg, this.valuePos, 1 + (this.moreSegs?.length ?? 0) / 2, this.end));
  }

  /** The value's first characters as the product sees them, without unescaping the whole value when avoidable. */
  valueStartsWith(prefix: string): boolean {
    if (this.valueText !== undefined) return this.valueText.startsWith(prefix);
    // Compare the raw text while it needs no unescaping; fall back to the value at the first backslash.
    const text = this.source;
    for (let k = 0; k < prefix.length; k++) {
      const at = this.valuePos + k;
      if (this.valueSeg !== 0 || at >= this.seg0End) return this.value.startsWith(prefix);
      const c = text.charCodeAt(at);
      if (c === BACKSLASH) return this.value.startsWith(prefix);
      if (c !== prefix.charCodeAt(k)) return false;
    }
    return true;
  }

  private mapOf(fromSeg: number, fromPos: number, toSeg: number, toPos: number): SourceMap {
    const line = this.segments();
    const converter = new Converter(this.source);
    converter.convert(line, fromSeg, fromPos, toSeg, toPos, [], true);
    return converter.map!;
  }
}

/** Reads properties text the way `java.util.Properties.load(Reader)` does. Never throws; linear in the input. */
export function readProperties(text: string): PropertiesDocument {
  const entries: PropertyEntry[] = [];
  const allProblems: ReaderProblem[] = [];
  const n = text.length;
  const line = new Segments();
  const converter = new Converter(text);
  const problems: ReaderProblem[] = [];
  let i = 0;
  for (;;) {
    // ---- LineReader.readLine, one natural line at a time ----
    line.reset();
    let len = 0;
    let lineEnd = 0;
    let appended = false;
    let produced: boolean;
    for (;;) {
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === SPACE || c === TAB || c === FF || (!appended && (c === CR || c === LF))) i++;
        else break;
      }
      if (i >= n) {
        produced = len > 0;
        break;
      }
      const c = text.charCodeAt(i);
      appended = false;
      if (len === 0 && (c === HASH || c === BANG)) {
        // A comment: skip the rest of the natural line and its line break.
        while (i < n) {
          const d = text.charCodeAt(i++);
          if (d === LF || d === CR) break;
        }
        continue;
      }
      if (c === CR || c === LF) {
        // An empty natural line right after a continuation ends the logical line (or, with nothing yet, is skipped).
        i++;
        if (len === 0) continue;
        produced = true;
        break;
      }
      const s = i;
      let q = i;
      while (q < n) {
        const d = text.charCodeAt(q);
        if (d === CR || d === LF) break;
        if (d === BACKSLASH) line.backslash = true;
        q++;
      }
      let backslashes = 0;
      while (q - backslashes - 1 >= s && text.charCodeAt(q - backslashes - 1) === BACKSLASH) backslashes++;
      const continues = backslashes % 2 === 1;
      const e = continues ? q - 1 : q;
      if (e > s) line.push(s, e);
      len += q - s; // Java counts the backslash until it drops it
      if (continues) len--;
      lineEnd = q;
      if (q >= n) {
        // End of input: Java returns the line (minus a trailing continuation backslash) even when that leaves it empty.
        i = q;
        produced = true;
        break;
      }
      i = q + 1;
      if (!continues) {
        produced = true;
        break;
      }
      const crlf = text.charCodeAt(q) === CR && text.charCodeAt(i) === LF;
      if (crlf) i++;
      if (i >= n) {
        // Java looks one character past a CR for its LF: when that LF is the last character, it reads on, meets the
        // end of input with an empty line and returns nothing. After a lone LF or CR it returns the (empty) line.
        produced = crlf ? len > 0 : true;
        break;
      }
      appended = true;
    }
    if (!produced) break;

    // ---- Properties.load0: split key and value ----
    let seg = 0;
    let pos = line.count > 0 ? line.starts[0] : lineEnd;
    let hasSep = false;
    let backslash = false;
    let keyEndSeg = line.count;
    let keyEndPos = lineEnd;
    const start = line.count > 0 ? line.starts[0] : Math.max(0, lineEnd - 1);
    let keyEndOffset = start;
    if (!line.backslash && line.count === 1) {
      // No escapes and one natural line: find the separator directly.
      const e = line.ends[0];
      while (pos < e) {
        const c = text.charCodeAt(pos);
        if (c === EQUALS || c === COLON || c === SPACE || c === TAB || c === FF) break;
        pos++;
      }
      keyEndOffset = pos;
      if (pos < e) {
        const c = text.charCodeAt(pos);
        keyEndSeg = 0;
        keyEndPos = pos;
        hasSep = c === EQUALS || c === COLON;
        pos++;
      } else {
        seg = 1;
      }
    } else
      while (seg < line.count) {
        const c = text.charCodeAt(pos);
        if ((c === EQUALS || c === COLON || c === SPACE || c === TAB || c === FF) && !backslash) {
          keyEndSeg = seg;
          keyEndPos = pos;
          hasSep = c === EQUALS || c === COLON;
          pos++;
          break;
        }
        backslash = c === BACKSLASH ? !backslash : false;
        keyEndOffset = pos + 1;
        pos++;
        while (seg < line.count && pos >= line.ends[seg]) {
          seg++;
          if (seg < line.count) pos = line.starts[seg];
        }
      }
    for (;;) {
      while (seg < line.count && pos >= line.ends[seg]) {
        seg++;
        if (seg < line.count) pos = line.starts[seg];
      }
      if (seg >= line.count) break;
      const c = text.charCodeAt(pos);
      if (!isWhite(c)) {
        if (!hasSep && (c === EQUALS || c === COLON)) hasSep = true;
        else break;
      }
      pos++;
    }
    problems.length = 0;
    converter.convert(line, 0, start, keyEndSeg, keyEndPos, problems, false);
    const key = converter.text;
    const keyIdentity = converter.identity;
    converter.convert(line, seg, pos, line.count, lineEnd, problems, false, true);
    const valueText = converter.deferred ? undefined : converter.text;
    const valueStart = seg < line.count ? pos : lineEnd;
    let moreSegs: number[] | undefined;
    for (let r = 1; r < line.count; r++) (moreSegs ??= []).push(line.starts[r], line.ends[r]);
    entries.push(
      new Entry(
        text,
        moreSegs,
        line.count > 0 ? line.starts[0] : lineEnd,
        line.count > 0 ? line.ends[0] : lineEnd,
        keyIdentity,
        keyEndSeg,
        keyEndPos,
        converter.identity,
        seg,
        pos,
        key,
        valueText,
        start,
        lineEnd,
        line.count > 0 && keyEndOffset > start ? keyEndOffset : start,
        valueStart,
        seg < line.count ? lineEnd : valueStart,
        converter.escapes,
        problems.length === 0 ? NO_PROBLEMS : problems.slice(),
      ),
    );
    for (const p of problems) allProblems.push(p);
  }
  return { text, entries, problems: allProblems };
}
