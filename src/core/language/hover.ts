/** Hover texts (Markdown) for class names, JSON keys, regions, the {ENC} marker and the cipher properties. */
import { findNodeAtOffset, Node } from 'jsonc-parser';
import { CIPHER_PROPERTY, LEGACY_CIPHER_PROPERTY, PASSWORD_PROPERTY } from '../model/products';
import { Analysis } from '../rules/analysis';
import { Span } from '../diagnostics';
import { knownClass } from '../model/cipherClasses';
import { PARTITIONS, regionInfo } from '../regions/regions';
import { AWS_KEY_DOCS, AwsKey } from '../stores/aws';
import { parseStrictJson } from '../stores/json';
import { locate } from './locate';

export interface HoverInfo {
  readonly markdown: string;
  readonly span: Span;
}

const PROPERTY_DOCS: Record<string, string> = {
  [CIPHER_PROPERTY]: '**Cipher class** — the secret store that resolves every value marked `{ENC}` in this file (one class per file).',
  [LEGACY_CIPHER_PROPERTY]:
    '**Legacy cipher class** (Bitbucket up to 8.x documentation) — decrypts `jdbc.password` without an `{ENC}` marker. ' +
    `Newer versions use \`${CIPHER_PROPERTY}\` with \`{ENC}\` values.`,
  [PASSWORD_PROPERTY]: "**Database password** — plaintext, or `{ENC}` followed by the secret store's reference.",
};

function classMarkdown(className: string): string | undefined {
  const known = knownClass(className);
  if (!known) return undefined;
  let md = `**${known.title}**\n\n${known.description}`;
  if (known.loadsAs) md += `\n\nThe product loads \`${known.loadsAs}\`.`;
  return md;
}

export function hoverAt(analysis: Analysis, offset: number): HoverInfo | undefined {
  const place = locate(analysis, offset);
  if (!place) return undefined;
  const { entry } = place;
  if (place.kind === 'key') {
    const md = PROPERTY_DOCS[entry.key];
    return md ? { markdown: md, span: { start: entry.keyStart, end: entry.keyEnd } } : undefined;
  }
  if (place.kind === 'value') {
    if (entry.value.trim() === '{ATL_SECURED}') {
      return {
        markdown:
          '**{ATL_SECURED}** — the product keeps this password in its own secret storage (Jira 10.2 and later move it there at start-up). ' +
          'To change it, replace the placeholder with the new plaintext password and restart: it is secured again. After a ZDU rollback, put the plaintext password back on each upgraded node.',
        span: { start: entry.valueStart, end: entry.valueEnd },
      };
    }
    if (entry.key !== CIPHER_PROPERTY && entry.key !== LEGACY_CIPHER_PROPERTY && entry.key !== 'atlassian-password-cipher-provider') return undefined;
    const md = classMarkdown(entry.value.trim());
    return md ? { markdown: md, span: { start: entry.valueStart, end: entry.valueEnd } } : undefined;
  }
  const { reference } = place;
  if (place.kind === 'marker') {
    const store = analysis.cipher ? (knownClass(analysis.cipher.className)?.title ?? analysis.cipher.className) : 'no cipher class set';
    return {
      markdown: `**{ENC}** — the rest of this value is resolved at start-up by the cipher class (${store}) instead of being used as-is.`,
      span: entry.valueMap.range(0, 5),
    };
  }
  if (reference.store !== 'aws') return undefined;
  const json = parseStrictJson(reference.payload);
  if (!json.root) return undefined;
  const node = findNodeAtOffset(json.root, place.index, true);
  if (!node || node.type !== 'string') return undefined;
  const property = node.parent;
  if (!property || property.type !== 'property' || property.parent !== json.root) return undefined;
  const [keyNode, valueNode] = property.children as [Node, Node | undefined];
  const span = entry.valueMap.range(reference.payloadOffset + node.offset, reference.payloadOffset + node.offset + node.length);
  const key = String(keyNode.value);
  if (node === keyNode) {
    const doc = AWS_KEY_DOCS[key as AwsKey];
    if (!doc) return undefined;
    return { markdown: `**${key}** (${doc.required ? 'required' : 'optional'})\n\n${doc.summary}`, span };
  }
  if (node === valueNode && key === 'region') {
    const info = regionInfo(String(node.value));
    if (!info) return undefined;
    const partition = PARTITIONS.find((p) => p.id === info.partition);
    return { markdown: `**${info.id}** — ${info.name}\n\nPartition \`${info.partition}\` (${partition?.dnsSuffix ?? ''})`, span };
  }
  return undefined;
}
