/** Shared helpers for the store rules that read a JSON object (AWS, Vault, algorithm). */
import { Node } from 'jsonc-parser';
import { hasPlaceholder } from '../templates/template';
import { Finding, Fix, SpanMapper } from '../diagnostics';
import { nearest } from '../text/nearest';
import { isJavaHttpUri } from './javaUri';

/** Builds the edits that replace a range of the JSON (offsets in the decoded JSON) with new JSON text. */
export type JsonEditFactory = (from: number, to: number, newJsonText: string) => Fix['edits'];

/** What every store's rules read: the decoded JSON, how to map it back to the document, and where findings go. */
export interface RuleContext {
  readonly json: string;
  readonly map: SpanMapper;
  readonly edit: JsonEditFactory;
  readonly out: Finding[];
  /** What a masked template expression became (core/templates), when the text is a template's. */
  readonly placeholder?: string;
}

export function addAt(ctx: RuleContext, node: Node, finding: Omit<Finding, 'start' | 'end'>): void {
  const span = ctx.map(node.offset, node.offset + node.length);
  ctx.out.push({ ...finding, start: span.start, end: span.end });
}

export function replaceString(ctx: RuleContext, node: Node, value: string, title: string, isPreferred = true): Fix {
  return { title, isPreferred, edits: ctx.edit(node.offset, node.offset + node.length, JSON.stringify(value)) };
}

/** How a store's parser turns a member's JSON value into the text the store uses. */
export interface MemberSpec {
  readonly known: readonly string[];
  /** Keys the store cannot do without: null or an empty string there is an error. */
  readonly required: readonly string[];
  /** The product's parser: Jackson (strict, unknown keys fail) or Gson (lenient, unknown keys ignored). */
  readonly parser: 'Jackson' | 'Gson';
  readonly codes: { readonly unknown: string; readonly valueType: string };
  readonly storeName: string;
  /** Optional keys whose empty string is tolerated (UNCONFIRMED what the store then does): a warning, not an error. */
  readonly emptyWarns?: readonly string[];
  /** Jackson enums: the constants, in declaration order (Jackson also accepts their index as a number). */
  readonly enums?: Readonly<Record<string, readonly string[]>>;
}

const INTEGER = /^-?(?:0|[1-9]\d*)$/;

/**
 * Walks an object's members as the store's parser reads them: duplicates (the last wins), unknown keys (Jackson fails,
 * Gson ignores; the nearest known key as a fix), and values: text is used as it is; numbers and booleans become their
 * text (both parsers coerce them: a warning with a quoting fix); null is the same as absent (an error for a required
 * key, a hint otherwise); objects and arrays fail; an empty text is an error for a required key. Returns the usable
 * values by name, and the keys that are present with a usable value.
 */
