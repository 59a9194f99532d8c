import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as aws from '../../src/aws';
import { main } from '../../src/cli/main';
import { EnvOverride } from '../support/env';
import { LocalSecretsManager } from '../support/localSecretsManager';
import { verifyReport } from '../support/reports';

const AWS = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n';

describe('encprops verify', function () {
  this.timeout(30_000);
  const server = new LocalSecretsManager();
  const CANARY = `canary-cli-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const overrides = new EnvOverride();
  let dir: string;

  async function run(args: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), loadAws: () => aws });
    return { code, stdout, stderr };
  }

  before(async () => {
    await server.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-verify-'));
    const env = { ...server.env(), AWS_CONFIG_FILE: path.join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'), AWS_PROFILE: undefined };
    overrides.set(env);
    server.seed({ name: 'bitbucket/db', secretString: JSON.stringify({ password: CANARY }) });
    fs.mkdirSync(path.join(dir, 'good', 'shared'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'bad', 'shared'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'good', 'shared', 'bitbucket.properties'),
      `${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"bitbucket/db","secretPointer":"/password"}\n`,
    );
    fs.writeFileSync(
      path.join(dir, 'bad', 'shared', 'bitbucket.properties'),
      `${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"bitbucket/db","secretPointer":"/pass"}\nplugin.x.password={ENC}{"region":"ap-southeast-2","secretID":"x"}\n`,
    );
  });

  after(async () => {
    await server.close();
    overrides.restore();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 when every reference resolves, with the JSON contract and never the value', async () => {
    const { code, stdout } = await run(['verify', '--format', 'json', path.join(dir, 'good')]);
    assert.strictEqual(code, 0);
    const report = verifyReport(stdout);
    assert.strictEqual(report.version, 1);
    assert.deepStrictEqual(report.results, [
      {
        path: path.join(dir, 'good', 'shared', 'bitbucket.properties'),
        line: 2,
        key: 'jdbc.password',
        store: 'aws',
        region: 'ap-southeast-2',
        secretId: 'bitbucket/db',
        secretPointer: '/password',
        code: 'ok',
        message: 'Resolved · key/value · /password',
        credentialSource: 'environment',
        valueLength: CANARY.length,
      },
    ]);
    assert.ok(!stdout.includes(CANARY));
  });

  it('exits 1 when a reference does not resolve or is invalid, and says which', async () => {
    const { code, stdout } = await run(['verify', path.join(dir, 'bad')]);
    assert.strictEqual(code, 1);
    assert.match(stdout, /FAIL \[pointer-missing\] jdbc\.password → bitbucket\/db \(ap-southeast-2\)/);
    assert.match(stdout, /FAIL \[invalid-reference\] plugin\.x\.password/);
    assert.match(stdout, /2 reference\(s\): 0 resolved, 2 failed/);
    assert.ok(!stdout.includes(CANARY));
  });

  it('exits 2 on usage errors', async () => {
    assert.strictEqual((await run(['verify'])).code, 2);
    assert.strictEqual((await run(['verify', '--concurrency', '0', dir])).code, 2);
    assert.strictEqual((await run(['verify', '--format', 'sarif', dir])).code, 2);
  });

  it('the bundled dist/cli.js loads dist/aws.js on demand and verifies', async function () {
    const cli = path.resolve(__dirname, '../../../dist/cli.js');
    if (!fs.existsSync(cli)) this.skip();
    const child = spawn(process.execPath, [cli, 'verify', '--format', 'json', path.join(dir, 'good')], { env: process.env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.strictEqual(code, 0, err);
    assert.strictEqual(verifyReport(out).results[0].code, 'ok');
    assert.ok(!out.includes(CANARY) && !err.includes(CANARY));
    // The SDK's notice about future Node.js versions is for this tool's developers, not its users.
    assert.doesNotMatch(err, /NodeVersionSupportWarning|require node >=/);
    assert.strictEqual(err, '');
  });
});
