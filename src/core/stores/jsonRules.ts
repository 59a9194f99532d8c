/** Shared helpers for the store rules that read a JSON object (AWS, Vault, algorithm). */
import { Node } from 'jsonc-parser';
import { Finding, Fix } from '../diagnostics';
import { nearest } from '../text/nearest';
import type { AwsRuleContext } from './aws';

export type RuleContext = AwsRuleContext;

export function addAt(ctx: RuleContext, node: Node, finding: Omit<Finding, 'start' | 'end'>): void {
  const span = ctx.map(node.offset, node.offset + node.length);
  ctx.out.push({ ...finding, start: span.start, end: span.end });
}

export function replaceString(ctx: RuleContext, node: Node, value: string, title: string, isPreferred = true): Fix {
  return { title, isPreferred, edits: ctx.edit(node.offset, node.offset + node.length, JSON.stringify(value)) };
}

export interface ObjectMember {
  readonly name: string;
  readonly key: Node;
  readonly value: Node | undefined;
}

/**
 * Walks an object's members: reports duplicates (the last wins), unknown keys (with the nearest known key as a fix)
 * and non-string or empty values; returns the string members by name.
 */
export function stringMembers(
  obj: Node,
  ctx: RuleContext,
  known: readonly string[],
  codes: { unknown: string; valueType: string; unknownSeverity: Finding['severity'] },
  storeName: string,
): { values: Map<string, { text: string; node: Node }>; present: Set<string> } {
  const values = new Map<string, { text: string; node: Node }>();
  const present = new Set<string>();
  const seen = new Map<string, Node>();
  for (const property of obj.children ?? []) {
    const key = property.children?.[0];
    if (!key) continue;
    const value = property.children?.[1];
    const name = String(key.value);
    if (seen.has(name)) {
      addAt(ctx, seen.get(name)!, {
        code: 'enc-json-duplicate-key',
        severity: 'warning',
        message: `"${name}" appears twice in this object; the product keeps the last one, so this one is ignored. Remove one of them.`,
        unnecessary: true,
      });
    }
    seen.set(name, key);
    if (!known.includes(name)) {
      const suggestion = nearest(name, known.filter((k) => !present.has(k)));
      addAt(ctx, key, {
        code: codes.unknown,
        severity: codes.unknownSeverity,
        message:
          `"${name}" is not a key the ${storeName} reads` +
          (codes.unknownSeverity === 'error' ? ', and its strict JSON parser fails on unknown keys. ' : ' (it is ignored). ') +
          (suggestion ? `Did you mean "${suggestion}"? (keys are case-sensitive)` : `Use only ${known.map((k) => `"${k}"`).join(', ')}.`),
        fixes: suggestion ? [replaceString(ctx, key, suggestion, `Rename "${name}" to "${suggestion}"`)] : undefined,
      });
      if (suggestion) present.add(suggestion);
      continue;
    }
    present.add(name);
    if (!value || value.type !== 'string' || value.value === '') {
      addAt(ctx, value ?? key, {
        code: codes.valueType,
        severity: 'error',
        message: `"${name}" must be a non-empty string${value ? `, not ${value.type === 'string' ? 'an empty string' : value.type}` : ''}; the product cannot use it otherwise. Put the value in double quotes.`,
        fixes: value && (value.type === 'number' || value.type === 'boolean') ? [replaceString(ctx, value, String(value.value), `Quote the value of "${name}"`)] : undefined,
      });
      continue;
    }
    values.set(name, { text: value.value as string, node: value });
  }
  return { values, present };
}

export function isHttpUri(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && !/\s/.test(value);
  } catch {
    return false;
  }
}
