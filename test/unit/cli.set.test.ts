import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('encprops set-aws-secret', () => {
  let dir: string;
  let file: string;
  const original = '# Bitbucket\r\njdbc.user=bitbucket\r\njdbc.password=hunter2\r\nserver.port=7990\r\n';

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-set-'));
    file = path.join(dir, 'bitbucket.properties');
    fs.writeFileSync(file, original, { mode: 0o640 });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes both entries after a backup, keeps the rest and the file mode, and says what it did', async () => {
    const r = await run(['set-aws-secret', '--region', 'ap-southeast-2', '--secret-id', 'bitbucket/db', '--pointer', 'password', file]);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(
      fs.readFileSync(file, 'utf8'),
      '# Bitbucket\r\njdbc.user=bitbucket\r\nencrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\r\n' +
        'jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"bitbucket/db","secretPointer":"/password"}\r\nserver.port=7990\r\n',
    );
    assert.strictEqual(fs.statSync(file).mode & 0o777, 0o640);
    const backups = fs.readdirSync(dir).filter((f) => f.startsWith('bitbucket.properties.bak-'));
    assert.strictEqual(backups.length, 1);
    assert.strictEqual(fs.readFileSync(path.join(dir, backups[0]), 'utf8'), original);
    assert.match(r.stdout, /backup: .*bak-\d{8}-\d{6}/);
    assert.match(r.stdout, /Restart Bitbucket/);
    assert.ok(!r.stdout.includes('hunter2'));
  });

  it('changes nothing on a second run', async () => {
    await run(['set-aws-secret', '--region', 'ap-southeast-2', '--secret-id', 'bitbucket/db', '--no-backup', file]);
    const after = fs.readFileSync(file, 'utf8');
    const r = await run(['set-aws-secret', '--region', 'ap-southeast-2', '--secret-id', 'bitbucket/db', file]);
    assert.strictEqual(r.code, 0);
    assert.match(r.stdout, /nothing changed/);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), after);
    assert.deepStrictEqual(fs.readdirSync(dir), ['bitbucket.properties']);
  });

  it('exits 2 on bad arguments and leaves the file untouched', async () => {
    for (const args of [
      ['--secret-id', 'db', file],
      ['--region', 'ap-southeast-2', file],
      ['--region', 'sydney', '--secret-id', 'db', file],
      ['--region', 'ap-southeast-2', '--secret-id', 'my secret', file],
      ['--region', 'ap-southeast-2', '--secret-id', 'db', '--pointer', '/a~b', file],
      ['--region', 'ap-southeast-2', '--secret-id', 'db'],
      ['--region', 'ap-southeast-2', '--secret-id', 'db', '--bogus', file],
    ]) {
      const r = await run(['set-aws-secret', ...args]);
      assert.strictEqual(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    }
    assert.strictEqual(fs.readFileSync(file, 'utf8'), original);
    assert.deepStrictEqual(fs.readdirSync(dir), ['bitbucket.properties']);
  });

  it('refuses to replace a class other {ENC} values use, unless told to', async () => {
    const text = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.base64.Base64SecretStore\nplugin.x={ENC}c2VjcmV0\njdbc.password=x\n';
    fs.writeFileSync(file, text);
    const r = await run(['set-aws-secret', '--region', 'eu-west-1', '--secret-id', 'db', file]);
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /--replace-class/);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), text);
    const forced = await run(['set-aws-secret', '--region', 'eu-west-1', '--secret-id', 'db', '--replace-class', '--no-backup', file]);
    assert.strictEqual(forced.code, 0);
    assert.match(forced.stdout, /replaced com\.atlassian\.secrets\.store\.base64\.Base64SecretStore/);
  });

  it('exits 1 and writes nothing when the file cannot be read', async () => {
    const r = await run(['set-aws-secret', '--region', 'eu-west-1', '--secret-id', 'db', path.join(dir, 'missing.properties')]);
    assert.strictEqual(r.code, 1);
    assert.deepStrictEqual(fs.readdirSync(dir), ['bitbucket.properties']);
  });
});

describe('backup names', () => {
  it('never collide within one second', async () => {
    const { backupCandidates } = await import('../../src/core/edits/backup.js');
    const now = new Date(2026, 10, 26, 2, 45, 0);
    const names = backupCandidates('/x/bitbucket.properties', now);
    const taken = [names.next().value, names.next().value, names.next().value];
    assert.deepStrictEqual(taken, [
      '/x/bitbucket.properties.bak-20261126-024500',
      '/x/bitbucket.properties.bak-20261126-024500-2',
      '/x/bitbucket.properties.bak-20261126-024500-3',
    ]);
  });
});

describe('encprops set-aws-secret on a product XML file', () => {
  it('writes Jira’s own elements, with a backup', async () => {
    const fs = await import('fs');
    const os = await import('os');
    const path = await import('path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-set-xml-'));
    try {
      const file = path.join(dir, 'dbconfig.xml');
      fs.writeFileSync(file, '<jira-database-config>\n  <jdbc-datasource>\n    <password>hunter2</password>\n  </jdbc-datasource>\n</jira-database-config>\n');
      let out = '';
      const code = await main(['set-aws-secret', '--region', 'eu-west-1', '--secret-id', 'jira/db', file], {
        stdout: (t) => (out += t),
        stderr: (t) => (out += t),
      });
      assert.strictEqual(code, 0, out);
      assert.strictEqual(
        fs.readFileSync(file, 'utf8'),
        '<jira-database-config>\n  <jdbc-datasource>\n    <atlassian-password-cipher-provider>com.atlassian.secrets.store.aws.AwsSecretsManagerStore</atlassian-password-cipher-provider>\n    <password>{"region":"eu-west-1","secretId":"jira/db"}</password>\n  </jdbc-datasource>\n</jira-database-config>\n',
      );
      assert.ok(fs.readdirSync(dir).some((f) => f.startsWith('dbconfig.xml.bak-')));
      const broken = path.join(dir, 'crowd.cfg.xml');
      fs.writeFileSync(broken, '<application-configuration><properties></application-configuration>');
      assert.strictEqual(
        await main(['set-aws-secret', '--region', 'eu-west-1', '--secret-id', 'x', broken], { stdout: () => undefined, stderr: () => undefined }),
        1,
      );
      assert.strictEqual(fs.readFileSync(broken, 'utf8'), '<application-configuration><properties></application-configuration>');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the canary scan used by the harness', () => {
  it('finds a value in UTF-8 and UTF-16 files, in nested folders, and nothing else', async () => {
    const fs = await import('fs');
    const os = await import('os');
    const path = await import('path');
    const { filesContaining } = await import('../harness/leaks.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-leaks-'));
    try {
      fs.mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'a', 'log.txt'), 'x CANARY-123 y');
      fs.writeFileSync(path.join(dir, 'a', 'b', 'state.bin'), Buffer.from('..CANARY-123..', 'utf16le'));
      fs.writeFileSync(path.join(dir, 'clean.txt'), 'nothing here');
      assert.deepStrictEqual(
        filesContaining(dir, 'CANARY-123')
          .map((f: string) => path.relative(dir, f))
          .sort(),
        ['a/b/state.bin', 'a/log.txt'],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
