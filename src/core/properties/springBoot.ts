/**
 * Where Spring Boot's properties loader (OriginTrackedPropertiesLoader, likely what Bitbucket 6–10 use; UNCONFIRMED,
 * product-loading.md §0, §2.3 B) reads a line differently from java.util.Properties, and where Spring's placeholder
 * resolution changes a value (§2.5). Every finding is a warning that says what each loader does. Pure and linear.
 */
import { Finding } from '../diagnostics';
import { PropertiesDocument, PropertyEntry } from './reader';

const SPRING = "Spring Boot's loader (which Bitbucket 6 and later probably use)";

/** Java's String.trim(): every character up to U+0020. */
function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) <= 0x20) b--;
  return s.slice(a, b);
}

const isBlankCode = (c: number) => c === 32 || c === 9 || c === 12;

/** Physical lines around an offset, and whether a line continues the one before (memoized: linear overall). */
class PhysicalLines {
  private readonly continuation = new Map<number, boolean>();

  constructor(private readonly text: string) {}

  endOf(start: number): number {
    let e = start;
    while (e < this.text.length && this.text.charCodeAt(e) !== 10 && this.text.charCodeAt(e) !== 13) e++;
    return e;
  }

  nextStart(start: number): number {
    const e = this.endOf(start);
    if (e >= this.text.length) return -1;
    return this.text.charCodeAt(e) === 13 && this.text.charCodeAt(e + 1) === 10 ? e + 2 : e + 1;
  }

  previousStart(start: number): number {
    if (start === 0) return -1;
    let end = start - 1;
    if (this.text.charCodeAt(end) === 10 && end > 0 && this.text.charCodeAt(end - 1) === 13) end--;
    let s = end;
    while (s > 0 && this.text.charCodeAt(s - 1) !== 10 && this.text.charCodeAt(s - 1) !== 13) s--;
    return s;
  }

  /** The comment character (# or !) a line starts with after blanks, or 0. */
  commentPrefix(start: number): number {
    let i = start;
    while (isBlankCode(this.text.charCodeAt(i))) i++;
    const c = this.text.charCodeAt(i);
    return c === 35 || c === 33 ? c : 0;
  }

  private endsInContinuation(start: number): boolean {
    const end = this.endOf(start);
    let backslashes = 0;
    while (end - backslashes - 1 >= start && this.text.charCodeAt(end - backslashes - 1) === 92) backslashes++;
    return backslashes % 2 === 1;
  }

  /**
   * Whether the line at `start` is the continuation of the logical line before it (then it is never a comment): the
   * previous line ends in an odd number of backslashes and is not itself a comment (a comment does not continue, unless
   * it is a continuation itself). Iterative, so a long chain of such lines cannot exhaust the stack.
   */
  isContinuation(start: number): boolean {
    const chain: number[] = [];
    let current = start;
    let result: boolean;
    for (;;) {
      const known = this.continuation.get(current);
      if (known !== undefined) {
        result = known;
        break;
      }
      const previous = this.previousStart(current);
      if (previous < 0 || !this.endsInContinuation(previous)) {
        result = false;
        this.continuation.set(current, false);
        break;
      }
      chain.push(current);
      current = previous;
    }
    // `result` is the status of `current`; each line of the chain continues unless its predecessor is a real comment.
    for (let i = chain.length - 1; i >= 0; i--) {
      const previous = this.previousStart(chain[i]);
      result = !(this.commentPrefix(previous) !== 0 && !result);
      this.continuation.set(chain[i], result);
    }
    return result;
  }
}

type Warn = (code: string, start: number, end: number, message: string) => void;

/** Comment lines, separator lines and entries, as Spring Boot 2.4+ reads them differently from the JDK. */
export function springBootDivergences(text: string, document: PropertiesDocument, placeholderKeys: (entry: PropertyEntry) => boolean): Finding[] {
  const out: Finding[] = [];
  const warn: Warn = (code, start, end, message) => out.push({ code, severity: 'warning', start, end: Math.max(end, start + 1), message });
  commentLines(text, warn);
  for (const entry of document.entries) entryDivergences(text, entry, placeholderKeys, warn);
  return out;
}

