import * as assert from 'assert';
import * as fc from 'fast-check';
import { isScalar, parseDocument, Document, Scalar } from 'yaml';
import { decodeScalar, escapeScalar, ScalarStyle } from '../../src/core/containers/yamlScalar';
import { readEnvFile, escapeEnvValue } from '../../src/core/containers/envFile';

const STYLES: ScalarStyle[] = ['PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'];
const alphabet = fc.constantFrom(...'ab {}[]":,\'\\/~#-é€\t\n'.split(''), 'x', 'y', 'region', 'secretId', ' ');

/** Every decoded character from a one-character source is that character: the map and the text agree. */
function assertMapAgrees(text: string, value: string, map: ReturnType<typeof decodeScalar>['map']): void {
  for (let k = 0; k < value.length; k++) {
    const from = map.startOf(k);
    const to = map.endOf(k);
    assert.ok(from >= 0 && to <= text.length && from < to, `char ${k} maps inside the document`);
    if (to - from === 1 && /[^\s'"\\]/.test(value[k])) assert.strictEqual(text[from], value[k], `char ${k} of ${JSON.stringify(value)}`);
  }
}

describe('YAML scalars with source maps (core/containers/yamlScalar)', () => {
  it('decodes every quoting style as the yaml library does, and maps each character back to the document (property)', () => {
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 40 }).map((a) => a.join('')),
        fc.constantFrom(...STYLES),
        fc.constantFrom(0, 24),
        (value, style, lineWidth) => {
          const doc = new Document({ services: { app: { environment: { ATL_JDBC_PASSWORD: value } } } });
          const node = doc.getIn(['services', 'app', 'environment', 'ATL_JDBC_PASSWORD'], true) as Scalar;
          node.type = style;
          const text = doc.toString({ lineWidth });
          const parsed = parseDocument(text);
          const scalar = parsed.getIn(['services', 'app', 'environment', 'ATL_JDBC_PASSWORD'], true);
          if (!isScalar(scalar) || !scalar.range || typeof scalar.value !== 'string') return;
          const decoded = decodeScalar(text, scalar.range[0], scalar.range[1], scalar.type as ScalarStyle);
          assert.strictEqual(decoded.value, scalar.value, `${scalar.type} in\n${text}`);
          assertMapAgrees(text, decoded.value, decoded.map);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('lands on the exact characters of a double-quoted JSON reference, and writes a fix back in that style', () => {
    const text = 'environment:\n  ATL_JDBC_PASSWORD: "{\\"region\\":\\"ap-sotheast-2\\"}"\n';
    const doc = parseDocument(text);
    const scalar = doc.getIn(['environment', 'ATL_JDBC_PASSWORD'], true) as Scalar;
    const { value, map } = decodeScalar(text, scalar.range![0], scalar.range![1], 'QUOTE_DOUBLE');
    assert.strictEqual(value, '{"region":"ap-sotheast-2"}');
    const from = value.indexOf('ap-sotheast-2') - 1;
    const range = map.range(from, from + '"ap-sotheast-2"'.length);
    assert.strictEqual(text.slice(range.start, range.end), '\\"ap-sotheast-2\\"');
    const fixed = text.slice(0, range.start) + escapeScalar('"ap-southeast-2"', 'QUOTE_DOUBLE') + text.slice(range.end);
    assert.strictEqual(parseDocument(fixed).getIn(['environment', 'ATL_JDBC_PASSWORD']), '{"region":"ap-southeast-2"}');
  });
});

describe("Compose's env file format (core/containers/envFile)", () => {
  it('reads names, export, comments and each quoting style, with maps back to the text', () => {
    const text = [
      '# comment',
      'export ATL_JDBC_SECRET_CLASS=com.atlassian.secrets.store.aws.AwsSecretsManagerStore # the store',
      'ATL_JDBC_PASSWORD=\'{"region":"eu-west-1","secretId":"jira/db"}\'',
      'JDBC_PASSWORD="{\\"region\\":\\"eu-west-1\\"}" # quoted',
      'PLAIN=a#b',
      'EMPTY=',
      '',
    ].join('\n');
    const vars = readEnvFile(text);
    assert.deepStrictEqual(
      vars.map((v) => [v.key, v.value, v.quote]),
      [
        ['ATL_JDBC_SECRET_CLASS', 'com.atlassian.secrets.store.aws.AwsSecretsManagerStore', 'none'],
        ['ATL_JDBC_PASSWORD', '{"region":"eu-west-1","secretId":"jira/db"}', 'single'],
        ['JDBC_PASSWORD', '{"region":"eu-west-1"}', 'double'],
        ['PLAIN', 'a#b', 'none'],
        ['EMPTY', '', 'none'],
      ],
    );
    for (const v of vars) assertMapAgrees(text, v.value, v.valueMap);
    const jdbc = vars[2];
    const r = jdbc.valueMap.range(jdbc.value.indexOf('"eu-west-1"'), jdbc.value.indexOf('"eu-west-1"') + 11);
    assert.strictEqual(text.slice(r.start, r.end), '\\"eu-west-1\\"');
  });

  it('reads back exactly what it writes, in every quoting style (property)', () => {
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 30 }).map((a) => a.join('').replace(/[\n\t]/g, ' ')),
        fc.constantFrom<'single' | 'double'>('single', 'double'),
        (raw, quote) => {
          // In single quotes \' is a quote, so a backslash cannot be written there: the writer keeps double quotes for it.
          const value = quote === 'single' ? raw.replace(/\\/g, '/') : raw;
          const q = quote === 'double' ? '"' : "'";
          const text = `NAME=${q}${escapeEnvValue(value, quote)}${q}\n`;
          const [v] = readEnvFile(text);
          assert.strictEqual(v.value, value, text);
          assertMapAgrees(text, v.value, v.valueMap);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
