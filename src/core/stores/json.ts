/**
 * Strict JSON, as the product's Jackson parser reads it: no comments, no trailing commas, double quotes only.
 * jsonc-parser gives the tree with offsets; this module turns its errors into findings.
 */
import { Node, ParseError, ParseErrorCode, parseTree, printParseErrorCode } from 'jsonc-parser';
import { Finding, SpanMapper, TextEdit } from '../diagnostics';

export interface StrictJson {
  readonly root: Node | undefined;
  /** Errors Jackson would fail on. */
  readonly errors: readonly ParseError[];
  /** Content after the first complete value; Jackson's default (FAIL_ON_TRAILING_TOKENS off) ignores it. */
  readonly trailing: ParseError | undefined;
}

/** Jackson's default StreamReadConstraints.maxNestingDepth. */
export const MAX_NESTING_DEPTH = 1000;

/** The first offset where nesting exceeds `max` (outside strings), or -1. Linear, no recursion. */
function tooDeepAt(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) return i;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return -1;
}

export function parseStrictJson(text: string): StrictJson {
  // jsonc-parser recurses per nesting level; refuse what Jackson refuses before it can exhaust the stack.
  // Nesting deeper than the limit needs more than twice as many characters; short texts skip the scan.
  const deep = text.length > 2 * MAX_NESTING_DEPTH ? tooDeepAt(text, MAX_NESTING_DEPTH) : -1;
  if (deep >= 0) {
    return { root: undefined, errors: [{ error: ParseErrorCode.InvalidSymbol, offset: deep, length: 1, tooDeep: true } as ParseError], trailing: undefined };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  // Jackson reads one value and stops (FAIL_ON_TRAILING_TOKENS is off): once the root object is closed, nothing after
  // it is read, not even to check that it is JSON. Errors jsonc-parser finds there are not the product's errors.
  const end = root?.type === 'object' ? objectEnd(text, root.offset) : -1;
  if (end < 0) {
    const trailing = errors.find((e) => e.error === ParseErrorCode.EndOfFileExpected);
    return { root, errors: errors.filter((e) => e !== trailing), trailing };
  }
  const inside = errors.filter((e) => e.offset < end);
  const rest = /[^ \t\r\n]/.exec(text.slice(end));
  const trailing = rest
    ? ({ error: ParseErrorCode.EndOfFileExpected, offset: end + rest.index, length: text.length - end - rest.index } as ParseError)
    : undefined;
  return { root, errors: inside, trailing: inside.length === 0 ? trailing : undefined };
}

/** Where the object starting at `start` closes (the offset after its "}"), or -1. Strings are skipped. Linear. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) depth++;
    else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}

const SMART_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u2036\u00AB\u00BB]/;

function describe(error: ParseError, text: string): string {
  if ((error as { tooDeep?: boolean }).tooDeep) return `nesting deeper than ${MAX_NESTING_DEPTH} levels, which Jackson rejects`;
  const ch = text.charAt(error.offset);
  if (SMART_QUOTES.test(ch)) return `a typographic quote ${ch} (pasted from a document?) where JSON needs a straight "`;
  if (ch === "'") return 'a single quote where JSON needs a double quote';
  switch (error.error) {
    case ParseErrorCode.InvalidCommentToken:
      return 'a comment, which strict JSON does not allow';
    case ParseErrorCode.PropertyNameExpected:
      return text.charAt(error.offset) === '}' ? 'a trailing comma before }' : 'a property name in double quotes expected';
    case ParseErrorCode.ValueExpected:
      return text.charAt(error.offset) === ']' ? 'a trailing comma before ]' : 'a value expected';
    case ParseErrorCode.ColonExpected:
      return 'a colon expected after the property name';
    case ParseErrorCode.CommaExpected:
      return 'a comma expected between properties';
    case ParseErrorCode.CloseBraceExpected:
      return 'a closing } expected';
    case ParseErrorCode.CloseBracketExpected:
      return 'a closing ] expected';
    case ParseErrorCode.UnexpectedEndOfString:
      return 'a string that is never closed';
    case ParseErrorCode.InvalidCharacter:
      return 'a control character inside a string';
    case ParseErrorCode.InvalidEscapeCharacter:
      return 'an invalid escape sequence in a string';
    default:
      return printParseErrorCode(error.error);
  }
}

/**
 * The most common hand-edit mistakes, repaired one at a time until the text is strict JSON: a trailing comma, a
 * missing comma between members, single or typographic quotes, missing closing braces. Undefined unless the result
 * parses with no error at all (an ambiguous mistake gets no fix). Linear per repair; at most eight repairs.
 */
export function repairJson(text: string): { text: string; what: string[] } | undefined {
  let current = text;
  const what: string[] = [];
  for (let round = 0; round < 8; round++) {
    const errors = parseStrictJson(current).errors;
    if (errors.length === 0) return what.length > 0 ? { text: current, what } : undefined;
    const error = errors[0];
    const at = error.offset;
    if (SMART_QUOTES.test(current)) {
      current = current.replace(new RegExp(SMART_QUOTES.source, 'g'), '"');
      what.push('straight quotes');
    } else if (current.charAt(at) === "'" && !current.includes('"')) {
      current = current.replace(/'/g, '"');
      what.push('double quotes');
    } else if ((error.error === ParseErrorCode.PropertyNameExpected || error.error === ParseErrorCode.ValueExpected) && /[}\]]/.test(current.charAt(at))) {
      const comma = current.slice(0, at).search(/,\s*$/);
      if (comma < 0) return undefined;
      current = current.slice(0, comma) + current.slice(comma + 1);
      what.push('no trailing comma');
    } else if (error.error === ParseErrorCode.CommaExpected) {
      const end = current.slice(0, at).trimEnd().length;
      current = `${current.slice(0, end)},${current.slice(end)}`;
      what.push('a comma between members');
    } else if (error.error === ParseErrorCode.CloseBraceExpected && at >= current.trimEnd().length) {
      current = `${current.trimEnd()}}${current.slice(current.trimEnd().length)}`;
      what.push('the closing }');
    } else return undefined;
  }
  return undefined;
}

