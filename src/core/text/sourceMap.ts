/** Where each character of a decoded value (properties escapes, XML entities) came from in the document. */

/** Index of the last element of the ascending `sorted` that is <= value (0 when none is). */
function lastAtMost(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid] <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Where each character of an unescaped string came from. Stored as runs: run r covers output characters
 * [outStart[r], outStart[r+1]) whose sources start at docStart[r] + (k - outStart[r]) * width[r] and are width[r]
 * long. Plain text is one run of width 1; an escape is a run of one character whose source is the whole escape.
 */
export class SourceMap {
  private constructor(
    /** Runs, or undefined for an identity map at `base`. */
    private outStart: readonly number[] | undefined,
    private docStart: readonly number[] | undefined,
    private width: readonly number[] | undefined,
    private readonly base: number,
    readonly length: number,
    /** Document offset of the end of the string (for the empty string: where it would be). */
    private readonly endOffset: number,
  ) {}

  /** Character k sits at document offset base + k (no escapes, no continuation lines). */
  static identity(base: number, length: number): SourceMap {
    return new SourceMap(undefined, undefined, undefined, base, length, base + length);
  }

  static fromRuns(outStart: number[], docStart: number[], width: number[], length: number, endOffset: number): SourceMap {
    return new SourceMap(outStart, docStart, width, 0, length, endOffset);
  }

  private runOf(k: number): number {
    return lastAtMost(this.outStart!, k);
  }

  /** Document offset of the first source character of unescaped character k (k may equal length: end of string). */
  startOf(k: number): number {
    if (k >= this.length) return this.endOffset;
    if (!this.outStart) return this.base + Math.max(0, k);
    const r = this.runOf(Math.max(0, k));
    return this.docStart![r] + (Math.max(0, k) - this.outStart[r]) * this.width![r];
  }

  /** Document offset just past the source of unescaped character k. */
  endOf(k: number): number {
    if (k >= this.length) return this.endOffset;
    if (!this.outStart) return this.base + Math.max(0, k) + 1;
    const r = this.runOf(Math.max(0, k));
    return this.docStart![r] + (Math.max(0, k) - this.outStart[r] + 1) * this.width![r];
  }

  /**
   * The index of the unescaped character whose source contains document offset `offset`, or, for an offset between
   * characters, of the next one (`length` at the end). -1 when the offset is before the string.
   */
  indexAt(offset: number): number {
    if (this.length === 0) return offset < this.endOffset ? -1 : 0;
    if (!this.outStart) {
      const k = offset - this.base;
      return k < 0 ? -1 : Math.min(k, this.length);
    }
    const docs = this.docStart!;
    if (offset < docs[0]) return -1;
    const lo = lastAtMost(docs, offset);
    const runLength = (lo + 1 < this.outStart.length ? this.outStart[lo + 1] : this.length) - this.outStart[lo];
    const within = Math.floor((offset - docs[lo]) / this.width![lo]);
    return within < runLength ? this.outStart[lo] + within : this.outStart[lo] + runLength;
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
