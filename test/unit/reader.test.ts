import * as assert from 'assert';
import { readProperties } from '../../src/core/properties/reader';

function pairs(text: string): Array<[string, string]> {
  return readProperties(text).entries.map((e) => [e.key, e.value]);
}

describe('properties reader (java.util.Properties semantics)', () => {
  it('splits keys and values on =, : and whitespace, and drops leading value whitespace', () => {
    assert.deepStrictEqual(pairs('a=1\nb : 2\nc 3\nd\t=\t4  \ne\n'), [
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
      ['d', '4  '],
      ['e', ''],
    ]);
  });

  it('keeps a second separator as part of the value', () => {
    assert.deepStrictEqual(pairs('key==value\nk :=v'), [
      ['key', '=value'],
      ['k', '=v'],
    ]);
  });

  it('skips # and ! comments only at the start of a logical line', () => {
    assert.deepStrictEqual(pairs('# c\n  ! c2\na=#not a comment\nb=x\\\n#continued'), [
      ['a', '#not a comment'],
      ['b', 'x#continued'],
    ]);
  });

  it("joins continuation lines and drops the next line's leading whitespace", () => {
    assert.deepStrictEqual(pairs('a=one\\\n    two\\\r\n\tthree\nb=x'), [
      ['a', 'onetwothree'],
      ['b', 'x'],
    ]);
  });

  it('treats an even number of trailing backslashes as literal', () => {
    assert.deepStrictEqual(pairs('a=x\\\\\nb=y'), [
      ['a', 'x\\'],
      ['b', 'y'],
    ]);
  });

  it('decodes \\t \\n \\r \\f \\uXXXX and turns any other \\x into x', () => {
    assert.deepStrictEqual(pairs('a=\\t\\n\\r\\f\\u0041\\"\\q\\=\n'), [['a', '\t\n\r\fA"q=']]);
  });

  it('accepts \\r, \\n and \\r\\n line ends', () => {
    assert.deepStrictEqual(pairs('a=1\rb=2\r\nc=3\nd=4'), [
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
      ['d', '4'],
    ]);
  });

  it('reports a malformed \\u escape with its range instead of throwing', () => {
    const text = 'ok=1\njdbc.password=abc\\u12G4def\n';
    const doc = readProperties(text);
    assert.strictEqual(doc.problems.length, 1);
    const p = doc.problems[0];
    assert.strictEqual(text.slice(p.start, p.end), '\\u12G');
  });

  it('reports a truncated \\u escape at the end of a value', () => {
    const text = 'a=\\u12';
    const doc = readProperties(text);
    assert.strictEqual(doc.problems.length, 1);
    assert.strictEqual(text.slice(doc.problems[0].start, doc.problems[0].end), '\\u12');
  });

  it('maps every unescaped value character back to its document offset across escapes and continuations', () => {
    const text = 'jdbc.password={ENC}{"region":\\\n     "eu-west-1",\\u0020"secretId":"x"}\n';
    const [entry] = readProperties(text).entries;
    assert.strictEqual(entry.value, '{ENC}{"region":"eu-west-1", "secretId":"x"}');
    const k = entry.value.indexOf('"eu-west-1"');
    assert.strictEqual(text.slice(entry.valueMap.startOf(k), entry.valueMap.endOf(k + 10)), '"eu-west-1"');
    const space = entry.value.indexOf(' ');
    assert.strictEqual(text.slice(entry.valueMap.startOf(space), entry.valueMap.endOf(space)), '\\u0020');
    for (let i = 0; i < entry.value.length; i++) {
      const src = text.slice(entry.valueMap.startOf(i), entry.valueMap.endOf(i));
      assert.ok(src === entry.value[i] || src.startsWith('\\'), `char ${i} maps to ${JSON.stringify(src)}`);
    }
  });

  it('records raw key and value ranges and the logical line extent', () => {
    const text = '  key = value \\\n  more\nnext=1';
    const [entry] = readProperties(text).entries;
    assert.strictEqual(text.slice(entry.keyStart, entry.keyEnd), 'key');
    assert.strictEqual(text.slice(entry.valueStart, entry.valueEnd), 'value \\\n  more');
    assert.strictEqual(text.slice(entry.start, entry.end), 'key = value \\\n  more');
    assert.strictEqual(entry.value, 'value more');
  });

  it('yields an empty key and value for a lone continuation backslash at the end, like Java', () => {
    assert.deepStrictEqual(pairs('a=1\n\\'), [
      ['a', '1'],
      ['', ''],
    ]);
  });

  it('handles a line that is only a backslash followed by a comment-looking line', () => {
    assert.deepStrictEqual(pairs('\\\n#x\na=1'), [['a', '1']]);
  });
});
