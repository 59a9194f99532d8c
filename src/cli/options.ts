/**
 * The CLI's options, declared once: every command lists its options in a table, and one parser reads them, with
 * `--flag value` and `--flag=value` alike, repeated options collected, and one wording for every mistake.
 */
export class UsageError extends Error {}

export interface OptionSpec {
  /** The long name without dashes: "format", "allow-endpoint". */
  readonly name: string;
  /** A one-letter alias without the dash: "f". */
  readonly alias?: string;
  /** flag: no value (true when present); value: one value; list: repeatable, each value collected. */
  readonly kind: 'flag' | 'value' | 'list';
  /** The values it may take (a usage error names them otherwise). */
  readonly choices?: readonly string[];
}

export interface ParsedArgs {
  readonly values: ReadonlyMap<string, string>;
  readonly flags: ReadonlySet<string>;
  readonly lists: ReadonlyMap<string, readonly string[]>;
  readonly positionals: readonly string[];
}

/** Parses `args` against the table; throws UsageError for an unknown option, a missing value or a value not among the choices. */
export function parseArgs(args: readonly string[], table: readonly OptionSpec[]): ParsedArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const lists = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq >= 0 ? a.slice(0, eq) : a;
    const spec = table.find((o) => flag === `--${o.name}` || (o.alias !== undefined && flag === `-${o.alias}`));
    if (!spec) throw new UsageError(`unknown option ${flag}`);
    if (spec.kind === 'flag') {
      if (eq >= 0) throw new UsageError(`--${spec.name} takes no value`);
      flags.add(spec.name);
      continue;
    }
    const value = eq >= 0 ? a.slice(eq + 1) : args[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${spec.name} needs a value`);
    if (spec.choices && !spec.choices.includes(value)) throw new UsageError(`--${spec.name} must be ${listOf(spec.choices)}, not "${value}"`);
    if (spec.kind === 'list') lists.set(spec.name, [...(lists.get(spec.name) ?? []), value]);
    else values.set(spec.name, value);
  }
  return { values, flags, lists, positionals };
}

/** "a, b or c". */
export function listOf(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** A whole number option within bounds, or its default. */
export function integerOption(parsed: ParsedArgs, name: string, fallback: number, min: number, max: number, message: string): number {
  const raw = parsed.values.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(message);
  return n;
}
