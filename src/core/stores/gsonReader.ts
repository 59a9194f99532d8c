/** Gson's JsonReader in lenient mode (the tokenizer behind core/stores/gson.ts: see there for what it reads and why). */
export interface GsonProblem {
  readonly offset: number;
  readonly length: number;
  /** Gson's own wording where it has one. */
  readonly message: string;
  /** `root-type`: the document is not an object; `field-type`: a known field holds an object or an array. */
  readonly kind: 'syntax' | 'root-type' | 'field-type' | 'trailing' | 'empty';
}

export interface GsonLeniency {
  readonly offset: number;
  readonly length: number;
  readonly what: string;
}

export class GsonError extends Error {
  constructor(
    readonly offset: number,
    readonly length: number,
    message: string,
    readonly kind: GsonProblem['kind'] = 'syntax',
  ) {
    super(message);
  }
}

export type Token =
  | { kind: 'begin-object' | 'end-object' | 'begin-array' | 'end-array' | 'eof'; offset: number; length: number }
  | { kind: 'string' | 'number' | 'boolean' | 'null'; offset: number; length: number; text: string };

const isLiteralChar = (c: string): boolean => !'/\\;#={}[]:, \t\f\r\n'.includes(c);

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Gson's JsonReader in lenient mode, over a string. */
export class Reader {
  pos = 0;
  readonly leniencies: GsonLeniency[] = [];
  private readonly seen = new Set<string>();

  constructor(readonly text: string) {}

  lenient(offset: number, length: number, what: string): void {
    // One note per kind of leniency: the first place shows it.
    if (this.seen.has(what)) return;
    this.seen.add(what);
    this.leniencies.push({ offset, length, what });
  }

