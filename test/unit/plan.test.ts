import * as assert from 'assert';
import * as fc from 'fast-check';
import { analyzeProperties } from '../../src/core/properties/analyze';
import { awsOf } from '../../src/core/rules/analysis';
import { CLASS_LINE, planAwsSecret } from '../../src/core/edits/awsSecretPlan';
import { readProperties } from '../../src/core/properties/reader';
import { reviewRows } from '../../src/core/edits/review';

const TARGET = { region: 'ap-southeast-2', secretId: 'bitbucket/prod/db', secretPointer: '/password' };
const PW = 'jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"bitbucket/prod/db","secretPointer":"/password"}';

function apply(text: string, options = {}): string {
  const plan = planAwsSecret(text, TARGET, options);
  assert.strictEqual(plan.kind, 'edits');
  return plan.kind === 'edits' ? plan.newText : '';
}

/** The file after the plan: Bitbucket would resolve exactly the target, and nothing is reported as an error. */
function assertCorrect(text: string): void {
  const a = analyzeProperties(text, { fileName: 'bitbucket.properties' });
  assert.deepStrictEqual(
    a.findings.filter((f) => f.severity === 'error').map((f) => f.code),
    [],
  );
  const ref = a.references.find((r) => r.key === 'jdbc.password');
  assert.deepStrictEqual(ref && awsOf(ref), TARGET);
  assert.strictEqual(a.cipher?.className, 'com.atlassian.secrets.store.aws.AwsSecretsManagerStore');
}

describe('the AWS secret edit planner', () => {
  const cases: Array<[string, string, string]> = [
    ['an empty file', '', `${CLASS_LINE}\n${PW}\n`],
    ['no entries yet', '# Bitbucket\nserver.port=7990\n', `# Bitbucket\nserver.port=7990\n${CLASS_LINE}\n${PW}\n`],
    ['a plaintext password', 'jdbc.user=bb\njdbc.password=hunter2\nserver.port=7990\n', `jdbc.user=bb\n${CLASS_LINE}\n${PW}\nserver.port=7990\n`],
    ['a password on continuation lines', 'jdbc.password=hun\\\n    ter2\nx=1\n', `${CLASS_LINE}\n${PW}\nx=1\n`],
    [
      'the legacy decrypter property',
      'jdbc.password.decrypter.classname=com.atlassian.db.config.password.ciphers.base64.Base64Cipher\njdbc.password=c2VjcmV0\n',
      `${CLASS_LINE}\n${PW}\n`,
    ],
    ['a CRLF file', 'a=1\r\njdbc.password=x\r\n', `a=1\r\n${CLASS_LINE}\r\n${PW}\r\n`],
    ['no final newline', 'a=1\njdbc.password=x', `a=1\n${CLASS_LINE}\n${PW}`],
    ['no final newline and no password', 'a=1', `a=1\n${CLASS_LINE}\n${PW}`],
    ['a duplicate jdbc.password', 'jdbc.password=old\nz=2\njdbc.password=newer\n', `z=2\n${CLASS_LINE}\n${PW}\n`],
    [
      'comments next to the entries',
      '# the database\n# password below\njdbc.password=x\n# end\n',
      `# the database\n# password below\n${CLASS_LINE}\n${PW}\n# end\n`,
    ],
    ['the class already set, another reference', `${CLASS_LINE}\njdbc.password={ENC}{"region":"eu-west-1","secretId":"old"}\n`, `${CLASS_LINE}\n${PW}\n`],
  ];
  for (const [name, input, expected] of cases) {
    it(`writes a correct file for ${name}, and a second run changes nothing`, () => {
      const once = apply(input);
      assert.strictEqual(once, expected);
      assertCorrect(once);
      const twice = planAwsSecret(once, TARGET);
      assert.ok(twice.kind === 'edits' && !twice.changed && twice.edits.length === 0);
    });
  }

  it('asks before replacing another class that other {ENC} values depend on', () => {
    const text =
      'encrypted-property.cipher.classname=com.atlassian.secrets.store.vault.VaultSecretStore\njdbc.password=x\nplugin.token={ENC}{"mount":"secret","path":"p","key":"k","endpoint":"https://v:8200"}\n';
    const plan = planAwsSecret(text, TARGET);
    assert.deepStrictEqual(plan, {
      kind: 'needs-confirmation',
      currentClass: 'com.atlassian.secrets.store.vault.VaultSecretStore',
      dependentKeys: ['plugin.token'],
    });
    const confirmed = planAwsSecret(text, TARGET, { replaceClass: true });
    assert.ok(confirmed.kind === 'edits' && confirmed.replacedClass === 'com.atlassian.secrets.store.vault.VaultSecretStore');
    assert.ok(confirmed.kind === 'edits' && confirmed.newText.startsWith(`${CLASS_LINE}\n${PW}\nplugin.token=`));
  });

  it('writes a plaintext-secret reference without a pointer, and escapes for the properties format', () => {
    const plan = planAwsSecret('', { region: 'eu-west-1', secretId: 'db' });
    assert.ok(plan.kind === 'edits');
    assert.strictEqual(plan.lines[1], 'jdbc.password={ENC}{"region":"eu-west-1","secretId":"db"}');
    const odd = planAwsSecret('', { region: 'eu-west-1', secretId: 'db', secretPointer: '/a"b\\c/é' });
    assert.ok(odd.kind === 'edits');
    const ref = analyzeProperties(odd.newText, { fileName: 'bitbucket.properties' }).references[0];
    assert.strictEqual(awsOf(ref)?.secretPointer, '/a"b\\c/é', 'the product reads back exactly the pointer');
  });

  it('property: every line not owned by the entries stays byte for byte, and applying twice equals once', () => {
    const line = fc.oneof(
      fc.constantFrom('# comment', '! bang', '', '   ', 'server.port=7990', 'a = b', 'k:v', 'x\\\n  y', 'plugin.x={ENC}abc'),
      fc.constantFrom(
        'jdbc.password=hunter2',
        'jdbc.password=a\\\n  b',
        'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore',
      ),
      fc.constantFrom('jdbc.password.decrypter.classname=x.Y', 'jdbc.user=bb', 'jdbc.password={ENC}{"region":"eu-west-1","secretId":"o"}'),
    );
    const file = fc
      .tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
      .map(([ls, eol, final]) => ls.join(eol) + (final && ls.length ? eol : ''));
    const owned = new Set(['jdbc.password', 'encrypted-property.cipher.classname', 'jdbc.password.decrypter.classname']);
    fc.assert(
      fc.property(file, (text) => {
        const plan = planAwsSecret(text, TARGET, { replaceClass: true });
        if (plan.kind !== 'edits') return;
        // Lines of entries we do not own, comments and blank lines, in order, unchanged.
        const keep = (t: string) => {
          const doc = readProperties(t);
          const ownedRanges = doc.entries.filter((e) => owned.has(e.key)).map((e) => [e.start, e.end]);
          const physical = t.split(/\r\n|\n|\r/);
          let offset = 0;
          const kept: string[] = [];
          for (const l of physical) {
            const inside = ownedRanges.some(([s, e]) => offset <= e && offset + l.length >= s && !(l.trim() === '' && offset === e));
            if (!inside && l.trim() !== '') kept.push(l);
            offset += l.length + (t.slice(offset + l.length, offset + l.length + 2) === '\r\n' ? 2 : 1);
          }
          return kept;
        };
        assert.deepStrictEqual(keep(plan.newText), keep(text));
        const again = planAwsSecret(plan.newText, TARGET, { replaceClass: true });
        assert.ok(again.kind === 'edits' && again.newText === plan.newText);
        const a = analyzeProperties(plan.newText, { fileName: 'bitbucket.properties' });
        assert.deepStrictEqual(awsOf(a.references.find((r) => r.key === 'jdbc.password')!), TARGET);
        assert.strictEqual(a.cipher?.className, 'com.atlassian.secrets.store.aws.AwsSecretsManagerStore');
        const ownedDuplicate = a.findings.some((f) => f.code === 'properties-duplicate-key' && owned.has(plan.newText.slice(f.start, f.end)));
        assert.ok(!ownedDuplicate && !a.findings.some((f) => f.code === 'cipher-legacy-property'));
      }),
      { numRuns: 1500, seed: 11 },
    );
  });
});

