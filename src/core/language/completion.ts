/** Completion inside properties files: {ENC} snippet, AWS keys, regions, cipher class names. Pure data. */
import { getLocation, parseTree, Node, findNodeAtOffset } from 'jsonc-parser';
import { CIPHER_PROPERTY, ENC_PREFIX, LEGACY_CIPHER_PROPERTY, PASSWORD_PROPERTY } from '../model/products';
import { Analysis } from '../rules/analysis';
import { AWS_STORE, CIPHER_CLASSES } from '../model/cipherClasses';
import { allRegions } from '../regions/regions';
import { AWS_KEY_DOCS, AWS_KEYS } from '../stores/aws';
import { locate } from './locate';
import { CONTAINER_VARIABLES } from '../model/containers';

export type CompletionKind = 'property' | 'value' | 'class' | 'snippet' | 'enum';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  readonly documentation?: string;
  /** Text to insert; a VS Code snippet when `snippet` is true. */
  readonly insertText: string;
  readonly snippet?: boolean;
  readonly filterText?: string;
  readonly sortText?: string;
  /** Document range replaced by the item. */
  readonly start: number;
  readonly end: number;
}

export const ENC_SNIPPET = `${ENC_PREFIX}{"region":"\${1:ap-southeast-2}","secretId":"\${2:mySecretId}","secretPointer":"/\${3:password}"}`;

function classItems(start: number, end: number): CompletionEntry[] {
  return CIPHER_CLASSES.map((c, i) => ({
    label: c.className,
    kind: 'class' as const,
    detail: c.title,
    documentation: c.description,
    insertText: c.className,
    sortText: String(i).padStart(2, '0'),
    start,
    end,
  }));
}

export function completionsAt(analysis: Analysis, text: string, offset: number): CompletionEntry[] {
  // Nothing in files that are not a product's configuration (an unrelated .properties or .xml file).
  if (!analysis.relevant) return [];
  const place = locate(analysis, offset);
  if (!place) {
    if (analysis.kind.format !== 'properties') return [];
    // At the start of an empty line: the two Bitbucket entries.
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    if (text.slice(lineStart, offset).trim() !== '' && !/^[\w.-]*$/.test(text.slice(lineStart, offset).trim())) return [];
    return [
      {
        label: CIPHER_PROPERTY,
        kind: 'property',
        detail: 'Secret store class for {ENC} values',
        insertText: `${CIPHER_PROPERTY}=\${1|${CIPHER_CLASSES.filter((c) => !c.loadsAs)
          .map((c) => c.className)
          .join(',')}|}`,
        snippet: true,
        start: lineStart,
        end: offset,
      },
      {
        label: `${PASSWORD_PROPERTY}={ENC}…`,
        kind: 'snippet',
        detail: 'Database password from AWS Secrets Manager',
        insertText: `${PASSWORD_PROPERTY}=${ENC_SNIPPET}`,
        snippet: true,
        filterText: PASSWORD_PROPERTY,
        start: lineStart,
        end: offset,
      },
    ];
  }
  const { entry } = place;
  if (place.kind === 'key') return [];
  if (place.kind === 'value') {
    if (analysis.kind.format === 'container' && (entry.key === CONTAINER_VARIABLES.atl.classVar || entry.key === CONTAINER_VARIABLES.bitbucket.classVar))
      return classItems(entry.valueStart, Math.max(entry.valueEnd, offset));
    if (analysis.kind.format !== 'properties') return [];
    if (entry.key === CIPHER_PROPERTY || entry.key === LEGACY_CIPHER_PROPERTY) return classItems(entry.valueStart, Math.max(entry.valueEnd, offset));
    if (entry.value === '' || ENC_PREFIX.startsWith(entry.value) || entry.value.startsWith('{')) {
      return [
        {
          label: `${ENC_PREFIX} AWS Secrets Manager reference`,
          kind: 'snippet',
          detail: AWS_STORE,
          insertText: ENC_SNIPPET,
          snippet: true,
          filterText: entry.value || ENC_PREFIX,
          start: entry.valueStart,
          end: Math.max(entry.valueEnd, offset),
        },
      ];
    }
    return [];
  }
  if (place.kind === 'marker') return [];
  const { reference } = place;
  if (reference.store !== 'aws' && reference.store !== 'none') return [];
  const payload = reference.payload;
  const index = Math.max(0, Math.min(place.index, payload.length));
  const toDoc = (from: number, to: number) => entry.valueMap.range(reference.payloadOffset + from, reference.payloadOffset + to);
  const location = getLocation(payload, index);
  const root = parseTree(payload);
  const stringNode: Node | undefined = root ? findNodeAtOffset(root, index, false) : undefined;
  const inString = stringNode?.type === 'string' && index > stringNode.offset && index <= stringNode.offset + stringNode.length;
  // A container value is written in its scalar's quoting (a double-quoted YAML string escapes the JSON's quotes).
  const esc = (entry as { escape?: (value: string) => string }).escape ?? ((value: string) => value);
  const caret = toDoc(index, index);
  const replace = inString ? toDoc(stringNode.offset, stringNode.offset + stringNode.length) : { start: caret.start, end: caret.start };

  if (location.isAtPropertyKey && location.path.length === 1) {
    const present = new Set((root?.children ?? []).map((p) => String(p.children?.[0]?.value)));
    return AWS_KEYS.filter((k) => !present.has(k) || (inString && stringNode?.value === k)).map((k, i) => ({
      label: k,
      kind: 'property' as const,
      detail: AWS_KEY_DOCS[k].required ? 'required' : 'optional',
      documentation: AWS_KEY_DOCS[k].summary,
      insertText: esc(inString ? `"${k}"` : `"${k}":"\${1}"`),
      snippet: !inString,
      filterText: esc(`"${k}"`),
      sortText: String(i),
      start: replace.start,
      end: replace.end,
    }));
  }
  if (!location.isAtPropertyKey && location.path.length === 1 && location.path[0] === 'region') {
    return allRegions().map((r) => ({
      label: r.id,
      kind: 'enum' as const,
      detail: r.name,
      documentation: `Partition ${r.partition}`,
      insertText: esc(`"${r.id}"`),
      filterText: `${esc(`"${r.id}"`)} ${r.name}`,
      start: replace.start,
      end: replace.end,
    }));
  }
  return [];
}