  /** nextNonWhitespace(): skips whitespace and (leniently) comments; returns the offset of the next character or -1. */
  skip(lenient: boolean): number {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === ' ' || c === '\n' || c === '\t' || c === '\r') {
        this.pos++;
        continue;
      }
      if (c === '/' && (t[this.pos + 1] === '*' || t[this.pos + 1] === '/')) {
        if (!lenient) throw new GsonError(this.pos, 1, 'Use JsonReader.setLenient(true) to accept malformed JSON', 'trailing');
        const start = this.pos;
        if (t[this.pos + 1] === '*') {
          const end = t.indexOf('*/', this.pos + 2);
          if (end < 0) throw new GsonError(this.pos, t.length - this.pos, 'Unterminated comment');
          this.pos = end + 2;
        } else {
          this.skipToEndOfLine();
        }
        this.lenient(start, Math.min(2, t.length - start), 'comments');
        continue;
      }
      if (c === '#') {
        if (!lenient) throw new GsonError(this.pos, 1, 'Use JsonReader.setLenient(true) to accept malformed JSON', 'trailing');
        const start = this.pos;
        this.skipToEndOfLine();
        this.lenient(start, 1, 'comments');
        continue;
      }
      return this.pos;
    }
    return -1;
  }

  private skipToEndOfLine(): void {
    const t = this.text;
    while (this.pos < t.length && t[this.pos] !== '\n' && t[this.pos] !== '\r') this.pos++;
  }

  /** The next value token (strings, numbers, literals, brackets). `inArray` allows Gson's lenient empty slots. */
  value(inArray: 'empty' | 'nonempty' | false): Token {
    const at = this.skip(true);
    if (at < 0) throw new GsonError(this.text.length, 0, 'End of input');
    const c = this.text[at];
    if (c === ']' && inArray === 'empty') {
      this.pos++;
      return { kind: 'end-array', offset: at, length: 1 };
    }
    if (c === ']' || c === ';' || c === ',') {
      if (inArray) {
        this.lenient(at, 1, 'empty array slots');
        return { kind: 'null', offset: at, length: 0, text: 'null' };
      }
      throw new GsonError(at, 1, 'Unexpected value');
    }
    if (c === '"' || c === "'") return this.quoted(c);
    if (c === '{' || c === '[') {
      this.pos++;
      return { kind: c === '{' ? 'begin-object' : 'begin-array', offset: at, length: 1 };
    }
    const literal = this.unquoted();
    if (literal.length === 0) throw new GsonError(at, 1, 'Expected value');
    const lower = literal.toLowerCase();
    if (lower === 'true' || lower === 'false') return { kind: 'boolean', offset: at, length: literal.length, text: lower };
    if (lower === 'null') return { kind: 'null', offset: at, length: literal.length, text: 'null' };
    if (NUMBER.test(literal)) return { kind: 'number', offset: at, length: literal.length, text: literal };
    this.lenient(at, literal.length, 'unquoted text');
    return { kind: 'string', offset: at, length: literal.length, text: literal };
  }

  /** An unquoted literal: characters up to the first one that cannot be part of one. */
  private unquoted(): string {
    const t = this.text;
    const start = this.pos;
    while (this.pos < t.length && isLiteralChar(t[this.pos])) this.pos++;
    return t.slice(start, this.pos);
  }

  /** A quoted string (double, or single when lenient), decoded with Gson's escapes. */
  quoted(quote: string): Token & { kind: 'string' } {
    const t = this.text;
    const start = this.pos;
    if (quote === "'") this.lenient(start, 1, 'single quotes');
    this.pos++;
    let out = '';
    let run = this.pos;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === quote) {
        out += t.slice(run, this.pos);
        this.pos++;
        return { kind: 'string', offset: start, length: this.pos - start, text: out };
      }
      if (c === '\\') {
        out += t.slice(run, this.pos);
        const escapeAt = this.pos;
        this.pos++;
        if (this.pos >= t.length) throw new GsonError(escapeAt, 1, 'Unterminated escape sequence');
        const e = t[this.pos++];
        switch (e) {
          case 'u': {
            if (this.pos + 4 > t.length) throw new GsonError(escapeAt, t.length - escapeAt, 'Unterminated escape sequence');
            const hex = t.slice(this.pos, this.pos + 4);
            if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw new GsonError(escapeAt, 6, `Malformed Unicode escape \\u${hex}`);
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 4;
            break;
          }
          case 't':
            out += '\t';
            break;
          case 'b':
            out += '\b';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 'f':
            out += '\f';
            break;
          case '\n':
          case "'":
          case '"':
          case '\\':
          case '/':
            out += e;
            break;
          default:
            throw new GsonError(escapeAt, 2, 'Invalid escape sequence');
        }
        run = this.pos;
        continue;
      }
      this.pos++;
    }
    throw new GsonError(start, t.length - start, 'Unterminated string');
  }

  /** A member name: quoted, or (leniently) unquoted. */
  name(): Token & { kind: 'string' } {
    const at = this.pos;
    const c = this.text[at];
    if (c === '"' || c === "'") return this.quoted(c);
    const literal = this.unquoted();
    if (literal.length === 0) throw new GsonError(at, 1, 'Expected name');
    this.lenient(at, literal.length, 'unquoted names');
    return { kind: 'string', offset: at, length: literal.length, text: literal };
  }

  /** After a name: `:`, or leniently `=` / `=>`. */
  separator(): number {
    const at = this.skip(true);
    if (at < 0) throw new GsonError(this.text.length, 0, 'End of input');
    if (this.text[at] === ':') {
      this.pos++;
      return at;
    }
    if (this.text[at] === '=') {
      this.pos++;
      if (this.text[this.pos] === '>') this.pos++;
      this.lenient(at, this.pos - at, '"=" or "=>" instead of ":"');
      return at;
    }
    throw new GsonError(at, 1, "Expected ':'");
  }

  /** Skips one value whose first token is `first` (JsonReader.skipValue), iteratively; returns where it ends. */
  skipValue(first: Token): number {
    if (first.kind !== 'begin-object' && first.kind !== 'begin-array') return first.offset + first.length;
    const stack: Array<{ type: 'object' | 'array'; count: number }> = [{ type: first.kind === 'begin-object' ? 'object' : 'array', count: 0 }];
    for (;;) {
      const top = stack[stack.length - 1];
      let token: Token;
      if (top.type === 'array') {
        if (top.count === 0) token = this.value('empty');
        else {
          const at = this.skip(true);
          if (at < 0) throw new GsonError(this.text.length, 0, 'End of input');
          const c = this.text[at];
          if (c === ']') {
            this.pos++;
            token = { kind: 'end-array', offset: at, length: 1 };
          } else {
            if (c === ';') this.lenient(at, 1, '";" instead of ","');
            else if (c !== ',') throw new GsonError(at, 1, 'Unterminated array');
            this.pos++;
            token = this.value('nonempty');
          }
        }
        if (token.kind === 'end-array') {
          stack.pop();
          if (stack.length === 0) return token.offset + 1;
          continue;
        }
      } else {
        const end = this.memberStart(top.count === 0 ? 'empty' : 'nonempty');
        if (end) {
          stack.pop();
          if (stack.length === 0) return end.offset + 1;
          continue;
        }
        this.separator();
        token = this.value(false);
      }
      top.count++;
      if (token.kind === 'begin-object') stack.push({ type: 'object', count: 0 });
      else if (token.kind === 'begin-array') stack.push({ type: 'array', count: 0 });
    }
  }

  /**
   * Before a member: in a nonempty object, `,` (or leniently `;`) or `}`; then a name or (in an empty object) `}`.
   * Returns the end token, or undefined after reading the name (left in `lastName`).
   */
  memberStart(state: 'empty' | 'nonempty'): (Token & { kind: 'end-object' }) | undefined {
    let at = this.skip(true);
    if (at < 0) throw new GsonError(this.text.length, 0, 'End of input');
    if (state === 'nonempty') {
      const c = this.text[at];
      if (c === '}') {
        this.pos++;
        return { kind: 'end-object', offset: at, length: 1 };
      }
      if (c === ';') this.lenient(at, 1, '";" instead of ","');
      else if (c !== ',') throw new GsonError(at, 1, 'Unterminated object');
      this.pos++;
      at = this.skip(true);
      if (at < 0) throw new GsonError(this.text.length, 0, 'End of input');
      if (this.text[at] === '}') throw new GsonError(at, 1, 'Expected name');
    } else if (this.text[at] === '}') {
      this.pos++;
      return { kind: 'end-object', offset: at, length: 1 };
    }
    this.lastName = this.name();
    return undefined;
  }

  lastName: (Token & { kind: 'string' }) | undefined;
}
