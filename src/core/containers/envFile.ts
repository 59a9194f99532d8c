/**
 * Docker Compose's env file format (`.env`, `*.env`, `env_file:`), as Compose reads it: `NAME=value` lines, an optional
 * `export `, `#` comments (inline only after a space for an unquoted value, after the closing quote for a quoted one),
 * single quotes literal (`\'` escapes a quote), double quotes with `\n \r \t \\ \"` and spanning lines. Each value comes
 * with a source map, so that a finding inside `"{\"region\":…}"` lands on the characters written. Pure.
 */
import { Setting } from '../model/setting';
import { SourceMap } from '../text/sourceMap';

export type EnvQuote = 'none' | 'single' | 'double';

export interface EnvVariable extends Setting {
  readonly quote: EnvQuote;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*/;
const DOUBLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"' };

class MapBuilder {
  readonly out: string[] = [];
  private readonly outStart: number[] = [];
  private readonly docStart: number[] = [];
  private readonly width: number[] = [];
  private length = 0;

  /** One decoded character from `width` source characters at `doc`. */
  push(char: string, doc: number, width: number): void {
    const last = this.outStart.length - 1;
    const contiguous = last >= 0 && this.width[last] === width && width === 1 && this.docStart[last] + (this.length - this.outStart[last]) === doc;
    if (!contiguous) {
      this.outStart.push(this.length);
      this.docStart.push(doc);
      this.width.push(width);
    }
    this.out.push(char);
    this.length++;
  }

  build(endOffset: number): { value: string; map: SourceMap } {
    return { value: this.out.join(''), map: SourceMap.fromRuns(this.outStart, this.docStart, this.width, this.length, endOffset) };
  }
}

/** The variables of an env file, in order (a name given twice: both, the last wins as in Compose). */
export function readEnvFile(text: string): EnvVariable[] {
  const variables: EnvVariable[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lineStart = i;
    // Leading blanks.
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i >= n) break;
    if (text[i] === '\n' || text[i] === '\r' || text[i] === '#') {
      i = nextLine(text, i);
      continue;
    }
    if (text.startsWith('export ', i) || text.startsWith('export\t', i)) {
      i += 'export'.length;
      while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    }
    const name = NAME.exec(text.slice(i, Math.min(n, i + 512)))?.[0];
    if (!name) {
      i = nextLine(text, i);
      continue;
    }
    const keyStart = i;
    const keyEnd = i + name.length;
    i = keyEnd;
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    if (text[i] !== '=') {
      // A bare NAME takes its value from the environment Compose runs in: nothing to check here.
      i = nextLine(text, i);
      continue;
    }
    i++;
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    const builder = new MapBuilder();
    let quote: EnvQuote = 'none';
    const valueStart = i;
    let valueEnd: number;
    if (text[i] === '"' || text[i] === "'") {
      const q = text[i];
      quote = q === '"' ? 'double' : 'single';
      i++;
      while (i < n && text[i] !== q) {
        if (text[i] === '\\' && i + 1 < n) {
          const next = text[i + 1];
          if (quote === 'double' && DOUBLE_ESCAPES[next] !== undefined) {
            builder.push(DOUBLE_ESCAPES[next], i, 2);
            i += 2;
            continue;
          }
          if (quote === 'single' && next === "'") {
            builder.push("'", i, 2);
            i += 2;
            continue;
          }
        }
        if (quote === 'single' && (text[i] === '\n' || text[i] === '\r')) break; // single quotes end at the line
        builder.push(text[i], i, 1);
        i++;
      }
      valueEnd = text[i] === q ? i + 1 : i;
      const contentEnd = i;
      i = nextLine(text, valueEnd);
      const { value, map } = builder.build(contentEnd);
      variables.push(variable(name, value, map, quote, lineStart, keyStart, keyEnd, valueStart, valueEnd, trimEnd(text, lineStart, i)));
      continue;
    }
    // Unquoted: to the end of the line, or to " #", trailing blanks dropped.
    let end = i;
    while (end < n && text[end] !== '\n' && text[end] !== '\r') {
      if (text[end] === '#' && end > valueStart && (text[end - 1] === ' ' || text[end - 1] === '\t')) break;
      end++;
    }
    let contentEnd = end;
    while (contentEnd > valueStart && (text[contentEnd - 1] === ' ' || text[contentEnd - 1] === '\t')) contentEnd--;
    valueEnd = contentEnd;
    i = nextLine(text, end);
    variables.push(
      variable(
        name,
        text.slice(valueStart, contentEnd),
        SourceMap.identity(valueStart, contentEnd - valueStart),
        quote,
        lineStart,
        keyStart,
        keyEnd,
        valueStart,
        valueEnd,
        trimEnd(text, lineStart, i),
      ),
    );
  }
  return variables;
}

function variable(
  key: string,
  value: string,
  valueMap: SourceMap,
  quote: EnvQuote,
  start: number,
  keyStart: number,
  keyEnd: number,
  valueStart: number,
  valueEnd: number,
  end: number,
): EnvVariable {
  return { key, value, valueMap, quote, start, end, keyStart, keyEnd, valueStart, valueEnd, valueHasEscapes: quote !== 'none' };
}

function nextLine(text: string, i: number): number {
  while (i < text.length && text[i] !== '\n') i++;
  return Math.min(text.length, i + 1);
}

/** The end of a line's content (before its line break). */
function trimEnd(text: string, start: number, next: number): number {
  let end = next;
  if (end > start && text[end - 1] === '\n') end--;
  if (end > start && text[end - 1] === '\r') end--;
  return end;
}

/** A value as it must be written in an env file to be read back exactly, in the quoting style it had. */
export function escapeEnvValue(value: string, quote: EnvQuote): string {
  if (quote === 'double')
    return value
      .replace(/[\\"$]/g, (c) => `\\${c}`)
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r')
      .replace(/\t/g, '\\t');
  if (quote === 'single') return value.replace(/'/g, "\\'");
  return value;
}
