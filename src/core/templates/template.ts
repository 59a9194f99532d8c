/**
 * Configuration files as infrastructure repositories keep them: Jinja2 (Ansible), ERB (Chef, Puppet 3), Puppet EPP, Go
 * templates (Helm, gomplate, consul-template) and shell `${VAR}` (envsubst, entrypoint scripts). The template syntax is
 * masked without moving any other character, so every finding and fix lands on the column the user wrote:
 * - an expression (`{{ x }}`, `<%= x %>`, `${X}`) becomes a run of PLACEHOLDER characters: an opaque value;
 * - a control tag or a comment becomes spaces (line breaks stay), so it is neither a property nor text.
 * The branches of `if / elif / else`, `unless` and `case / when` are recorded, so that two settings in exclusive
 * branches are not duplicates and a class in one branch applies only to the password in that branch. Pure.
 */

export const TEMPLATE_DIALECTS = ['jinja', 'erb', 'epp', 'go', 'shell'] as const;
export type TemplateDialect = (typeof TEMPLATE_DIALECTS)[number];

export function isTemplateDialect(value: string): value is TemplateDialect {
  return (TEMPLATE_DIALECTS as readonly string[]).includes(value);
}

/**
 * What an expression becomes in the masked text when nothing better is free: a private-use character. A template's
 * own placeholder is the first of PLACEHOLDER_CANDIDATES its text does not hold (one byte in V8's strings, so that the
 * masked text stays a one-byte string and is read as fast as the plain file); this one is the last resort, and what
 * the container rules mask a deployment's interpolation (`${VAR}`) with.
 */
export const PLACEHOLDER = '\uE000';

/** Latin-1 characters that no syntax the readers know gives a meaning (JSON, XML, YAML, properties, the templates). */
const PLACEHOLDER_CANDIDATES = ['\u00A4', '\u00B6', '\u00A7', '\u00AC', '\u00B0', '\u00B1', '\u00D7', '\u00F7'];

/** The placeholder for a text: a candidate it does not contain, else PLACEHOLDER. */
export function placeholderFor(text: string): string {
  return PLACEHOLDER_CANDIDATES.find((c) => !text.includes(c)) ?? PLACEHOLDER;
}

/** Whether a value holds a placeholder: a template's own (when the text is a template's), or PLACEHOLDER. */
export function hasPlaceholder(value: string, placeholder: string | undefined): boolean {
  return placeholder !== undefined && value.includes(placeholder);
}

/** The extra UTF-8 bytes one placeholder character takes beyond one (for the encoding rules' ASCII fast path). */
export function placeholderExtraBytes(placeholder: string): number {
  const code = placeholder.charCodeAt(0);
  return code < 0x80 ? 0 : code < 0x800 ? 1 : 2;
}

export interface TemplateTag {
  readonly start: number;
  readonly end: number;
  readonly kind: 'expression' | 'control' | 'comment';
}

/** One branch of a decision: the text between its tag and the next one, and which decision and which arm it is. */
interface Arm {
  readonly start: number;
  end: number;
  /** Where the tag that opened the arm's block starts. */
  readonly blockStart: number;
  /** The decision: blocks with the same condition are the same decision (`{% if aws %}` twice). */
  readonly decision: string;
  readonly index: number;
}

export interface MaskedTemplate {
  readonly text: string;
  readonly dialect: TemplateDialect;
  readonly tags: readonly TemplateTag[];
  /** The character every expression's characters became (placeholderFor: one the template's text does not hold). */
  readonly placeholder: string;
  /** How many characters of the masked text are the placeholder (for the ASCII fast paths of the encoding rules). */
  readonly placeholderChars: number;
  /** True when two offsets are in exclusive branches (never both in one rendering of the template). */
  readonly exclusive: (a: number, b: number) => boolean;
  /** The variable of the expression at the offset, if one is there. */
  readonly placeholderAt: (offset: number) => string | undefined;
  /** True when the expression at the offset is a string literal (`{{ "x" }}`, `<%= 'x' %>`): its text is written as it is. */
  readonly literalAt: (offset: number) => boolean;
  /** Where the outermost block holding the offset opens (its tag's start); the offset itself outside every block. */
  readonly outerBlockStart: (offset: number) => number;
  /** True when a range touches template syntax (a fix there would break the template). */
  readonly touchesTag: (start: number, end: number) => boolean;
}

