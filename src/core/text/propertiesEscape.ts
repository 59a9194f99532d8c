/** Escaping for text written into a properties value, so that `Properties.load` reads back exactly `value`. */
export function escapePropertiesValue(value: string, { leading = true }: { leading?: boolean } = {}): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    switch (c) {
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\f':
        out += '\\f';
        break;
      case ' ':
        // Leading spaces of a value are dropped by Properties.load unless escaped.
        out += leading && out.length === 0 ? '\\ ' : ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

/** `\uXXXX` for every UTF-16 code unit of `text`, which the properties loader decodes back (hex digits in lower case unless asked). */
export function unicodeEscapes(text: string, upperCase = false): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const hex = text.charCodeAt(i).toString(16).padStart(4, '0');
    out += `\\u${upperCase ? hex.toUpperCase() : hex}`;
  }
  return out;
}

/** The line break the document mostly uses (for inserted lines). */
export function detectEol(text: string): string {
  // The first line break decides (looking no further than it: this runs for every rule context).
  const lf = text.indexOf('\n');
  if (lf > 0 && text.charCodeAt(lf - 1) === 13) return '\r\n';
  if (lf < 0 && text.includes('\r')) return '\r';
  return '\n';
}