/** The start of every line that may be a comment Spring reads differently: "#" or "!" before a backslash or "---". */
function commentCandidates(text: string): Set<number> {
  const candidates = new Set<number>();
  // Candidates from native indexOf scans (a backslash, or "---"), each line looked at once and then skipped: a regex
  // tried at every character costs ten times as much on a large file. Line boundaries come from native scans too,
  // with the next CR and LF remembered, so the whole pass stays linear.
  const breaks = { lf: -2, cr: -2 };
  const nextBreak = (from: number): number => {
    if (breaks.lf !== -1 && breaks.lf < from) breaks.lf = text.indexOf('\n', from);
    if (breaks.cr !== -1 && breaks.cr < from) breaks.cr = text.indexOf('\r', from);
    if (breaks.lf < 0) return breaks.cr;
    return breaks.cr < 0 || breaks.lf < breaks.cr ? breaks.lf : breaks.cr;
  };
  for (const needle of ['\\', '---']) {
    breaks.lf = -2;
    breaks.cr = -2;
    let lineStart = 0;
    for (let at = text.indexOf(needle); at >= 0;) {
      // The line holding `at` starts after the last break before it.
      for (let b = nextBreak(lineStart); b >= 0 && b < at; b = nextBreak(lineStart)) lineStart = b + 1;
      let left = lineStart;
      while (left < at && isBlankCode(text.charCodeAt(left))) left++;
      const prefix = text.charCodeAt(left);
      let dashes = 0;
      while (left + 1 + dashes < at && text.charCodeAt(left + 1 + dashes) === 45) dashes++;
      if ((prefix === 35 || prefix === 33) && (needle !== '\\' || at - (left + 1 + dashes) <= 1)) candidates.add(lineStart);
      const end = nextBreak(at);
      if (end < 0) break;
      at = text.indexOf(needle, end);
    }
  }

  return candidates;
}

