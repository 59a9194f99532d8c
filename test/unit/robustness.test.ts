import * as assert from 'assert';
import * as fc from 'fast-check';
import { analyze } from '../../src/core/bitbucket/analyze';
import { readProperties } from '../../src/core/properties/reader';

const AWS = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n';
const piece = fc.constantFrom(
  '\\', '\\\\', '\n', '\r\n', '\r', ' ', '=', ':', '#', '!', '{ENC}', '{', '}', '[', ']', '"', ',', '\\u', '\\u00', 'ZZ',
  '"region"', '"secretId"', '"secretPointer"', '"endpointOverride"', '"eu-west-1"', '"arn:aws:secretsmanager:x"', '~', '/',
  'jdbc.password=', 'encrypted-property.cipher.classname=', '\u201C', '\uD800', 'é',
);
const adversarial = fc.array(piece, { maxLength: 80 }).map((p) => p.join(''));

describe('robustness (fast-check)', () => {
  it('never throws, and every finding and fix range lies inside the document', () => {
    fc.assert(
      fc.property(adversarial, (body) => {
        for (const text of [body, AWS + 'jdbc.password={ENC}' + body]) {
          const a = analyze(text, { fileName: 'bitbucket.properties' });
          for (const f of a.findings) {
            assert.ok(f.start >= 0 && f.start <= f.end && f.end <= text.length, `${f.code} ${f.start}-${f.end} of ${text.length}`);
            for (const fix of f.fixes ?? []) for (const e of fix.edits) assert.ok(e.start >= 0 && e.start <= e.end && e.end <= text.length);
          }
        }
      }),
      { numRuns: 1500, seed: 1 },
    );
  });

  it('stays linear on long backslash runs, deep JSON nesting and 1 MB lines', () => {
    const inputs = [
      'a=' + '\\'.repeat(1_000_001),
      AWS + 'jdbc.password={ENC}' + '['.repeat(50_000) + ']'.repeat(50_000),
      AWS + 'jdbc.password={ENC}' + '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000),
      'jdbc.password={ENC}' + 'x'.repeat(1_000_000),
      ('k=' + '\\\n'.repeat(1000)).repeat(100),
    ];
    for (const text of inputs) {
      const start = process.hrtime.bigint();
      analyze(text, { fileName: 'bitbucket.properties' });
      readProperties(text);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      // A generous ceiling that only a super-linear blow-up exceeds; budgets proper are in `npm run bench`.
      assert.ok(ms < 5000, `took ${ms} ms for ${text.length} characters`);
    }
  });
});
