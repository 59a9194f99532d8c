/** The character codes, the logical line's segments and `Properties.loadConvert` behind core/properties/reader.ts. */
import { SourceMap } from '../text/sourceMap';
import type { ReaderProblem } from './readerTypes';

export const SPACE = 32;
export const TAB = 9;
export const FF = 12;
export const LF = 10;
export const CR = 13;
export const BACKSLASH = 92;
export const HASH = 35;
export const BANG = 33;
export const EQUALS = 61;
export const COLON = 58;

export function isWhite(c: number): boolean {
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
export const NO_PROBLEMS: readonly ReaderProblem[] = Object.freeze([]);

export class Segments {
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
export class Converter {
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
