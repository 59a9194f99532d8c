import * as assert from 'assert';
import * as fc from 'fast-check';
import { analyzeProperties } from '../../src/core/properties/analyze';
import { readProperties } from '../../src/core/properties/reader';
import { Finding } from '../../src/core/diagnostics';
import { AwsReference, quickValidAwsReference, validateAwsObject } from '../../src/core/stores/aws';
import { jsonSyntaxFindings, parseStrictJson } from '../../src/core/stores/json';

const AWS = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n';
const piece = fc.constantFrom(
  '\\',
  '\\\\',
  '\n',
  '\r\n',
  '\r',
  ' ',
  '=',
  ':',
  '#',
  '!',
  '{ENC}',
  '{',
  '}',
  '[',
  ']',
  '"',
  ',',
  '\\u',
  '\\u00',
  'ZZ',
  '"region"',
  '"secretId"',
  '"secretPointer"',
  '"endpointOverride"',
  '"eu-west-1"',
  '"arn:aws:secretsmanager:x"',
  '~',
  '/',
  'jdbc.password=',
  'encrypted-property.cipher.classname=',
  '\u201C',
  '\uD800',
  'é',
);
const adversarial = fc.array(piece, { maxLength: 80 }).map((p) => p.join(''));

describe('robustness (fast-check)', () => {
  it('never throws, and every finding and fix range lies inside the document', () => {
    fc.assert(
      fc.property(adversarial, (body) => {
        for (const text of [body, AWS + 'jdbc.password={ENC}' + body]) {
          const a = analyzeProperties(text, { fileName: 'bitbucket.properties' });
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
      analyzeProperties(text, { fileName: 'bitbucket.properties' });
      readProperties(text);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      // A generous ceiling that only a super-linear blow-up exceeds; budgets proper are in `npm run bench`.
      assert.ok(ms < 5000, `took ${ms} ms for ${text.length} characters`);
    }
  });
});

describe('the fast path for valid AWS references agrees with the full validation', () => {
  /** The full path: jsonc-parser in strict mode, then the AWS rules on the tree. */
  function full(json: string): { findings: Finding[]; ref?: AwsReference } {
    const findings: Finding[] = [];
    const map = (from: number, to: number) => ({ start: from, end: to });
    const parsed = parseStrictJson(json);
    if (
      !jsonSyntaxFindings(
        json,
        parsed,
        map,
        findings,
        () => undefined,
        () => [],
      ) ||
      !parsed.root
    )
      return { findings };
    if (parsed.root.type !== 'object') return { findings: [...findings, { code: 'enc-not-object', severity: 'error', start: 0, end: 0, message: '' }] };
    const ref = validateAwsObject(parsed.root, { json, map, edit: () => [], out: findings });
    return { findings, ref };
  }

  it('returns a reference exactly when jsonc-parser + the AWS rules find nothing, and the same reference', () => {
    const valid = ['"region":"ap-southeast-2"', '"secretId":"db"', '"secretPointer":"/password"'];
    const noise = fc.constantFrom(
      '"region":"eu-wset-1"',
      '"region":"aws-global"',
      '"region":""',
      '"region":1',
      '"secretId":"my secret"',
      '"secretId":"arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:x"',
      '"secretId":"arn:aws:secretsmanager:us-east-1:123456789012:secret:x"',
      '"secretID":"db"',
      '"secretId":"x\\"y"',
      '"secretPointer":"password"',
      '"secretPointer":"/a~2"',
      '"secretPointer":"/a~1b"',
      '"endpointOverride":"http://127.0.0.1:4566"',
      '"x":"y"',
      '"region":"us-east-1"',
      '"secretId":{"a":"b"}',
    );
    const payload = fc
      .tuple(
        fc.shuffledSubarray(valid, { minLength: 1 }),
        fc.option(noise, { freq: 2 }),
        fc.nat(3),
        fc.constantFrom('', '', '', '', ' ', ',', '}', ' /*c*/', '\n'),
      )
      .map(([members, extra, at, tail]) => {
        const all = [...members];
        if (extra !== null) all.splice(Math.min(at, all.length), 0, extra);
        return tail === ',' ? `{${all.join(',')},}` : `{${all.join(',')}}${tail}`;
      });
    let accepted = 0;
    fc.assert(
      fc.property(payload, (json) => {
        const quick = quickValidAwsReference(json);
        if (!quick) return;
        accepted++;
        const { findings, ref } = full(json);
        assert.deepStrictEqual(
          findings.map((f) => f.code),
          [],
          `the fast path accepted ${json}`,
        );
        assert.deepStrictEqual(quick, ref);
      }),
      { numRuns: 4000, seed: 3 },
    );
    assert.ok(accepted > 50, `the generator reaches the fast path (${accepted} times)`);
  });

  it('rejects what the full path reports: duplicates, unknown keys, bad regions, pointers, trailing text', () => {
    for (const json of [
      '{"region":"eu-west-1","region":"eu-west-1","secretId":"x"}',
      '{"region":"eu-west-1","secretID":"x"}',
      '{"region":"eu-wset-1","secretId":"x"}',
      '{"region":"eu-west-1","secretId":"x","secretPointer":"p"}',
      '{"region":"eu-west-1","secretId":"x"} ',
      '{"region":"eu-west-1","secretId":"x"}}',
    ]) {
      const quick = quickValidAwsReference(json);
      const clean = full(json).findings.length === 0;
      assert.ok(!quick || clean, json);
    }
    assert.ok(quickValidAwsReference('{"region":"eu-west-1","secretId":"x"}'));
  });
});
