import * as assert from 'assert';
import { analyzeProperties } from '../../src/core/properties/analyze';
import { awsOf } from '../../src/core/rules/analysis';
import { Finding } from '../../src/core/diagnostics';

const AWS = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n';
const GOOD = '{"region":"ap-southeast-2","secretId":"mySecretId","secretPointer":"/password"}';

function run(text: string, fileName = 'bitbucket.properties'): { findings: readonly Finding[]; text: string } {
  return { findings: analyzeProperties(text, { fileName }).findings, text };
}

function codes(text: string, fileName?: string): string[] {
  return run(text, fileName).findings.map((f) => f.code);
}

/** The one finding with `code`, and the document text it covers. */
function one(text: string, code: string): { finding: Finding; covered: string } {
  const { findings } = run(text);
  const matching = findings.filter((f) => f.code === code);
  assert.strictEqual(matching.length, 1, `expected one ${code}, got ${JSON.stringify(findings.map((f) => f.code))}`);
  return { finding: matching[0], covered: text.slice(matching[0].start, matching[0].end) };
}

/** Applies the finding's preferred (or first) fix. */
function applyFix(text: string, finding: Finding, index?: number): string {
  const fix = index !== undefined ? finding.fixes![index] : (finding.fixes!.find((f) => f.isPreferred) ?? finding.fixes![0]);
  assert.ok(fix, 'the finding has a fix');
  const edits = [...fix.edits].sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

describe('Bitbucket analysis', () => {
  it('accepts the documented example with no findings and reports the reference', () => {
    const a = analyzeProperties(`${AWS}jdbc.password={ENC}${GOOD}\n`, { fileName: 'bitbucket.properties' });
    assert.deepStrictEqual(a.findings, []);
    assert.strictEqual(a.references.length, 1);
    assert.deepStrictEqual(awsOf(a.references[0]), { region: 'ap-southeast-2', secretId: 'mySecretId', secretPointer: '/password' });
    assert.strictEqual(a.references[0].valid, true);
    assert.strictEqual(a.cipher?.type, 'aws');
  });

  it('accepts the page example with a space after the comma', () => {
    assert.deepStrictEqual(codes(`${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"mySecretId", "secretPointer": "/password"}`), []);
  });

  it('ignores unrelated properties files', () => {
    assert.deepStrictEqual(codes('jdbc.password=plain\na=\\u12', 'application.properties'), []);
  });

  it('properties-malformed-unicode: error on the bad escape', () => {
    const { finding, covered } = one(`${AWS}jdbc.password={ENC}${GOOD}\nx=\\uZZZZ\n`, 'properties-malformed-unicode');
    assert.strictEqual(finding.severity, 'error');
    assert.strictEqual(covered, '\\uZ');
  });

  it('properties-duplicate-key: warning on the earlier key; the fix removes its whole lines', () => {
    const text = `${AWS}jdbc.password=old\\\n  continued\njdbc.password={ENC}${GOOD}\n`;
    const { finding, covered } = one(text, 'properties-duplicate-key');
    assert.strictEqual(covered, 'jdbc.password');
    assert.strictEqual(finding.severity, 'warning');
    assert.strictEqual(applyFix(text, finding), `${AWS}jdbc.password={ENC}${GOOD}\n`);
  });

  it('properties-escape-changes-value: \\" inside the JSON; the fix doubles the backslash', () => {
    const text = `${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretId":"a\\"b"}\n`;
    const found = run(text).findings.filter((f) => f.code === 'properties-escape-changes-value');
    assert.strictEqual(found.length, 1);
    assert.strictEqual(text.slice(found[0].start, found[0].end), '\\"');
    const fixed = applyFix(text, found[0]);
    assert.ok(fixed.includes('"a\\\\"b"'));
  });

  it('does not flag \\\\ or line continuations inside the JSON', () => {
    const text = `${AWS}jdbc.password={ENC}{"region":"eu-west-1",\\\n    "secretId":"a\\\\b"}\n`;
    assert.ok(!codes(text).includes('properties-escape-changes-value'), codes(text).join());
  });

  it('enc-json-syntax: missing comma, with the exact range', () => {
    const text = `${AWS}jdbc.password={ENC}{"region":"eu-west-1" "secretId":"x"}\n`;
    const { finding, covered } = one(text, 'enc-json-syntax');
    assert.strictEqual(finding.severity, 'error');
    assert.strictEqual(covered, '"secretId"');
    assert.match(finding.message, /comma/);
  });

  it('enc-json-syntax: lands on the right line across a continuation', () => {
    const text = `${AWS}jdbc.password={ENC}{"region":"eu-west-1",\\\n   "secretId" "x"}\n`;
    const { covered, finding } = one(text, 'enc-json-syntax');
    assert.strictEqual(covered, '"x"');
    assert.ok(finding.start > text.indexOf('\n   "secretId"'));
  });

  it('enc-json-syntax: comments and trailing commas are errors (strict Jackson)', () => {
    assert.ok(codes(`${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretId":"x",}`).includes('enc-json-syntax'));
    assert.ok(codes(`${AWS}jdbc.password={ENC}{"region":"eu-west-1",/*c*/"secretId":"x"}`).includes('enc-json-syntax'));
  });

  it('enc-json-syntax: typographic quotes get a fix that straightens them', () => {
    const text = `${AWS}jdbc.password={ENC}{\u201Cregion\u201D:\u201Ceu-west-1\u201D,\u201CsecretId\u201D:\u201Cx\u201D}\n`;
    const { finding } = one(text, 'enc-json-syntax');
    assert.match(finding.message, /typographic quote/);
    assert.deepStrictEqual(codes(applyFix(text, finding)), []);
  });

  it('enc-json-trailing: a warning (Jackson stops after the object), with a fix that removes the rest', () => {
    for (const rest of ['}', '#', 'x', '//', '/* old */', '\\u0000', ' {"a":1}', '/*']) {
      const text = `${AWS}jdbc.password={ENC}${GOOD}${rest}\n`;
      const { finding } = one(text, 'enc-json-trailing');
      assert.strictEqual(finding.severity, 'warning', rest);
      assert.match(finding.message, /Jackson stops reading after the object/);
      assert.deepStrictEqual(codes(applyFix(text, finding)), [], rest);
    }
  });

  it('enc-not-object: valid JSON that is not an object', () => {
    const { finding, covered } = one(`${AWS}jdbc.password={ENC}["eu-west-1"]\n`, 'enc-not-object');
    assert.strictEqual(finding.severity, 'error');
    assert.strictEqual(covered, '["eu-west-1"]');
  });

  it('enc-without-cipher: error on the {ENC} marker; the fix inserts the AWS class line', () => {
    const text = `# db\njdbc.password={ENC}${GOOD}\n`;
    const { finding, covered } = one(text, 'enc-without-cipher');
    assert.strictEqual(covered, '{ENC}');
    assert.strictEqual(applyFix(text, finding), `# db\n${AWS}jdbc.password={ENC}${GOOD}\n`);
  });

  it('cipher-without-enc: warning on the class property', () => {
    const { finding, covered } = one(`${AWS}jdbc.password=plain\n`, 'cipher-without-enc');
    assert.strictEqual(covered, 'encrypted-property.cipher.classname');
    assert.strictEqual(finding.severity, 'warning');
  });

  it('cipher-legacy-property: warning; the fix renames the key', () => {
    const text = `jdbc.password.decrypter.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\njdbc.password={ENC}${GOOD}\n`;
    const { finding } = one(text, 'cipher-legacy-property');
    assert.strictEqual(applyFix(text, finding), `${AWS}jdbc.password={ENC}${GOOD}\n`);
  });

  it('validates a legacy-property password without the {ENC} marker', () => {
    const text = `jdbc.password.decrypter.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\njdbc.password={"region":"eu-west-1"}\n`;
    assert.deepStrictEqual(codes(text), ['aws-missing-key']);
  });

  it('cipher-custom: info for a class that is not in the table', () => {
    const { finding } = one(`encrypted-property.cipher.classname=com.example.MyStore\njdbc.password={ENC}abc\n`, 'cipher-custom');
    assert.strictEqual(finding.severity, 'info');
  });

  it('cipher-class-typo: a near miss of a shipped class gets a fix', () => {
    const text = `encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretManagerStore\njdbc.password={ENC}${GOOD}\n`;
    const { finding } = one(text, 'cipher-class-typo');
    assert.deepStrictEqual(codes(applyFix(text, finding)), []);
  });

  it('cipher-value-mismatch: AWS class, value not JSON', () => {
    const { finding } = one(`${AWS}jdbc.password={ENC}c2VjcmV0\n`, 'cipher-value-mismatch');
    assert.strictEqual(finding.severity, 'error');
  });

  it('cipher-value-mismatch: Base64 class, value not Base64 (and the legacy Base64Cipher name)', () => {
    for (const cls of ['com.atlassian.secrets.store.base64.Base64SecretStore', 'com.atlassian.db.config.password.ciphers.base64.Base64Cipher']) {
      assert.deepStrictEqual(codes(`encrypted-property.cipher.classname=${cls}\njdbc.password={ENC}c2VjcmV0\n`), ['base64-obfuscation']);
      assert.deepStrictEqual(codes(`encrypted-property.cipher.classname=${cls}\njdbc.password={ENC}not base64!\n`), ['cipher-value-mismatch']);
    }
  });

  it('plaintext-password: warning only in bitbucket.properties', () => {
    const { covered } = one('jdbc.url=x\njdbc.password=hunter2\n', 'plaintext-password');
    assert.strictEqual(covered, 'hunter2');
    assert.deepStrictEqual(codes('jdbc.password=hunter2\n', 'other.properties'), []);
  });

  it('aws-missing-key: region or secretId absent', () => {
    const { finding } = one(`${AWS}jdbc.password={ENC}{"region":"eu-west-1"}\n`, 'aws-missing-key');
    assert.match(finding.message, /"secretId"/);
  });

  it('aws-unknown-key: suggests the nearest key (secretID → secretId) and does not also report it missing', () => {
    const text = `${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretID":"x"}\n`;
    assert.deepStrictEqual(codes(text), ['aws-unknown-key']);
    const { finding, covered } = one(text, 'aws-unknown-key');
    assert.strictEqual(covered, '"secretID"');
    assert.match(finding.message, /Did you mean "secretId"/);
    assert.deepStrictEqual(codes(applyFix(text, finding)), []);
  });

  it('aws-unknown-key: a key with no near miss lists the allowed keys', () => {
    const { finding } = one(`${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretId":"x","profile":"dev"}\n`, 'aws-unknown-key');
    assert.match(finding.message, /Use only "region", "secretId"/);
    assert.strictEqual(finding.fixes, undefined);
  });

  it('aws-value-type: Jackson coerces numbers and booleans (warning, quoting fix); null is absent; objects and empty required values fail', () => {
    const text = `${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretId":12345}\n`;
    const { finding, covered } = one(text, 'aws-value-type');
    assert.strictEqual(covered, '12345');
    assert.strictEqual(finding.severity, 'warning');
    assert.match(finding.message, /Jackson reads 12345 as the text "12345"/);
    assert.deepStrictEqual(codes(applyFix(text, finding)), []);
    const severity = (json: string) => run(`${AWS}jdbc.password={ENC}${json}`).findings.map((f) => `${f.code}:${f.severity}`);
    assert.deepStrictEqual(severity('{"region":"","secretId":"x"}'), ['aws-value-type:error']);
    assert.deepStrictEqual(severity('{"region":"eu-west-1","secretId":"x","secretPointer":true}'), ['aws-value-type:warning', 'aws-pointer-no-slash:warning']);
    assert.deepStrictEqual(severity('{"region":"eu-west-1","secretId":"x","secretPointer":null}'), ['aws-value-type:hint']);
    assert.deepStrictEqual(severity('{"region":"eu-west-1","secretId":null}'), ['aws-value-type:error']);
    assert.deepStrictEqual(severity('{"region":"eu-west-1","secretId":{"a":1}}'), ['aws-value-type:error']);
    assert.deepStrictEqual(severity('{"region":"eu-west-1","secretId":"x","secretPointer":""}'), ['aws-value-type:warning']);
  });

  it('aws-region-invalid and aws-region-unknown, with the nearest known region as the fix', () => {
    const invalid = `${AWS}jdbc.password={ENC}{"region":"ap-sotheast-2","secretId":"x"}\n`;
    assert.deepStrictEqual(codes(invalid), ['aws-region-unknown']);
    const bad = `${AWS}jdbc.password={ENC}{"region":"sydney","secretId":"x"}\n`;
    assert.deepStrictEqual(codes(bad), ['aws-region-invalid']);
    const typo = `${AWS}jdbc.password={ENC}{"region":"eu-wset-1","secretId":"x"}\n`;
    const { finding } = one(typo, typo.includes('eu-wset') ? codes(typo)[0] : '');
    assert.deepStrictEqual(codes(applyFix(typo, finding)), []);
    const unknown = `${AWS}jdbc.password={ENC}{"region":"ap-southeast-22","secretId":"x"}\n`;
    const u = one(unknown, 'aws-region-unknown');
    assert.strictEqual(u.finding.severity, 'warning');
    assert.strictEqual(applyFix(unknown, u.finding), `${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"x"}\n`);
  });

  it('rejects pseudo-regions such as aws-global', () => {
    assert.deepStrictEqual(codes(`${AWS}jdbc.password={ENC}{"region":"aws-global","secretId":"x"}`), ['aws-region-invalid']);
  });

  it('aws-secret-id-invalid: bad characters and names over 512 characters', () => {
    assert.deepStrictEqual(codes(`${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretId":"my secret"}`), ['aws-secret-id-invalid']);
    assert.deepStrictEqual(codes(`${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretId":"${'a'.repeat(513)}"}`), ['aws-secret-id-invalid']);
    assert.deepStrictEqual(codes(`${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretId":"prod/db_pass+1=@.-"}`), []);
  });

  it('aws-arn-invalid and aws-arn-region-mismatch', () => {
    assert.deepStrictEqual(codes(`${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretId":"arn:aws:s3:::bucket"}`), ['aws-arn-invalid']);
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';
    assert.deepStrictEqual(codes(`${AWS}jdbc.password={ENC}{"region":"us-east-1","secretId":"${arn}"}`), []);
    const text = `${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretId":"${arn}"}\n`;
    const { finding } = one(text, 'aws-arn-region-mismatch');
    assert.deepStrictEqual(codes(applyFix(text, finding)), []);
    const cn = 'arn:aws-cn:secretsmanager:us-east-1:123456789012:secret:x';
    assert.deepStrictEqual(codes(`${AWS}jdbc.password={ENC}{"region":"us-east-1","secretId":"${cn}"}`), ['aws-arn-region-mismatch']);
  });

  it('aws-pointer-no-slash: warning; the fix prepends /', () => {
    const text = `${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretId":"x","secretPointer":"password"}\n`;
    const { finding, covered } = one(text, 'aws-pointer-no-slash');
    assert.strictEqual(covered, '"password"');
    assert.strictEqual(finding.severity, 'warning');
    assert.deepStrictEqual(codes(applyFix(text, finding)), []);
  });

  it('aws-pointer-invalid: ~ not followed by 0 or 1 (a warning: Jackson reads it leniently)', () => {
    const text = `${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretId":"x","secretPointer":"/a~b"}\n`;
    const { covered, finding } = one(text, 'aws-pointer-invalid');
    assert.strictEqual(covered, '~b');
    assert.strictEqual(finding.severity, 'warning');
    assert.deepStrictEqual(codes(`${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretId":"x","secretPointer":"/a~1b~0"}`), []);
  });

  it('aws-endpoint-invalid: not an absolute http(s) URI', () => {
    assert.deepStrictEqual(codes(`${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretId":"x","endpointOverride":"localhost:4566"}`), [
      'aws-endpoint-invalid',
    ]);
    assert.deepStrictEqual(codes(`${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretId":"x","endpointOverride":"http://127.0.0.1:4566"}`), []);
  });

  it('enc-json-duplicate-key: the earlier duplicate is ignored by the product', () => {
    assert.deepStrictEqual(codes(`${AWS}jdbc.password={ENC}{"region":"eu-west-1","region":"eu-west-1","secretId":"x"}`), ['enc-json-duplicate-key']);
  });

  it('enc-non-password-key: {ENC} on a key other than jdbc.password is a warning (unconfirmed)', () => {
    const { finding } = one(`${AWS}jdbc.password={ENC}${GOOD}\nplugin.secret={ENC}${GOOD}\n`, 'enc-non-password-key');
    assert.strictEqual(finding.severity, 'warning');
  });

  it('cipher-whitespace: trailing whitespace after the class name', () => {
    const text = `encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore  \njdbc.password={ENC}${GOOD}\n`;
    const { finding } = one(text, 'cipher-whitespace');
    assert.deepStrictEqual(codes(applyFix(text, finding)), []);
  });

  it('keeps CRLF line endings in inserted lines', () => {
    const text = `# db\r\njdbc.password={ENC}${GOOD}\r\n`;
    const { finding } = one(text, 'enc-without-cipher');
    assert.ok(applyFix(text, finding).includes('AwsSecretsManagerStore\r\njdbc.password'));
  });
});
