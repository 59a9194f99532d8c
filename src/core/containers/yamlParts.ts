/** Which parts of a YAML file are read, and how large a part may be: only the parts that mention a product, each within a node budget. */
import { CONTAINER_MENTION } from '../model/containers';

/**
 * The most YAML nodes read in one part. The yaml library keeps about a kilobyte per node (a 2 MB flow sequence of a
 * million items took 1.1 GB, a 15 MB file of aliases exhausted the heap): 100,000 keeps a part well under 300 MB, and
 * real deployment files have a few thousand.
 */
export const MAX_YAML_NODES = 100_000;

/** An upper estimate of the nodes in text[start, end): flow separators and brackets, aliases, anchors, entries, lines. */
export function structuralCount(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    // , [ ] { } * & and line breaks
    if (c === 44 || c === 91 || c === 93 || c === 123 || c === 125 || c === 42 || c === 38 || c === 10) n++;
  }
  return n;
}

/** Compose: the blocks of the services that mention a product; Kubernetes: the documents that do. */
export function relevantChunks(text: string, form: 'compose' | 'kubernetes'): { start: number; end: number; services: boolean }[] | undefined {
  const chunks: { start: number; end: number; services: boolean }[] = [];
  const keep = (start: number, end: number, services: boolean) => {
    if (end > start && CONTAINER_MENTION.test(text.slice(start, end))) chunks.push({ start, end, services });
  };
  if (form === 'kubernetes') {
    const separator = /^---[^\n]*$/gm;
    let start = 0;
    for (let m = separator.exec(text); m !== null; m = separator.exec(text)) {
      keep(start, m.index, false);
      start = m.index + m[0].length;
    }
    keep(start, text.length, false);
    return chunks;
  }
  const header = /^services:[ \t]*(?:#[^\n]*)?$/m.exec(text);
  if (!header) return undefined;
  let i = header.index + header[0].length + 1;
  let indent = -1;
  let blockStart = -1;
  while (i < text.length) {
    const lineEnd = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
    const line = text.slice(i, lineEnd);
    const content = line.trimStart();
    if (content !== '' && !content.startsWith('#')) {
      const lead = line.length - content.length;
      if (lead === 0) break; // the next top-level key ends services:
      if (indent < 0) indent = lead;
      if (lead === indent) {
        if (blockStart >= 0) keep(blockStart, i, true);
        blockStart = i;
      } else if (lead < indent) return undefined; // not the layout this reads in parts
    }
    i = lineEnd + 1;
  }
  if (blockStart >= 0) keep(blockStart, Math.min(i, text.length), true);
  return chunks;
}
