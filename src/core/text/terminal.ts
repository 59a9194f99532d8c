/**
 * Making text from files and servers safe to print. Pure.
 *
 * A configuration file from a pull request or an answer from a hostile server may hold terminal escape sequences
 * (retitle the window, clear the screen, paint a fake "0 failed") and bidi overrides that reorder what a reader sees.
 * Every such character is shown as a visible escape instead.
 */

/**
 * C0 controls (but for tab in `keepTab` mode), DEL, C1 controls, and the Unicode bidi controls (LRM, RLM, ALM, LRE,
 * RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI) plus the line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The same without C0: inside JSON strings JSON.stringify has escaped them; outside, they are its line breaks. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One field of terminal output (a key, a class name, a secret id, a server's message): every control escaped. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, visible);
}

/**
 * JSON text for a terminal: JSON.stringify already escapes C0; this also writes DEL, C1 and the bidi controls as
 * \uXXXX (still valid JSON, and the same value for any JSON reader).
 */
export function escapeJsonControls(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A URL without `user:password@`, for messages and logs. Text that is not a URL is returned as it is. */
export function withoutUserinfo(url: string): string {
  const at = url.indexOf('@');
  if (at < 0) return url;
  const scheme = url.indexOf('://');
  if (scheme < 0 || scheme > at) return url;
  const hostStart = scheme + 3;
  const slash = url.indexOf('/', hostStart);
  if (slash >= 0 && slash < at) return url;
  return url.slice(0, hostStart) + url.slice(at + 1);
}

/** `s` without the leading and/or trailing `/` characters, in linear time (a regex such as /\/+$/ is quadratic). */
export function trimSlashes(s: string, where: 'start' | 'end' | 'both' = 'both'): string {
  let start = 0;
  let end = s.length;
  if (where !== 'end') while (start < end && s.charCodeAt(start) === 0x2f) start++;
  if (where !== 'start') while (end > start && s.charCodeAt(end - 1) === 0x2f) end--;
  return s.slice(start, end);
}