/** The file-name suffixes of templates, and the dialect each tells (undefined: the content tells). */
export const TEMPLATE_SUFFIXES: Readonly<Record<string, TemplateDialect | undefined>> = {
  '.j2': 'jinja',
  '.jinja': 'jinja',
  '.jinja2': 'jinja',
  '.erb': 'erb',
  '.epp': 'epp',
  '.gotmpl': 'go',
  '.tmpl': undefined,
  '.tpl': undefined,
  '.template': undefined,
  '.in': undefined,
};

/** The dialect a template's text is written in, when its name does not say. */
export function detectDialect(text: string): TemplateDialect | undefined {
  if (/\{%-?\s*\w/.test(text)) return 'jinja';
  if (/<%[-=#]?\s*(?:if\s+\$|unless\s+\$|\$\w|\}|[\w@$])/.test(text)) return /<%[-=]?\s*(?:if|unless)\s+\$|\|\s*\$\w+\s*\|/.test(text) ? 'epp' : 'erb';
  if (/\{\{-?\s*(?:\.|\$|if\b|range\b|with\b|end\b|include\b|template\b|toYaml\b|tpl\b|\/\*)/.test(text)) return 'go';
  if (/\{\{/.test(text)) return 'jinja';
  if (/\$\{[A-Za-z_][\w.]*(?:[:?+=-][^}]*)?\}/.test(text)) return 'shell';
  return undefined;
}

/** The variable an expression reads: its first identifier-like word, without filters, calls or sigils around it. */
function variableOf(inner: string): string | undefined {
  // Whole: `scope.lookupvar('crowd::db')`, `$stash::db_password`, `node['crowd']['db']['password']`.
  const m = /[@$]?[A-Za-z_][\w.:]*(?:\[['"][^'"]+['"]\]|\(['"][^'"]*['"]\))*/.exec(inner.replace(/^[-=~\s]+/, ''));
  return m?.[0];
}

interface Block {
  readonly decision: string;
  arms: number;
  readonly kind: 'branch' | 'loop';
}

/** A control tag's effect on the branch structure. */
type Control =
  | { readonly op: 'open'; readonly decision: string; readonly kind: 'branch' | 'loop' }
  | { readonly op: 'arm'; readonly condition?: string }
  | { readonly op: 'close' }
  | { readonly op: 'none' };

const norm = (s: string) => s.trim().replace(/\s+/g, ' ');

function jinjaControl(inner: string): Control {
  const m = /^\s*(\w+)\s*([\s\S]*?)\s*$/.exec(inner.replace(/^-|-$/g, ''));
  const word = m?.[1] ?? '';
  const rest = norm(m?.[2] ?? '');
  if (word === 'if') return { op: 'open', decision: `if ${rest}`, kind: 'branch' };
  if (word === 'for' || word === 'macro' || word === 'call' || word === 'filter' || word === 'with' || word === 'block')
    return { op: 'open', decision: `${word} ${rest}`, kind: 'loop' };
  if (word === 'elif' || word === 'else') return { op: 'arm', condition: rest };
  if (/^end(if|for|macro|call|filter|with|block)$/.test(word)) return { op: 'close' };
  return { op: 'none' };
}

function erbControl(inner: string): Control {
  const code = norm(inner.replace(/^-|-$/g, ''));
  if (/^(if|unless)\b/.test(code)) return { op: 'open', decision: code.replace(/^unless\b/, 'if not'), kind: 'branch' };
  if (/^case\b/.test(code)) return { op: 'open', decision: code, kind: 'branch' };
  if (/^(elsif|else|when)\b/.test(code)) return { op: 'arm', condition: code };
  if (code === 'end' || /^end\b/.test(code)) return { op: 'close' };
  if (/\bdo\s*(\|[^|]*\|)?$/.test(code) || /^(while|until|for|begin)\b/.test(code)) return { op: 'open', decision: code, kind: 'loop' };
  return { op: 'none' };
}

function eppControl(inner: string): Control {
  const code = norm(inner.replace(/^-|-$/g, ''));
  if (/^\}\s*(elsif\b.*|else)\s*\{$/.test(code)) return { op: 'arm', condition: code };
  if (/^(if|unless)\b.*\{$/.test(code)) return { op: 'open', decision: code.replace(/^unless\b/, 'if not').replace(/\s*\{$/, ''), kind: 'branch' };
  if (/^case\b.*\{$/.test(code)) return { op: 'open', decision: code, kind: 'branch' };
  if (/^\}$/.test(code)) return { op: 'close' };
  if (/\{$/.test(code)) return { op: 'open', decision: code, kind: 'loop' };
  return { op: 'none' };
}

function goControl(inner: string): Control {
  const code = norm(inner.replace(/^-\s|\s-$/g, ''));
  if (/^if\b/.test(code)) return { op: 'open', decision: code, kind: 'branch' };
  if (/^(range|with|define|block)\b/.test(code)) return { op: 'open', decision: code, kind: 'loop' };
  if (/^else\b/.test(code)) return { op: 'arm', condition: code };
  if (code === 'end') return { op: 'close' };
  return { op: 'none' };
}

const GO_CONTROL = /^-?\s*(?:if|else|end|range|with|define|block)\b/;

type ScannedTag = TemplateTag & { control: Control };
const NONE: Control = { op: 'none' };

/** The tags of one dialect, in document order. Variable names are found later, only for the messages that need one. */
function scan(text: string, dialect: TemplateDialect): ScannedTag[] {
  const out: ScannedTag[] = [];
  const yieldTag = (start: number, end: number, kind: TemplateTag['kind'], control: Control = NONE) => out.push({ start, end, kind, control });
  if (dialect === 'shell') {
    // `${db.password}` (Maven, Gradle and envsubst-like tools) as well as `${DB_PASSWORD:-x}` and `$DB_PASSWORD`.
    const re = /\$\{([A-Za-z_][\w.]*)(?:[:?+=-][^}\n]*)?\}|\$([A-Za-z_]\w*)/g;
    for (let m; (m = re.exec(text)) !== null;) {
      if (m.index > 0 && text[m.index - 1] === '$') continue; // $$ escapes
      yieldTag(m.index, m.index + m[0].length, 'expression');
    }
    return out;
  }
  if (dialect === 'jinja' || dialect === 'go') {
    let raw = false;
    for (const [start, end] of braceTags(text, dialect === 'jinja' ? '{%#' : '{')) {
      const tag = text.slice(start, end);
      if (dialect === 'jinja') {
        const inner = tag.slice(2, -2);
        if (raw) {
          if (tag.startsWith('{%') && /^-?\s*endraw\s*-?$/.test(inner)) {
            raw = false;
            yieldTag(start, end, 'control');
          }
          continue;
        }
        if (tag.startsWith('{#')) yieldTag(start, end, 'comment');
        else if (tag.startsWith('{%')) {
          if (/^-?\s*raw\s*-?$/.test(inner)) {
            raw = true;
            yieldTag(start, end, 'control');
          } else yieldTag(start, end, 'control', jinjaControl(inner));
        } else yieldTag(start, end, 'expression');
      } else {
        const inner = tag.slice(2, -2);
        if (/^-?\s*\/\*/.test(inner)) yieldTag(start, end, 'comment');
        else if (GO_CONTROL.test(inner)) yieldTag(start, end, 'control', goControl(inner));
        else yieldTag(start, end, 'expression');
      }
    }
    return out;
  }
  // ERB and EPP: <% code %>, <%= expression %>, <%# comment %>, <%- … -%>; <%% is a literal "<%". Each tag ends at the
  // first "%>" after it; once none is left, no later "<%" has one either (unclosed tags stay linear).
  for (let start = text.indexOf('<%'); start >= 0;) {
    if (text[start + 2] === '%') {
      start = text.indexOf('<%', start + 3);
      continue;
    }
    const close = text.indexOf('%>', start + 2);
    if (close < 0) break;
    const tagStart = start;
    const end = close + 2;
    const flag = /[-=#]/.test(text[tagStart + 2]) ? text[tagStart + 2] : '';
    const from = tagStart + 2 + flag.length;
    const inner = text.slice(from, text[close - 1] === '-' && close - 1 >= from ? close - 1 : close);
    start = text.indexOf('<%', end);
    if (flag === '#') yieldTag(tagStart, end, 'comment');
    else if (flag === '=' || (flag === '-' && inner.trimStart().startsWith('='))) yieldTag(tagStart, end, 'expression');
    else yieldTag(tagStart, end, 'control', dialect === 'epp' ? eppControl(inner) : erbControl(inner));
  }
  return out;
}

/**
 * The tags `{{ … }}` (and with `kinds` '{%#', `{% … %}` and `{# … #}`), each ending at the first closer after it, as
 * the lazy regular expression /\{\{[\s\S]*?\}\}|…/g reads them: found with native scans for "{" and the closer.
 */
function* braceTags(text: string, kinds: string): Generator<readonly [number, number]> {
  // A kind whose closer appears nowhere after some opener has none after any later one either: not searched again
  // (an unclosed "{{" repeated 80,000 times stays linear).
  let open = kinds;
  for (let i = text.indexOf('{'); i >= 0 && i + 1 < text.length;) {
    const kind = text[i + 1];
    if (!open.includes(kind)) {
      i = text.indexOf('{', i + 1);
      continue;
    }
    const closer = text.indexOf(kind === '{' ? '}}' : `${kind}}`, i + 2);
    if (closer < 0) {
      open = open.replace(kind, '');
      i = text.indexOf('{', i + 1);
      continue;
    }
    yield [i, closer + 2];
    i = text.indexOf('{', closer + 2);
  }
}

/** A quoted string and nothing else: what a literal expression holds. */
const STRING_LITERAL = /^(['"])(?:(?!\1)[^\\]|\\.)*\1$/s;

/** An expression tag's source without its delimiters and trim markers. */
function expressionInner(source: string, dialect: TemplateDialect): string {
  if (dialect === 'erb' || dialect === 'epp')
    return source
      .replace(/^<%-?\s*=?/, '')
      .replace(/-?%>$/, '')
      .trim();
  return source.slice(2, -2).replace(/^-/, '').replace(/-$/, '').trim();
}

/** The variable an expression tag reads, from its source. */
function tagVariable(source: string, dialect: TemplateDialect): string | undefined {
  // `${db-password}` (a name with dashes, as Maven and Spring write them) is quoted whole; `${DB:-x}` names DB.
  if (dialect === 'shell') return /^\$\{([A-Za-z_][\w.-]*)\}$/.exec(source)?.[1] ?? /^\$\{?([A-Za-z_][\w.]*)/.exec(source)?.[1];
  if (dialect === 'erb' || dialect === 'epp') return variableOf(source.replace(/^<%-?\s*=?/, '').replace(/-?%>$/, ''));
  const inner = source.slice(2, -2).replace(/^-/, '');
  return variableOf(dialect === 'go' ? inner.replace(/^\s*\./, '') : inner);
}

/** The line breaks in text[start, end). */
function lineBreaks(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) n++;
  }
  return n;
}

/** What masks text[start, end): `fill` for each character, its line breaks kept (lines stay where they were). */
function filler(text: string, start: number, end: number, fill: string): string {
  if (lineBreaks(text, start, end) === 0) return fill.repeat(end - start);
  let out = '';
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    out += c === 10 || c === 13 ? text[i] : fill;
  }
  return out;
}

/** Arms beyond this many: exclusivity is not tracked (every pair counts as possibly together: the cautious reading). */
const MAX_ARMS = 2000;

export function maskTemplate(text: string, dialect: TemplateDialect): MaskedTemplate {
  const tags: TemplateTag[] = [];
  const arms: Arm[] = [];
  const stack: Array<{ block: Block; arm: Arm }> = [];
  // The masked text is built from the text's own slices and the tags' fillers (line breaks kept), joined once.
  const parts: string[] = [];
  let copied = 0;
  let placeholderChars = 0;
  const placeholder = placeholderFor(text);
  let blockId = 0;
  for (const tag of scan(text, dialect)) {
    const expression = tag.kind === 'expression';
    parts.push(text.slice(copied, tag.start), filler(text, tag.start, tag.end, expression ? placeholder : ' '));
    copied = tag.end;
    if (expression) placeholderChars += tag.end - tag.start - lineBreaks(text, tag.start, tag.end);
    tags.push({ start: tag.start, end: tag.end, kind: tag.kind });
    const control = tag.control;
    if (control.op === 'open') {
      // A loop's body is one arm of its own decision (never exclusive with anything but its own else).
      const block: Block = { decision: control.kind === 'branch' ? control.decision : `#${blockId++}:${control.decision}`, arms: 1, kind: control.kind };
      const arm: Arm = { start: tag.end, end: text.length, decision: block.decision, index: 0, blockStart: tag.start };
      arms.push(arm);
      stack.push({ block, arm });
    } else if (control.op === 'arm' && stack.length > 0) {
      const top = stack[stack.length - 1];
      top.arm.end = tag.start;
      const arm: Arm = { start: tag.end, end: text.length, decision: top.block.decision, index: top.block.arms++, blockStart: top.arm.blockStart };
      arms.push(arm);
      top.arm = arm;
    } else if (control.op === 'close' && stack.length > 0) {
      const top = stack.pop()!;
      top.arm.end = tag.start;
    }
  }
  parts.push(text.slice(copied));
  const masked = tags.length === 0 ? text : parts.join('');
  const tracked = arms.length <= MAX_ARMS ? arms : [];

  const pathAt = (offset: number): Arm[] => tracked.filter((a) => a.start <= offset && offset < a.end);
  const starts = tags.map((t) => t.start);
  const tagAt = (offset: number): TemplateTag | undefined => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const tag = found >= 0 ? tags[found] : undefined;
    return tag && offset < tag.end ? tag : undefined;
  };
  return {
    text: masked,
    dialect,
    tags,
    placeholder,
    placeholderChars,
    exclusive: (a, b) => {
      if (tracked.length === 0) return false;
      const pa = pathAt(a);
      const pb = pathAt(b);
      return pa.some((x) => pb.some((y) => x.decision === y.decision && x.index !== y.index));
    },
    placeholderAt: (offset) => {
      const tag = tagAt(offset);
      return tag?.kind === 'expression' ? (tagVariable(text.slice(tag.start, tag.end), dialect) ?? text.slice(tag.start, tag.end)) : undefined;
    },
    outerBlockStart: (offset) => pathAt(offset).reduce((min, a) => Math.min(min, a.blockStart), offset),
    literalAt: (offset) => {
      const tag = tagAt(offset);
      return tag?.kind === 'expression' && dialect !== 'shell' && STRING_LITERAL.test(expressionInner(text.slice(tag.start, tag.end), dialect));
    },
    touchesTag: (start, end) => {
      if (tags.length === 0) return false;
      const first = tagAt(start);
      if (first) return true;
      // The first tag starting at or after `start`.
      let lo = 0;
      let hi = starts.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid] < start) lo = mid + 1;
        else hi = mid;
      }
      return lo < starts.length && starts[lo] < Math.max(end, start + 1);
    },
  };
}
