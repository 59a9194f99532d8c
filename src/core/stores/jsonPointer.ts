/**
 * RFC 6901 JSON Pointer evaluation with the product's semantics: Jackson's `JsonNode.at(pointer).asText()`.
 * A pointer without a leading "/" gets one prepended (the product does this and logs a warning).
 */
export type PointerResult =
  | { readonly found: true; readonly text: string; readonly kind: 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array' }
  | { readonly found: false; readonly missingAt: string };

export function normalizePointer(pointer: string): string {
  return pointer.startsWith('/') || pointer === '' ? pointer : '/' + pointer;
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function evaluatePointer(document: unknown, pointer: string): PointerResult {
  const normalized = normalizePointer(pointer);
  let node: unknown = document;
  if (normalized !== '') {
    const tokens = normalized.slice(1).split('/').map(unescapeToken);
    let path = '';
    for (const token of tokens) {
      path += '/' + token;
      if (Array.isArray(node)) {
        // Jackson accepts only canonical array indices ("0", "12"; not "01", not "-").
        if (!/^(0|[1-9]\d*)$/.test(token) || Number(token) >= node.length) return { found: false, missingAt: path };
        node = node[Number(token)];
      } else if (node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, token)) {
        node = (node as Record<string, unknown>)[token];
      } else {
        return { found: false, missingAt: path };
      }
    }
  }
  // JsonNode.asText(): scalars as text, containers as "".
  if (typeof node === 'string') return { found: true, text: node, kind: 'string' };
  if (typeof node === 'number') return { found: true, text: String(node), kind: 'number' };
  if (typeof node === 'boolean') return { found: true, text: String(node), kind: 'boolean' };
  if (node === null) return { found: true, text: 'null', kind: 'null' };
  return { found: true, text: '', kind: Array.isArray(node) ? 'array' : 'object' };
}

/** The top-level keys of a key/value secret, escaped as JSON Pointer tokens (for the wizard; never values). */
export function pointerForKey(key: string): string {
  return '/' + key.replace(/~/g, '~0').replace(/\//g, '~1');
}