/** Comment lines that Spring reads differently (most files have none). */
function commentLines(text: string, warn: Warn): void {
  const lines = new PhysicalLines(text);
  const candidates = commentCandidates(text);
  for (const o of [...candidates].sort((a, b) => a - b)) {
    if (lines.isContinuation(o)) continue;
    const e = lines.endOf(o);
    let left = o;
    while (left < e && isBlankCode(text.charCodeAt(left))) left++;
    const prefixCode = text.charCodeAt(left);
    // Only the first comment line of a block (the previous line is not a comment with the same prefix).
    const previous = lines.previousStart(o);
    if (previous >= 0 && !lines.isContinuation(previous) && lines.commentPrefix(previous) === prefixCode) continue;
    const line = text.slice(left, e);
    const prefix = line[0];
    const next = lines.nextStart(o);
    // A separator directly followed by a comment line is cancelled (the documents are merged back).
    const following = next < 0 ? '' : text.slice(next, next + 64).replace(/^[ \t\f]*/, '');
    if (left === o && /^[#!]---[ \t]*$/.test(line) && !/^[#!]/.test(following)) {
      warn(
        'spring-document-separator',
        left,
        left + 4,
        `${SPRING} splits the file into two documents at a "${prefix}---" line (Spring Boot 2.4+${prefix === '!' ? ', "!---" from 2.6.13/2.7.5' : ''}); java.util.Properties reads it as a comment. ` +
          'Merged in order, the result is the same unless a document sets spring.config.activate.on-profile. Add a character after the dashes if no split is meant.',
      );
    }
    let dashes = 0;
    while (line[1 + dashes] === '-') dashes++;
    const at = line.slice(1, Math.min(line.length, 3 + dashes)).indexOf('\\');
    if (at < 0) continue;
    const slash = 1 + at;
    const after = line.slice(slash + 1);
    if (after === '') {
      warn(
        'spring-comment-escape',
        left + slash,
        left + slash + 1,
        `${SPRING} reads the start of this comment through its escape handling, so the "\\" at the end joins the next line into the comment: that line's setting is lost there (Spring Boot 2.4+); java.util.Properties ignores the comment and keeps the next line. Remove the backslash or put text before it.`,
      );
    } else if (after[0] === 'u' && !/^u[0-9A-Fa-f]{4}/.test(after)) {
      warn(
        'spring-comment-escape',
        left + slash,
        left + Math.min(line.length, slash + 6),
        `${SPRING} reads the start of this comment through its escape handling and fails on "\\${after.slice(0, 5)}" with "Malformed \\uxxxx encoding" (Spring Boot 2.4+), so the product would not start; java.util.Properties ignores comments. Put a space or text before the backslash, e.g. "# path: C:\\users".`,
      );
    }
  }
}

/** One entry as Spring reads it: an empty key, a list key, trimmed keys, escaped comments, split escapes, placeholders. */
function entryDivergences(text: string, entry: PropertyEntry, placeholderKeys: (entry: PropertyEntry) => boolean, warn: Warn): void {
  const key = entry.key;
  if (key === '') {
    warn(
      'spring-empty-key',
      entry.start,
      entry.start + 1,
      `${SPRING} drops an entry with an empty key; java.util.Properties keeps it under "". Give it a key or remove the line.`,
    );
    return;
  }
  // Key positions are computed on demand by the reader: only for the findings.
  const keySpan = () => [entry.keyStart, Math.max(entry.keyEnd, entry.keyStart + 1)] as const;
  if (key.endsWith('[]')) {
    warn(
      'spring-list-key',
      ...keySpan(),
      `${SPRING} reads a key ending in "[]" as a list and stores ${key.slice(0, -2)}[0], ${key.slice(0, -2)}[1], … split at commas; java.util.Properties keeps the key "${key}" with the whole value. Use the plain key if one value is meant.`,
    );
  }
  if (key.charCodeAt(0) <= 0x20 || key.charCodeAt(key.length - 1) <= 0x20) {
    warn(
      'spring-key-whitespace',
      ...keySpan(),
      `${SPRING} trims the escaped whitespace at the ends of this key and stores "${javaTrim(key)}"; java.util.Properties stores ${JSON.stringify(key)}. Remove the escaped whitespace.`,
    );
  }
  if (key.startsWith('#') || key.startsWith('!')) {
    warn(
      'spring-escaped-comment',
      entry.start,
      keySpan()[1],
      `A line starting with an escaped "${key[0]}" is a comment to ${SPRING} (Spring Boot 2.4+${key[0] === '!' ? '; "\\!" from 2.6.13/2.7.5' : ''}), but the key "${key}" to java.util.Properties. Remove the backslash if a comment is meant, or rename the key.`,
    );
  }
  const raw = entry.valueHasEscapes ? text.slice(entry.start, entry.end) : '';
  const split = raw.includes('\\u') ? /(?<!\\)(?:\\\\)*\\u[0-9A-Fa-f]{0,3}\\(?:\r\n|\r|\n)/.exec(raw) : null;
  if (split) {
    const at = entry.start + split.index + split[0].indexOf('\\u');
    warn(
      'spring-unicode-split',
      at,
      at + 2,
      `This \\u escape is split by a line continuation. java.util.Properties joins the lines first and decodes it; ${SPRING} decodes the next four characters as they are and fails with "Malformed \\uxxxx encoding". Keep the four hex digits on one line.`,
    );
  }
  // Only the values that matter are decoded (the reader defers unescaping).
  if (!placeholderKeys(entry)) return;
  const value = entry.value;
  if (value.includes('${')) {
    const offset = value.indexOf('${');
    const span = entry.valueMap.range(offset, offset + 2);
    warn(
      'spring-placeholder',
      span.start,
      span.end,
      `Spring resolves \${…} placeholders in property values: "${value.slice(offset, offset + 24)}${value.length > offset + 24 ? '…' : ''}" is replaced by another property or an environment variable, or, when none matches, makes the lookup fail or is kept as it is (UNCONFIRMED which Bitbucket uses). Keep "\${" out of passwords and secret references.`,
    );
  }
}
