/** How a new or rewritten entry is written in a YAML file's own style: its indentation, its line, its flow style. Pure. */
import type { Node } from 'yaml';
import type * as YamlLib from 'yaml';
import { yaml } from './yamlLib';

/** The indentation of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))![0];
}

/** The offset just past the line holding `offset` (where a new line after it goes). */
export function afterLine(text: string, offset: number): number {
  const next = text.indexOf('\n', Math.max(0, offset - 1));
  return next < 0 ? text.length : next + 1;
}

/** A YAML single-quoted scalar: what a JSON reference reads best in (only ' is doubled). */
export const singleQuoted = (v: string) => `'${v.replace(/'/g, "''")}'`;

/**
 * Where a new entry goes in a flow collection (`{ A: b }`, `[A=b]`, over one line or several) and how it is written
 * there: after the last item, with a comma, in flow style.
 */
export function flowInsert(
  collection: YamlLib.YAMLMap | YamlLib.YAMLSeq,
  entry: (name: string, value: string) => string,
): { readonly offset: number; readonly render: (name: string, value: string) => string } | undefined {
  const last = collection.items.at(-1) as Node | YamlLib.Pair | undefined;
  const lastEnd =
    last === undefined ? undefined : yaml().isPair(last) ? ((last.value as Node | null)?.range?.[1] ?? (last.key as Node | null)?.range?.[1]) : last.range?.[1];
  const open = collection.range?.[0];
  if (lastEnd !== undefined) return { offset: lastEnd, render: (name, value) => `, ${entry(name, value)}` };
  if (open === undefined) return undefined;
  return { offset: open + 1, render: (name, value) => ` ${entry(name, value)} ` };
}
