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
import { PropertyEntry, ReaderProblem } from './readerTypes';
import { BACKSLASH, BANG, COLON, Converter, CR, EQUALS, FF, HASH, isWhite, LF, NO_PROBLEMS, Segments, SPACE, TAB } from './lineConverter';

export type { PropertyEntry, ReaderProblem } from './readerTypes';

export interface PropertiesDocument {
  readonly text: string;
  readonly entries: readonly PropertyEntry[];
  readonly problems: readonly ReaderProblem[];
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

/**
 * Where the next line break and backslash are, found with native scans (indexOf) and remembered until passed: reading
 * moves forward only, so each is searched once per occurrence, and no character of a line is looked at in JavaScript.
 */
class Scanner {
  private lf: number;
  private cr: number;
  private bs: number;
  /** The last logical line read: where reading goes on, and where its text ends. */
  next = 0;
  lineEnd = 0;

  constructor(private readonly text: string) {
    this.lf = text.indexOf('\n');
    this.cr = text.indexOf('\r');
    this.bs = text.indexOf('\\');
  }

  /** The first CR or LF at or after `i`, or the end of the text. */
  lineBreak(i: number): number {
    if (this.lf >= 0 && this.lf < i) this.lf = this.text.indexOf('\n', i);
    if (this.cr >= 0 && this.cr < i) this.cr = this.text.indexOf('\r', i);
    const lf = this.lf < 0 ? this.text.length : this.lf;
    return this.cr >= 0 && this.cr < lf ? this.cr : lf;
  }

  /** Whether a backslash is in [i, end). */
  backslash(i: number, end: number): boolean {
    if (this.bs >= 0 && this.bs < i) this.bs = this.text.indexOf('\\', i);
    return this.bs >= 0 && this.bs < end;
  }
}

/**
 * `LineReader.readLine`: the next logical line from offset `from` into `line`. False at the end of the input; else
 * the scanner holds where reading goes on (`next`) and where the line's text ends (`lineEnd`).
 */
function readLogicalLine(text: string, from: number, line: Segments, scan: Scanner): boolean {
  const n = text.length;
  let i = from;
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
      i = Math.min(n, scan.lineBreak(i) + 1);
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
    const q = scan.lineBreak(i);
    if (scan.backslash(s, q)) line.backslash = true;
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
  scan.next = i;
  scan.lineEnd = lineEnd;
  return produced;
}

/** `Properties.load0`: where the key ends (its segment and offset) and where the value starts, past the separator. */
function splitKeyValue(text: string, line: Segments, lineEnd: number) {
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
  return { seg, pos, keyEndSeg, keyEndPos, start, keyEndOffset };
}

/** Reads properties text the way `java.util.Properties.load(Reader)` does. Never throws; linear in the input. */
export function readProperties(text: string): PropertiesDocument {
  const entries: PropertyEntry[] = [];
  const allProblems: ReaderProblem[] = [];
  const line = new Segments();
  const converter = new Converter(text);
  const problems: ReaderProblem[] = [];
  const scan = new Scanner(text);
  for (let i = 0; ;) {
    if (!readLogicalLine(text, i, line, scan)) break;
    i = scan.next;
    const lineEnd = scan.lineEnd;
    const { seg, pos, keyEndSeg, keyEndPos, start, keyEndOffset } = splitKeyValue(text, line, lineEnd);
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
