/** What a person notices first (#23): the rough edges of the editor and the CLI, each with its test. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { localAws, runCli } from '../support/cli';
import { pathToFileURL } from 'url';
import { analyzeFile } from '../../src/core/analyzeFile';
import { applyEdits } from '../../src/core/edits/applyEdits';
import { fixAllEdits } from '../../src/core/language/fixAll';
import { lastVerifyMarkdown } from '../../src/core/language/lastVerify';
import { classifyError } from '../../src/core/verify/awsErrors';
import { secretIdSite, secretNameEntries } from '../../src/core/language/completion';

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

describe('the CLI as a person reads it', () => {
  const aws = localAws('encprops-rough-');

  it('--flag=value works for every option; an unknown profile is a usage error naming it; verify names the errors of a reference it did not try', async () => {
    const file = path.join(aws.dir(), 'bitbucket.properties');
    fs.writeFileSync(file, 'jdbc.password=x\n');
    const set = await runCli(['set-aws-secret', '--region=eu-west-1', '--secret-id=app/db', '--pointer=/password', '--no-backup', file]);
    assert.strictEqual(set.code, 0, set.stderr);
    const profile = await runCli(['verify', '--profile=nosuch', file]);
    assert.strictEqual(profile.code, 2);
    assert.match(profile.stderr, /no AWS profile "nosuch"/);
    fs.writeFileSync(file, `${AWS}jdbc.password={ENC}{"regoin":"eu-west-1","secretId":"db"}\n`);
    const v = await runCli(['verify', file]);
    assert.strictEqual(v.code, 1);
    assert.match(v.stdout, /Not tried, the reference has 1 error\(s\): \[aws-unknown-key\] "regoin" is not a key/);
    assert.doesNotMatch(v.stdout, /pick a profile/);
  });

  it('SARIF: every rule with a description, markdown help and a help URI; locations relative to %SRCROOT% with originalUriBaseIds', async () => {
    const dir = path.join(aws.dir(), 'repo', 'shared');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'bitbucket.properties'), `${AWS}jdbc.password={ENC}{"regoin":"eu-west-1","secretId":"db"}\n`);
    const r = await runCli(['check', '--format', 'sarif', path.join(aws.dir(), 'repo')]);
    const sarif = JSON.parse(r.stdout) as {
      runs: {
        tool: { driver: { rules: { id: string; fullDescription?: { text: string }; help?: { markdown: string }; helpUri?: string }[] } };
        originalUriBaseIds?: Record<string, { uri: string }>;
        results: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }[];
      }[];
    };
    const run = sarif.runs[0];
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.fullDescription?.text && rule.help?.markdown, rule.id);
      assert.match(rule.helpUri ?? '', new RegExp(`#${rule.id}$`));
    }
    assert.deepStrictEqual(run.results[0].locations[0].physicalLocation.artifactLocation, { uri: 'shared/bitbucket.properties', uriBaseId: 'SRCROOT' });
    assert.strictEqual(run.originalUriBaseIds?.SRCROOT.uri, `${pathToFileURL(path.join(aws.dir(), 'repo')).href}/`);
  });
});

describe("Jira's cipher element outside <jdbc-datasource>", () => {
  it('is named as misplaced (a warning), the JSON is still checked, and the fix moves it where Jira reads it', () => {
    const text =
      '<jira-database-config>\n  <atlassian-password-cipher-provider>com.atlassian.secrets.store.aws.AwsSecretsManagerStore</atlassian-password-cipher-provider>\n  <jdbc-datasource>\n    <password>{"region":"eu-west-1","secretId":"db",}</password>\n  </jdbc-datasource>\n</jira-database-config>\n';
    const a = analyzeFile(text, { fileName: 'dbconfig.xml' });
    assert.deepStrictEqual(
      a.findings.map((f) => [f.code, f.severity]),
      [
        ['xml-misplaced-element', 'warning'],
        ['enc-json-syntax', 'error'],
      ],
    );
    const move = a.findings[0].fixes![0];
    const moved = applyEdits(text, move.edits);
    assert.strictEqual(
      moved,
      '<jira-database-config>\n  <jdbc-datasource>\n    <password>{"region":"eu-west-1","secretId":"db",}</password>\n    <atlassian-password-cipher-provider>com.atlassian.secrets.store.aws.AwsSecretsManagerStore</atlassian-password-cipher-provider>\n  </jdbc-datasource>\n</jira-database-config>\n',
    );
    assert.deepStrictEqual(
      analyzeFile(moved, { fileName: 'dbconfig.xml' }).findings.map((f) => f.code),
      ['enc-json-syntax'],
    );
  });
});

describe('the hover of a verified reference', () => {
  const base = { store: 'aws' as const, region: 'eu-west-1', secretId: 'app/db', checkedAt: '2026-12-07T01:02:03Z' };

  it('says the verdict first, then the details: the ARN a console link, the endpoint, one local time format with its zone', () => {
    const md = lastVerifyMarkdown(
      {
        ...base,
        code: 'ok',
        message: 'Resolved · key/value · /password',
        shape: 'key/value',
        secretPointer: '/password',
        metadata: { arn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-AbCdEf', lastChangedDate: '2026-11-30T10:00:00Z' },
      },
      undefined,
      false,
    );
    const lines = md.split('\n');
    assert.strictEqual(lines[0], '**Resolved · key/value · /password**');
    assert.match(
      md,
      /\| ARN \| \[arn:aws:secretsmanager:eu-west-1:123456789012:secret:app\/db-AbCdEf\]\(https:\/\/eu-west-1\.console\.aws\.amazon\.com\/secretsmanager\/secret\?name=app%2Fdb&region=eu-west-1\) \|/,
    );
    assert.match(md, /\| Endpoint \| https:\/\/secretsmanager\.eu-west-1\.amazonaws\.com \|/);
    for (const row of ['Last changed', 'Checked']) assert.match(md, new RegExp(`\\| ${row} \\| [^|]*(UTC|GMT)[^|]*\\|`), row);
    assert.doesNotMatch(md, /T\d\d:\d\d:\d\dZ/, 'no raw UTC');
  });

  it('a failure: its verdict and what to do, before any detail; no console link outside the commercial partition', () => {
    const md = lastVerifyMarkdown(
      {
        ...base,
        region: 'us-gov-west-1',
        code: 'not-found',
        message: 'No secret app/db in us-gov-west-1. Check the name.',
        metadata: { arn: 'arn:aws-us-gov:secretsmanager:us-gov-west-1:1:secret:x-AbCdEf' },
      },
      undefined,
      false,
    );
    assert.match(md.split('\n')[0], /^\*\*Not found in us-gov-west-1\*\* — No secret app\/db in us-gov-west-1\. Check the name\.$/);
    assert.match(md, /\| ARN \| arn:aws-us-gov:secretsmanager:us-gov-west-1:1:secret:x-AbCdEf \|/);
  });
});

describe('messages in words, not the SDK class names', () => {
  it('an error the classifier does not know is said in words', () => {
    const { message } = classifyError(
      { name: 'ResourceExistsException', message: 'The operation failed because the secret jira/database already exists.', $metadata: { httpStatusCode: 400 } },
      { region: 'eu-west-1', secretId: 'jira/database' },
    );
    assert.strictEqual(message, 'Secrets Manager answered "resource exists" (HTTP 400): The operation failed because the secret jira/database already exists.');
    assert.doesNotMatch(message, /Exception/);
  });
});

describe('where secret names are completed', () => {
  it('in the secretId string of an AWS reference with a known region, replacing the whole string; nowhere else', () => {
    const text = `${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretId":"ap"}\n`;
    const a = analyzeFile(text, { fileName: 'bitbucket.properties' });
    const inside = text.indexOf('"ap"') + 2;
    const site = secretIdSite(a, inside)!;
    assert.strictEqual(site.region, 'eu-west-1');
    assert.strictEqual(text.slice(site.start, site.end), '"ap"');
    const [entry] = secretNameEntries(site, [{ name: 'app/db', description: 'the database' }]);
    assert.deepStrictEqual([entry.label, entry.insertText, entry.documentation], ['app/db', '"app/db"', 'the database']);
    assert.strictEqual(secretIdSite(a, text.indexOf('"eu-west-1"') + 2), undefined, 'not in the region');
    const unknown = `${AWS}jdbc.password={ENC}{"region":"mars-1","secretId":"ap"}\n`;
    assert.strictEqual(
      secretIdSite(analyzeFile(unknown, { fileName: 'bitbucket.properties' }), unknown.indexOf('"ap"') + 2),
      undefined,
      'not without a known region',
    );
  });
});