/** Findings for a strict-JSON value (errors, smart quotes, trailing content). Returns true when the JSON parsed. */
export function jsonSyntaxFindings(
  text: string,
  json: StrictJson,
  map: SpanMapper,
  out: Finding[],
  repairFix: (from: number, to: number, replacement: string, title: string) => Finding['fixes'],
  removeTrailing: (from: number, to: number) => TextEdit[],
): boolean {
  if (json.errors.length > 0) {
    const first = json.errors[0];
    // An error at the very end (e.g. a missing closing brace) is shown on the last character.
    const from = Math.min(first.offset, Math.max(0, text.length - 1));
    const span = map(from, Math.min(text.length, Math.max(from + 1, first.offset + first.length)));
    const repaired = repairJson(text);
    out.push({
      code: 'enc-json-syntax',
      severity: 'error',
      start: span.start,
      end: span.end,
      message:
        `The secret reference is not valid JSON: ${describe(first, text)}. ` +
        'The product will not start ("Problem when reading secret store configuration. Please review the JSON configuration string."). ' +
        'Correct the JSON here.',
      fixes: repaired ? repairFix(0, text.length, repaired.text, `Correct the JSON (${repaired.what.join(', ')})`) : undefined,
    });
    return false;
  }
  if (json.trailing) {
    const span = map(json.trailing.offset, text.length);
    const rest = text.slice(json.trailing.offset);
    const shown = rest.length > 20 ? `${rest.slice(0, 20)}…` : rest;
    out.push({
      code: 'enc-json-trailing',
      severity: 'warning',
      start: span.start,
      end: span.end,
      message:
        `Jackson stops reading after the object: ${JSON.stringify(shown)} and what follows are ignored, so the product starts. ` +
        'Remove the extra text: it is probably a leftover, and another tool may not ignore it.',
      fixes: [{ title: 'Remove the text after the object', isPreferred: true, edits: removeTrailing(json.trailing.offset, text.length) }],
    });
  }
  return true;
}

/** Object members as [keyNode, valueNode] pairs. */
export function members(obj: Node): Array<{ key: Node; value: Node | undefined; property: Node }> {
  const result: Array<{ key: Node; value: Node | undefined; property: Node }> = [];
  for (const property of obj.children ?? []) {
    const [key, value] = property.children ?? [];
    if (key) result.push({ key, value, property });
  }
  return result;
}
