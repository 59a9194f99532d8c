/**
 * Edits of one key of a reference's JSON, written back in the file's own format (properties escapes, XML entities):
 * the quick fixes for verify outcomes whose fix is in the file. Nothing else of the JSON moves. Pure.
 */
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { TextEdit } from '../diagnostics';
import { FileFormat } from '../model/products';
import { escapePropertiesValue } from '../text/propertiesEscape';
import { SecretReference } from '../rules/analysis';
import { escapeXmlText } from '../xml/xmlReader';

/** Sets (or, with undefined, removes) an existing top-level key of the reference's JSON; undefined when it has none. */
export function memberEdit(reference: SecretReference, format: FileFormat, key: string, value: string | undefined): TextEdit[] | undefined {
  const root = parseTree(reference.payload);
  const node = root && findNodeAtLocation(root, [key]);
  const property = node?.parent;
  if (!root || !node || !property || root.type !== 'object') return undefined;
  let from: number;
  let to: number;
  let text: string;
  if (value !== undefined) {
    [from, to, text] = [node.offset, node.offset + node.length, JSON.stringify(value)];
  } else {
    // The member and one comma beside it: the one before it, or for the first member the one after it.
    const members = root.children ?? [];
    const i = members.indexOf(property);
    const previous = members[i - 1];
    const next = members[i + 1];
    [from, to, text] = previous
      ? [previous.offset + previous.length, property.offset + property.length, '']
      : [property.offset, next ? next.offset : property.offset + property.length, ''];
  }
  // A container variable writes in its own quoting (YAML scalar style, env file quotes).
  const own = (reference.entry as { escape?: (value: string) => string }).escape;
  const escape = format === 'container' && own ? own : format === 'xml' ? escapeXmlText : (v: string) => escapePropertiesValue(v, { leading: false });
  const span = reference.entry.valueMap.range(reference.payloadOffset + from, reference.payloadOffset + to);
  return [{ start: span.start, end: span.end, newText: escape(text) }];
}
