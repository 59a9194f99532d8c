/**
 * How the algorithm (AES) stores read their JSON: `new Gson().fromJson(json, DecryptionParameters.class)` with Gson
 * 2.10. A port of what matters of Gson's JsonReader and reflective adapter, so that the verdict is Gson's own:
 *
 * - fromJson reads leniently: single-quoted and unquoted names and strings, comments (`//`, `/* *\/`, `#`), `;`
 *   between members, `=` or `=>` between name and value, a BOM before the document, NaN and other bare words as text,
 *   empty array slots. The product starts with all of these; they are reported as leniencies.
 * - Then it checks full consumption *strictly*: anything but whitespace after the object (`}`, `"x"`, `{}`, `#`) fails
 *   with "JSON document was not fully consumed." — the product does not start.
 * - An empty document yields null (the product cannot use it); a root other than an object fails ("Expected
 *   BEGIN_OBJECT"); a known field whose value is an object or an array fails ("Expected a string"); numbers and
 *   booleans become text; unknown fields are skipped (but must still be well-formed).
 *
 * The result is a jsonc-parser-shaped tree of the root object's members, so the store rules read it like any other.
 * Pure and linear; skipping a value is iterative (no recursion, whatever the nesting).
 */
import { Node } from 'jsonc-parser';
import { GsonError, GsonLeniency, GsonProblem, Reader, Token } from './gsonReader';

export type { GsonLeniency, GsonProblem } from './gsonReader';

export interface GsonDocument {
  /** The root object with its members (property nodes), as far as Gson read it. */
  readonly root: Node | undefined;
  readonly problem: GsonProblem | undefined;
  readonly leniencies: readonly GsonLeniency[];
}

/** Known fields of DecryptionParameters are Strings: what Gson's String adapter makes of the value. */
function fieldValue(token: Token): Node {
  if (token.kind === 'begin-object' || token.kind === 'begin-array') {
    const kind = token.kind === 'begin-object' ? 'BEGIN_OBJECT' : 'BEGIN_ARRAY';
    throw new GsonError(token.offset, 1, `Expected a string but was ${kind}`, 'field-type');
  }
  if (!('text' in token)) throw new GsonError(token.offset, token.length, 'Expected a string');
  // Numbers and booleans become their text; the rules show them as such.
  const value = token.kind === 'number' ? Number(token.text) : token.kind === 'boolean' ? token.text === 'true' : token.kind === 'null' ? null : token.text;
  return { type: token.kind, offset: token.offset, length: token.length, value };
}

/**
 * Reads `text` as `new Gson().fromJson(text, DecryptionParameters.class)` does. `fields` are the class's String
 * fields; other members are skipped.
 */
export function readGson(text: string, fields: readonly string[]): GsonDocument {
  const reader = new Reader(text);
  // JsonReader skips one byte-order mark at the very start.
  if (text.charCodeAt(0) === 0xfeff) {
    reader.pos = 1;
    reader.lenient(0, 1, 'a byte-order mark');
  }
  let root: Node | undefined;
  try {
    const first = reader.skip(true);
    if (first < 0) {
      // fromJson returns null for an empty document.
      return {
        root: undefined,
        problem: { offset: 0, length: text.length, message: 'the value is empty, so Gson returns null', kind: 'empty' },
        leniencies: reader.leniencies,
      };
    }
    const token = reader.value(false);
    if (token.kind === 'null') {
      return {
        root: undefined,
        problem: { offset: token.offset, length: token.length, message: 'null, so Gson returns null', kind: 'empty' },
        leniencies: reader.leniencies,
      };
    }
    if (token.kind !== 'begin-object') {
      const kind = token.kind === 'begin-array' ? 'BEGIN_ARRAY' : token.kind.toUpperCase();
      throw new GsonError(token.offset, Math.max(1, token.length), `Expected BEGIN_OBJECT but was ${kind}`, 'root-type');
    }
    const object = { type: 'object', offset: token.offset, length: 1, children: [] as Node[] };
    root = object as Node;
    for (let state: 'empty' | 'nonempty' = 'empty'; ; state = 'nonempty') {
      const end = reader.memberStart(state);
      if (end) {
        object.length = end.offset + 1 - object.offset;
        break;
      }
      const name = reader.lastName!;
      const keyNode = { type: 'string', offset: name.offset, length: name.length, value: name.text } as Node;
      const colon = reader.separator();
      const property = { type: 'property', offset: name.offset, length: 0, colonOffset: colon, parent: object as Node, children: [keyNode] };
      object.children.push(property as Node);
      const valueToken = reader.value(false);
      let valueNode: Node;
      if (fields.includes(name.text)) {
        valueNode = fieldValue(valueToken);
      } else {
        const end = reader.skipValue(valueToken);
        const type =
          valueToken.kind === 'begin-object' ? 'object' : valueToken.kind === 'begin-array' ? 'array' : valueToken.kind === 'eof' ? 'null' : valueToken.kind;
        valueNode = { type, offset: valueToken.offset, length: end - valueToken.offset } as Node;
      }
      property.children.push(valueNode);
      property.length = valueNode.offset + valueNode.length - name.offset;
      object.length = reader.pos - object.offset;
    }
    // assertFullConsumption: the reader is strict again, so anything but whitespace fails.
    const rest = reader.skip(false);
    if (rest >= 0) {
      throw new GsonError(rest, text.length - rest, 'JSON document was not fully consumed.', 'trailing');
    }
    return { root, problem: undefined, leniencies: reader.leniencies };
  } catch (error) {
    if (!(error instanceof GsonError)) throw error;
    const kind = error.kind === 'trailing' ? 'trailing' : error.kind;
    const message = error.kind === 'trailing' ? 'JSON document was not fully consumed.' : error.message;
    return { root, problem: { offset: error.offset, length: error.length, message, kind }, leniencies: reader.leniencies };
  }
}