/**
 * Where secret names can be offered: the caret inside the `secretId` string of an AWS reference whose region is
 * known. The editor lists the region's names (never values) and turns each into an entry with `secretNameEntries`.
 */
export function secretIdSite(analysis: Analysis, offset: number): { region: string; start: number; end: number; escape: (v: string) => string } | undefined {
  if (!analysis.relevant) return undefined;
  const place = locate(analysis, offset);
  if (!place || place.kind !== 'payload' || place.reference.store !== 'aws') return undefined;
  const { reference, entry } = place;
  const payload = reference.payload;
  const index = Math.max(0, Math.min(place.index, payload.length));
  const location = getLocation(payload, index);
  if (location.isAtPropertyKey || location.path.length !== 1 || location.path[0] !== 'secretId') return undefined;
  const root = parseTree(payload);
  const region: unknown = root?.children?.find((p) => p.children?.[0]?.value === 'region')?.children?.[1]?.value;
  if (typeof region !== 'string' || !allRegions().some((r) => r.id === region)) return undefined;
  const node = root ? findNodeAtOffset(root, index, false) : undefined;
  const range =
    node?.type === 'string'
      ? entry.valueMap.range(reference.payloadOffset + node.offset, reference.payloadOffset + node.offset + node.length)
      : entry.valueMap.range(reference.payloadOffset + index, reference.payloadOffset + index);
  const escape = (entry as { escape?: (value: string) => string }).escape ?? ((value: string) => value);
  return { region, start: range.start, end: range.end, escape };
}

/** The completion entries for secret names listed in a region (names only). */
export function secretNameEntries(
  site: NonNullable<ReturnType<typeof secretIdSite>>,
  names: readonly { name: string; description?: string }[],
): CompletionEntry[] {
  return names.map((n) => ({
    label: n.name,
    kind: 'value' as const,
    detail: `secret in ${site.region}`,
    documentation: n.description,
    insertText: site.escape(JSON.stringify(n.name)),
    filterText: site.escape(JSON.stringify(n.name)),
    start: site.start,
    end: site.end,
  }));
}
