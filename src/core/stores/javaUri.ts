/**
 * `java.net.URI.create(s)` as the stores call it for `endpoint` (Vault) and `endpointOverride` (AWS): which strings
 * it rejects, and which it accepts without a host (a "registry-based" authority, or no authority at all), which the
 * Vault client and the AWS SDK cannot use. A port of the parts of java.net.URI's RFC 2396 parser that decide this.
 * WHATWG URLs (what `new URL` implements) are far more forgiving: `https:/host` or `https://a.b-` work there and not
 * in the product.
 */

const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGIT = '0123456789';
const ALPHANUM = ALPHA + DIGIT;
const MARK = "-_.!~*'()";
const UNRESERVED = ALPHANUM + MARK;
const RESERVED = ';/?:@&=+$,[]';
const PCHAR = UNRESERVED + ':@&=+$,';
const PATH = PCHAR + ';/';
const URIC = RESERVED + UNRESERVED;
const USERINFO = UNRESERVED + ';:&=+$,';
const REG_NAME = UNRESERVED + '$,;:@&=+';
const HEX = /^[0-9A-Fa-f]{2}$/;

/** Java's scan over `allowed` plus %XX escapes and visible non-ASCII characters ("other"). Returns where it stopped. */
function scan(s: string, start: number, end: number, allowed: string, escapes = true): number {
  let p = start;
  while (p < end) {
    const c = s[p];
    if (allowed.includes(c)) {
      p++;
      continue;
    }
    if (!escapes) break;
    if (c === '%' && HEX.test(s.slice(p + 1, p + 3))) {
      p += 3;
      continue;
    }
    const code = s.charCodeAt(p);
    // Visible non-US-ASCII characters are allowed unescaped (not space separators, not ISO controls).
    if (code > 128 && !/[\p{Zs}\u2028\u2029]/u.test(c) && !(code >= 0x7f && code <= 0x9f)) {
      p++;
      continue;
    }
    break;
  }
  return p;
}

/** parseHostname: labels of letters, digits and inner hyphens; the last of several must start with a letter. */
function isHostname(s: string): boolean {
  let p = 0;
  let last = -1;
  const n = s.length;
  while (p < n) {
    let q = p;
    while (q < n && ALPHANUM.includes(s[q])) q++;
    if (q <= p) break;
    last = p;
    p = q;
    q = p;
    while (q < n && (ALPHANUM.includes(s[q]) || s[q] === '-')) q++;
    if (q > p) {
      if (s[q - 1] === '-') return false;
      p = q;
    }
    if (s[p] !== '.') break;
    p++;
  }
  if (p < n || last < 0) return false;
  return !(last > 0 && !ALPHA.includes(s[last]));
}

function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((x) => /^\d{1,3}$/.test(x) && Number(x) <= 255);
}

/** A bracketed IPv6 literal, loosely (Java checks more, but the stores' endpoints rarely use one). */
function isIPv6Literal(s: string): boolean {
  return /^\[[0-9A-Fa-f:.]+(%[^\]]+)?\]$/.test(s) && s.includes(':');
}

export interface JavaUri {
  readonly scheme: string | undefined;
  readonly host: string | undefined;
}

/** URI.create(s): the scheme and host, or undefined when it throws (URISyntaxException / IllegalArgumentException). */
export function javaUriCreate(s: string): JavaUri | undefined {
  if (s === '') return { scheme: undefined, host: undefined };
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(s);
  const scheme = schemeMatch?.[1];
  let p = schemeMatch ? schemeMatch[0].length : 0;
  const n = s.length;
  // Fragment and query first (they may hold almost anything in URIC).
  const hash = s.indexOf('#', p);
  if (hash >= 0 && scan(s, hash + 1, n, URIC) !== n) return undefined;
  const end = hash >= 0 ? hash : n;
  if (scheme !== undefined && s[p] !== '/') {
    // Opaque: scheme-specific part of URIC characters, and no host.
    if (p === end) return undefined;
    return scan(s, p, end, URIC) === end ? { scheme, host: undefined } : undefined;
  }
  const question = s.indexOf('?', p);
  const hierEnd = question >= 0 && question < end ? question : end;
  if (question >= 0 && question < end && scan(s, question + 1, end, URIC) !== end) return undefined;
  let host: string | undefined;
  if (s.startsWith('//', p)) {
    p += 2;
    let authorityEnd = p;
    while (authorityEnd < hierEnd && s[authorityEnd] !== '/') authorityEnd++;
    const authority = s.slice(p, authorityEnd);
    if (authority === '') {
      // "scheme://" with an empty authority is legal only when a path follows.
      if (authorityEnd === hierEnd) return undefined;
    } else {
      host = serverHost(authority);
      if (host === undefined) {
        // Not server-based: acceptable as a registry-based authority if its characters are legal (then no host).
        if (scan(authority, 0, authority.length, REG_NAME) !== authority.length) return undefined;
      }
    }
    p = authorityEnd;
  }
  if (scan(s, p, hierEnd, PATH) !== hierEnd) return undefined;
  return { scheme, host: host || undefined };
}

/** parseServer: [userinfo@]host[:port]; undefined when the authority is not server-based. */
function serverHost(authority: string): string | undefined {
  let rest = authority;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    if (scan(userinfo, 0, userinfo.length, USERINFO) !== userinfo.length) return undefined;
    rest = rest.slice(at + 1);
  }
  let hostPart = rest;
  let port = '';
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return undefined;
    hostPart = rest.slice(0, close + 1);
    port = rest.slice(close + 1);
    if (!isIPv6Literal(hostPart)) return undefined;
  } else {
    const colon = rest.indexOf(':');
    if (colon >= 0) {
      hostPart = rest.slice(0, colon);
      port = rest.slice(colon);
    }
    if (!(isIPv4(hostPart) || isHostname(hostPart))) return undefined;
  }
  if (port !== '' && !/^:\d*$/.test(port)) return undefined;
  return hostPart;
}

/** What the stores need: URI.create accepts it, with an http(s) scheme and a host. */
export function isJavaHttpUri(s: string): boolean {
  const uri = javaUriCreate(s);
  return uri !== undefined && uri.host !== undefined && uri.scheme !== undefined && /^https?$/i.test(uri.scheme);
}
