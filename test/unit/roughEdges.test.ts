/** What a person notices first (#23): the rough edges of the editor and the CLI, each with its test. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../support/cli';
import { analyzeFile } from '../../src/core/analyzeFile';
import { applyEdits } from '../../src/core/edits/applyEdits';
import { fixAllEdits } from '../../src/core/language/fixAll';

const AWS = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n';

describe('quick fixes for the JSON mistakes people make by hand', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['a trailing comma', '{"region":"eu-west-1","secretId":"db",}', /no trailing comma/],
    ['a missing comma', '{"region":"eu-west-1" "secretId":"db"}', /a comma between members/],
    ['single quotes', "{'region':'eu-west-1','secretId':'db'}", /double quotes/],
    ['typographic quotes', '{\u201Cregion\u201D:\u201Ceu-west-1\u201D,\u201CsecretId\u201D:\u201Cdb\u201D}', /straight quotes/],
    ['a missing }', '{"region":"eu-west-1","secretId":"db"', /the closing \}/],
    ['single quotes and a trailing comma', "{'region':'eu-west-1','secretId':'db',}", /double quotes, no trailing comma/],
  ];
  for (const [name, json, title] of cases) {
    it(`${name}: one preferred fix (in fix-all too) that leaves valid JSON`, () => {
      const text = `${AWS}jdbc.password={ENC}${json}\n`;
      const a = analyzeFile(text, { fileName: 'bitbucket.properties' });
      const syntax = a.findings.find((f) => f.code === 'enc-json-syntax');
      assert.ok(syntax, a.findings.map((f) => f.code).join(','));
      assert.strictEqual(syntax.fixes?.length, 1);
      assert.match(syntax.fixes[0].title, title);
      assert.strictEqual(syntax.fixes[0].isPreferred, true);
      const fixed = applyEdits(text, fixAllEdits(a.findings));
      const after = analyzeFile(fixed, { fileName: 'bitbucket.properties' });
      assert.deepStrictEqual(
        after.findings.filter((f) => f.severity === 'error').map((f) => f.code),
        [],
        fixed,
      );
      assert.match(fixed, /jdbc\.password=\{ENC\}\{"region":"eu-west-1", ?"secretId":"db"\}/);
    });
  }

  it('no fix where the mistake is ambiguous (a missing colon, an unclosed string)', () => {
    for (const json of ['{"region" "eu-west-1","secretId":"db"}', '{"region":"eu-west-1,"secretId":"db"}']) {
      const a = analyzeFile(`${AWS}jdbc.password={ENC}${json}\n`, { fileName: 'bitbucket.properties' });
      assert.strictEqual(a.findings.find((f) => f.code === 'enc-json-syntax')?.fixes, undefined, json);
    }
  });
});

describe('encprops check --fix [--dry-run]', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-fix-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('applies the preferred fixes safely, says what it fixed, and exits by what remains; --dry-run changes nothing', async () => {
    const file = path.join(dir, 'bitbucket.properties');
    const text = `# kept\r\n${AWS.trimEnd()}\r\njdbc.password={ENC}{'region':'eu-west-1','secretId':'db',}\r\n`;
    fs.writeFileSync(file, text);
    fs.chmodSync(file, 0o640);
    const dry = await runCli(['check', '--fix', '--dry-run', file]);
    assert.strictEqual(dry.code, 1, 'the error is still there');
    assert.match(dry.stderr, /would fix 1 problem\(s\) in .*bitbucket\.properties: enc-json-syntax/);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), text);
    const fixed = await runCli(['check', '--fix', file]);
    assert.strictEqual(fixed.code, 0, fixed.stdout + fixed.stderr);
    assert.match(fixed.stderr, /fixed 1 problem\(s\) in .*: enc-json-syntax/);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), `# kept\r\n${AWS.trimEnd()}\r\njdbc.password={ENC}{"region":"eu-west-1","secretId":"db"}\r\n`);
    assert.strictEqual(fs.statSync(file).mode & 0o777, 0o640, 'the mode is kept');
    assert.match(fixed.stdout, /0 error\(s\)/);
    const usage = await runCli(['check', '--dry-run', file]);
    assert.strictEqual(usage.code, 2);
  });
});
