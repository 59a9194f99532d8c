/**
 * The yaml library as the container readers use it: loaded on first use, aliases resolved, YAML 1.1 merge keys
 * applied (Compose reads `<<: *env`), scalars read as text with their place. Pure.
 */
import type * as YamlLib from 'yaml';

let yamlLib: typeof YamlLib | undefined;

/**
 * The yaml library, required on first use: a workspace without container files never loads it. The bundles take it
 * from a bundle of its own (dist/yaml.js, scripts/build.mjs), as they take the AWS SDK from dist/aws.js.
 */
export function yaml(): typeof YamlLib {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (yamlLib ??= require('yaml') as typeof YamlLib);
}

/** Resolves an alias (`*env`) to the node its anchor names, within one document; any other node is itself. */
export type Deref = (node: unknown) => unknown;

/**
 * The pairs of a mapping as YAML 1.1 merge keys make them (Compose reads `<<: *env` so): the mapping's own pairs, then
 * those of the merged mappings that it does not set itself. A merged pair keeps its place in the text (the anchor's
 * line, where its value is edited).
 */
export function mergedPairs(map: YamlLib.YAMLMap, deref: Deref, depth = 0): YamlLib.Pair[] {
  const own = map.items.filter((p) => !(yaml().isScalar(p.key) && p.key.value === '<<'));
  const keys = new Set(own.map((p) => (yaml().isScalar(p.key) ? String(p.key.value) : '')));
  const merged: YamlLib.Pair[] = [];
  if (depth < 8) {
    for (const pair of map.items) {
      if (!(yaml().isScalar(pair.key) && pair.key.value === '<<')) continue;
      const sources = yaml().isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const source of sources) {
        const target = deref(source);
        if (!yaml().isMap(target)) continue;
        for (const p of mergedPairs(target, deref, depth + 1)) {
          const key = yaml().isScalar(p.key) ? String(p.key.value) : '';
          if (keys.has(key)) continue;
          keys.add(key);
          merged.push(p);
        }
      }
    }
  }
  return [...own, ...merged];
}

/** A scalar's text (a string or a number) and its range. */
export function scalarText(node: unknown): { text: string; start: number; end: number } | undefined {
  if (!yaml().isScalar(node) || !node.range) return undefined;
  const value = node.value;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  return { text: String(value), start: node.range[0], end: node.range[1] };
}

/** What a strict YAML reader says of a text: every error of every document, duplicate keys included (Compose rejects them). */
export function strictYamlErrors(text: string): string[] {
  const docs = yaml().parseAllDocuments(text, { uniqueKeys: true });
  return (Array.isArray(docs) ? docs : []).flatMap((d) => d.errors.map((e) => e.message.split('\n')[0]));
}
