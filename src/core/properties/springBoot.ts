/**
 * Where Spring Boot's properties loader (OriginTrackedPropertiesLoader, likely what Bitbucket 6–10 use; UNCONFIRMED,
 * product-loading.md §0, §2.3 B) reads a line differently from java.util.Properties, and where Spring's placeholder
 * resolution changes a value (§2.5). Every finding is a warning that says what each loader does. Pure and linear.
 */
import { Finding } from '../diagnostics';
import { PropertiesDocument } from './reader';

const SPRING = "Spring Boot's loader (which Bitbucket 6 and later probably use)";

/** Java's String.trim(): every character up to U+0020. */
function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) <= 0x20) b--;
  return s.slice(a, b);
}

function trailingBackslashes(line: string): number {
  let n = 0;
  while (n < line.length && line.charCodeAt(line.length - 1 - n) === 0x5c) n++;
  return n;
}

const isBlank = (c: string) => c === ' ' || c === '\t' || c === '\f';

/** Comment lines, separator lines and entries, as Spring Boot 2.4+ reads them differently from the JDK. */
export function springBootDivergences(text: string, document: PropertiesDocument, placeholderKeys: (key: string, value: string) => boolean): Finding[] {
  const out: Finding[] = [];
  const warn = (code: string, start: number, end: number, message: string) => out.push({ code, severity: 'warning', start, end: Math.max(end, start + 1), message });

  // ---- Physical lines: comment blocks and document separators ----
  let continued = false;
  let previousComment: string | undefined;
  for (let o = 0; o < text.length; ) {
    let e = o;
    while (e < text.length && text[e] !== '\n' && text[e] !== '\r') e++;
    const line = text.slice(o, e);
    const next = e < text.length && text[e] === '\r' && text[e + 1] === '\n' ? e + 2 : e + 1;
    if (continued) {
      continued = trailingBackslashes(line) % 2 === 1;
      o = next;
      continue;
    }
    let left = 0;
    while (left < line.length && isBlank(line[left])) left++;
    if (left === line.length) {
      previousComment = undefined;
      o = next;
      continue;
    }
    const prefix = line[left];
    if (prefix === '#' || prefix === '!') {
      const firstOfBlock = previousComment !== prefix;
      // A separator directly followed by a comment line is cancelled (the documents are merged back).
      const following = text.slice(next, next + 64).replace(/^[ \t\f]*/, '');
      if (left === 0 && firstOfBlock && /^[#!]---[ \t]*$/.test(line) && !/^[#!]/.test(following)) {
        warn(
          'spring-document-separator',
          o,
          o + 4,
          `${SPRING} splits the file into two documents at a "${prefix}---" line (Spring Boot 2.4+${prefix === '!' ? ', "!---" from 2.6.13/2.7.5' : ''}); java.util.Properties reads it as a comment. ` +
            'Merged in order, the result is the same unless a document sets spring.config.activate.on-profile. Add a character after the dashes if no split is meant.',
        );
      }
      if (firstOfBlock) {
        let dashes = 0;
        while (line[left + 1 + dashes] === '-') dashes++;
        const window = line.slice(left + 1, Math.min(line.length, left + 3 + dashes));
        const at = window.indexOf('\\');
        if (at >= 0) {
          const slash = left + 1 + at;
          const after = line.slice(slash + 1);
          if (after === '') {
            warn(
              'spring-comment-escape',
              o + slash,
              o + slash + 1,
              `${SPRING} reads the start of this comment through its escape handling, so the "\\" at the end joins the next line into the comment: that line's setting is lost there (Spring Boot 2.4+); java.util.Properties ignores the comment and keeps the next line. Remove the backslash or put text before it.`,
            );
          } else if (after[0] === 'u' && !/^u[0-9A-Fa-f]{4}/.test(after)) {
            warn(
              'spring-comment-escape',
              o + slash,
              o + Math.min(line.length, slash + 6),
              `${SPRING} reads the start of this comment through its escape handling and fails on "\\${after.slice(0, 5)}" with "Malformed \\uxxxx encoding" (Spring Boot 2.4+), so the product would not start; java.util.Properties ignores comments. Put a space or text before the backslash, e.g. "# path: C:\\users".`,
            );
          }
        }
      }
      previousComment = prefix;
      o = next;
      continue;
    }
    previousComment = undefined;
    continued = trailingBackslashes(line) % 2 === 1;
    o = next;
  }

  // ---- Entries ----
  for (const entry of document.entries) {
    const key = entry.key;
    const keyStart = entry.keyStart;
    const keyEnd = Math.max(entry.keyEnd, entry.keyStart + 1);
    if (key === '') {
      warn('spring-empty-key', entry.start, entry.start + 1, `${SPRING} drops an entry with an empty key; java.util.Properties keeps it under "". Give it a key or remove the line.`);
      continue;
    }
    if (key.endsWith('[]')) {
      warn(
        'spring-list-key',
        keyStart,
        keyEnd,
        `${SPRING} reads a key ending in "[]" as a list and stores ${key.slice(0, -2)}[0], ${key.slice(0, -2)}[1], … split at commas; java.util.Properties keeps the key "${key}" with the whole value. Use the plain key if one value is meant.`,
      );
    }
    if (javaTrim(key) !== key) {
      warn('spring-key-whitespace', keyStart, keyEnd, `${SPRING} trims the escaped whitespace at the ends of this key and stores "${javaTrim(key)}"; java.util.Properties stores ${JSON.stringify(key)}. Remove the escaped whitespace.`);
    }
    if (key.startsWith('#') || key.startsWith('!')) {
      warn(
        'spring-escaped-comment',
        entry.start,
        keyEnd,
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
    const value = entry.value;
    if (value.includes('${') && placeholderKeys(key, value)) {
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
  return out;
}
