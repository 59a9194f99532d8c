import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { checkReport, sarifLog } from '../support/reports';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const AWS = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n';

describe('encprops check', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-cli-'));
    fs.mkdirSync(path.join(dir, 'home', 'shared'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'node_modules', 'x'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'home', 'shared', 'bitbucket.properties'), `${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretID":"db"}\n`);
    fs.writeFileSync(path.join(dir, 'home', 'good.properties'), `${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretId":"db","secretPointer":"/pw"}\n`);
    fs.writeFileSync(path.join(dir, 'home', 'unrelated.properties'), 'a=b\n');
    fs.writeFileSync(path.join(dir, 'node_modules', 'x', 'bitbucket.properties'), 'jdbc.password={ENC}{\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the documented JSON contract and exits 1 on errors', async () => {
    const { code, stdout } = await run(['check', '--format', 'json', path.join(dir, 'home')]);
    assert.strictEqual(code, 1);
    const report = checkReport(stdout);
    assert.strictEqual(report.version, 1);
    assert.deepStrictEqual(
      report.files.map((f: { path: string }) => path.relative(dir, f.path)),
      ['home/good.properties', 'home/shared/bitbucket.properties'],
    );
    const bb = report.files[1];
    assert.strictEqual(bb.product, 'bitbucket');
    assert.deepStrictEqual(bb.diagnostics[0], {
      code: 'aws-unknown-key',
      severity: 'error',
      line: 2,
      column: 42,
      endLine: 2,
      endColumn: 52,
      message: bb.diagnostics[0].message,
    });
    assert.deepStrictEqual(report.files[0].references, [
      { key: 'jdbc.password', line: 2, store: 'aws', region: 'eu-west-1', secretId: 'db', secretPointer: '/pw' },
    ]);
  });

  it('exits 0 when there are no errors', async () => {
    const { code, stdout } = await run(['check', path.join(dir, 'home', 'good.properties')]);
    assert.strictEqual(code, 0);
    assert.match(stdout, /1 file\(s\) checked: 0 error\(s\), 0 warning\(s\)/);
  });

  it('never puts a plaintext or Base64 password into the report', async () => {
    const file = path.join(dir, 'b64.properties');
    fs.writeFileSync(
      file,
      'encrypted-property.cipher.classname=com.atlassian.secrets.store.base64.Base64SecretStore\njdbc.password={ENC}Q0FOQVJZLXNlY3JldA==\n',
    );
    const plain = path.join(dir, 'bitbucket.properties');
    fs.writeFileSync(plain, 'jdbc.password=CANARY-plaintext-8f3a\n');
    const { stdout } = await run(['check', '--format', 'json', file, plain]);
    assert.ok(!stdout.includes('Q0FOQVJZLXNlY3JldA=='));
    assert.ok(!stdout.includes('CANARY-plaintext-8f3a'));
    const sarif = await run(['check', '--format', 'sarif', plain]);
    assert.ok(!sarif.stdout.includes('CANARY-plaintext-8f3a'));
  });

  it('writes SARIF 2.1.0 with rules, levels and regions', async () => {
    const { stdout } = await run(['check', '--format', 'sarif', path.join(dir, 'home')]);
    const sarif = sarifLog(stdout);
    assert.strictEqual(sarif.version, '2.1.0');
    const result = sarif.runs[0].results![0];
    assert.strictEqual(result.ruleId, 'aws-unknown-key');
    assert.strictEqual(result.level, 'error');
    assert.deepStrictEqual(result.locations![0].physicalLocation!.region, { startLine: 2, startColumn: 42, endLine: 2, endColumn: 52 });
    assert.ok(sarif.runs[0].tool.driver.rules!.some((r: { id: string }) => r.id === 'aws-unknown-key'));
  });

  it('exits 2 on usage and I/O errors', async () => {
    assert.strictEqual((await run(['check'])).code, 2);
    assert.strictEqual((await run(['check', '--format', 'xml', dir])).code, 2);
    assert.strictEqual((await run(['nope'])).code, 2);
    const missing = await run(['check', path.join(dir, 'does-not-exist')]);
    assert.strictEqual(missing.code, 2);
    assert.match(missing.stderr, /ENOENT/);
  });

  it('runs as the bundled dist/cli.js binary', function () {
    const cli = path.resolve(__dirname, '../../../dist/cli.js');
    if (!fs.existsSync(cli)) this.skip();
    const r = spawnSync(process.execPath, [cli, 'check', path.join(dir, 'home', 'shared', 'bitbucket.properties')], { encoding: 'utf8' });
    assert.strictEqual(r.status, 1);
    assert.match(r.stdout, /aws-unknown-key/);
  });
});

describe('encprops check on the product fixtures', () => {
  it('finds and reports every product file with its product and codes (JSON contract)', async () => {
    const root = path.resolve(__dirname, '../../../test/fixtures/workspace');
    const { code, stdout } = await run(['check', '--format', 'json', root]);
    assert.strictEqual(code, 1);
    const report = JSON.parse(stdout) as { files: Array<{ path: string; product: string; diagnostics: Array<{ code: string }> }> };
    const byFile = Object.fromEntries(
      report.files.map((f) => [path.relative(root, f.path), { product: f.product, codes: f.diagnostics.map((d) => d.code).sort() }]),
    );
    assert.deepStrictEqual(byFile['jira/dbconfig.xml'], { product: 'jira', codes: ['aws-pointer-no-slash'] });
    assert.deepStrictEqual(byFile['confluence/confluence.cfg.xml'], { product: 'confluence', codes: ['vault-mount-data'] });
    assert.deepStrictEqual(byFile['bamboo/bamboo.cfg.xml'], { product: 'bamboo', codes: ['plaintext-password'] });
    assert.deepStrictEqual(byFile['crowd/crowd.cfg.xml'], { product: 'crowd', codes: ['crowd-store-not-allowed'] });
    assert.deepStrictEqual(byFile['shared/bitbucket.properties'], { product: 'bitbucket', codes: ['enc-json-syntax'] });
  });
});

describe('encprops check: every product × store fixture', () => {
  it('reports the same codes in the JSON output as the analysis tests expect', async () => {
    const { FILES, PAIRS, file } = await import('../support/productFixtures.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-matrix-'));
    try {
      const expected = new Map<string, string[]>();
      PAIRS.forEach(([, cls, password, exceptions, codes], i) => {
        for (const product of ['jira', 'confluence', 'bamboo', 'crowd'] as const) {
          const sub = path.join(dir, `${i}-${product}`);
          fs.mkdirSync(sub);
          fs.writeFileSync(path.join(sub, FILES[product]), file(product, cls, password));
          // The CLI also checks that local key files exist: the fixtures' /keys/… paths do not.
          const files = password.includes('keyFilePath') ? ['aes-file-missing', 'aes-file-missing'] : [];
          expected.set(path.join(sub, FILES[product]), [...(exceptions[product] ?? codes), ...files].sort());
        }
      });
      const { stdout } = await run(['check', '--format', 'json', dir]);
      const report = JSON.parse(stdout) as { files: Array<{ path: string; diagnostics: Array<{ code: string; line: number; column: number }> }> };
      assert.strictEqual(report.files.length, expected.size);
      for (const f of report.files) {
        assert.deepStrictEqual(f.diagnostics.map((d) => d.code).sort(), expected.get(f.path), f.path);
        for (const d of f.diagnostics) assert.ok(d.line >= 1 && d.column >= 1);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