export function stringMembers(obj: Node, ctx: RuleContext, spec: MemberSpec): { values: Map<string, { text: string; node: Node }>; present: Set<string> } {
  const values = new Map<string, { text: string; node: Node }>();
  const present = new Set<string>();
  const seen = new Map<string, Node>();
  const strict = spec.parser === 'Jackson';
  for (const property of obj.children ?? []) {
    const key = property.children?.[0];
    if (!key) continue;
    const value = property.children?.[1];
    const name = String(key.value);
    if (seen.has(name)) {
      addAt(ctx, seen.get(name)!, {
        code: 'enc-json-duplicate-key',
        severity: 'warning',
        message: `"${name}" appears twice in this object; ${spec.parser} keeps the last one, so this one is ignored. Remove one of them.`,
        unnecessary: true,
      });
    }
    seen.set(name, key);
    if (!spec.known.includes(name)) {
      const suggestion = nearest(
        name,
        spec.known.filter((k) => !present.has(k)),
      );
      addAt(ctx, key, {
        code: spec.codes.unknown,
        severity: strict ? 'error' : 'warning',
        message:
          `"${name}" is not a key the ${spec.storeName} reads` +
          (strict ? ', and Jackson fails on unknown keys (the product will not start). ' : ' (Gson ignores it). ') +
          (suggestion ? `Did you mean "${suggestion}"? (keys are case-sensitive)` : `Use only ${spec.known.map((k) => `"${k}"`).join(', ')}.`),
        fixes: suggestion ? [replaceString(ctx, key, suggestion, `Rename "${name}" to "${suggestion}"`)] : undefined,
      });
      if (suggestion) present.add(suggestion);
      continue;
    }
    if (!value) continue; // a syntax error, reported already
    const required = spec.required.includes(name);
    const raw = ctx.json.slice(value.offset, value.offset + value.length);
    const enumConstants = spec.enums?.[name];
    if (value.type === 'object' || value.type === 'array') {
      present.add(name);
      addAt(ctx, value, {
        code: spec.codes.valueType,
        severity: 'error',
        message: `"${name}" must be ${enumConstants ? `one of ${enumConstants.join(', ')}` : 'text'}; ${spec.parser} cannot read ${value.type === 'object' ? 'an object' : 'an array'} there, so the product will not start.`,
      });
      continue;
    }
    if (value.type === 'null') {
      if (required) present.add(name);
      addAt(ctx, value, {
        code: spec.codes.valueType,
        severity: required ? 'error' : 'hint',
        message: required
          ? `"${name}" is null, which counts as missing: the ${spec.storeName} needs it, so the product will not start. Give it a value.`
          : `"${name}" is null, which ${spec.parser} treats as absent. Remove it, or give it a value.`,
        unnecessary: !required,
      });
      continue;
    }
    present.add(name);
    if (enumConstants) {
      const text = enumValue(ctx, spec, name, value, raw, enumConstants);
      if (text !== undefined) values.set(name, { text, node: value });
      continue;
    }
    if (value.type === 'number' || value.type === 'boolean') {
      addAt(ctx, value, {
        code: spec.codes.valueType,
        severity: 'warning',
        message: `${spec.parser} reads ${raw} as the text "${raw}", so this works; quote it to say what you mean.`,
        fixes: [replaceString(ctx, value, raw, `Quote the value of "${name}"`)],
      });
      values.set(name, { text: raw, node: value });
      continue;
    }
    const text = value.value as string;
    // A template fills this value in (core/templates): its keys and the JSON around it are checked, its value not.
    if (hasPlaceholder(text, ctx.placeholder)) continue;
    if (text === '') {
      const tolerated = !required && spec.emptyWarns?.includes(name);
      addAt(ctx, value, {
        code: spec.codes.valueType,
        severity: tolerated ? 'warning' : 'error',
        message: tolerated
          ? `"${name}" is empty; whether the store then ignores it is unconfirmed. Remove it, or give it a value.`
          : `"${name}" must not be empty; the product cannot use an empty value, so it will not start. Give it a value${required ? '' : ' or remove it'}.`,
      });
      continue;
    }
    values.set(name, { text, node: value });
  }
  return { values, present };
}

/** An enum member's value as the parser reads it (Jackson also takes a constant's index), or undefined (reported). */
function enumValue(ctx: RuleContext, spec: MemberSpec, name: string, value: Node, raw: string, enumConstants: readonly string[]): string | undefined {
  const strict = spec.parser === 'Jackson';
  if (value.type === 'string' && enumConstants.includes(value.value as string)) return value.value as string;
  if (strict && value.type === 'number' && INTEGER.test(raw) && Number(raw) >= 0 && Number(raw) < enumConstants.length) {
    const constant = enumConstants[Number(raw)];
    addAt(ctx, value, {
      code: spec.codes.valueType,
      severity: 'warning',
      message: `Jackson reads the number ${raw} as the ${Number(raw) + 1}. constant of "${name}", ${constant}. Write "${constant}".`,
      fixes: [replaceString(ctx, value, constant, `Change to "${constant}"`)],
    });
    return constant;
  }
  if (value.type !== 'string') {
    addAt(ctx, value, {
      code: spec.codes.valueType,
      severity: 'error',
      message: `"${name}" must be one of ${enumConstants.join(', ')}; ${spec.parser} cannot read ${raw} as one, so the product will not start.`,
    });
    return undefined;
  }
  return value.value as string;
}

/** An endpoint the product can use: java.net.URI.create accepts it, with an http(s) scheme and a host. */
export function isHttpUri(value: string): boolean {
  return isJavaHttpUri(value);
}