describe('the review rows (core/edits/review)', () => {
  it('splits each line into its setting and its value, a reference one JSON member per row', () => {
    assert.deepStrictEqual(
      reviewRows([
        'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore',
        'jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:bitbucket/db-AbCdEf","secretPointer":"/password"}',
        '    <property name="hibernate.connection.password">{"region":"eu-west-1","secretId":"bamboo/db"}</property>',
        '<atlassian-password-cipher-provider>com.atlassian.secrets.store.aws.AwsSecretsManagerStore</atlassian-password-cipher-provider>',
        'not a setting line',
      ]),
      [
        { group: 'encrypted-property.cipher.classname =', label: 'com.atlassian.secrets.store.aws.AwsSecretsManagerStore' },
        { group: 'jdbc.password = {ENC} + JSON', label: '"region": "ap-southeast-2"' },
        { group: 'jdbc.password = {ENC} + JSON', label: '"secretId": "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:bitbucket/db-AbCdEf"' },
        { group: 'jdbc.password = {ENC} + JSON', label: '"secretPointer": "/password"' },
        { group: 'hibernate.connection.password = JSON', label: '"region": "eu-west-1"' },
        { group: 'hibernate.connection.password = JSON', label: '"secretId": "bamboo/db"' },
        { group: '<atlassian-password-cipher-provider> =', label: 'com.atlassian.secrets.store.aws.AwsSecretsManagerStore' },
        { group: 'Lines to write', label: 'not a setting line' },
      ],
    );
  });
});
