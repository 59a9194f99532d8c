import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as aws from '../../src/aws';
import { main } from '../../src/cli/main';
import { EnvOverride } from '../support/env';
import { LocalSecretsManager } from '../support/localSecretsManager';
import { checkReport, verifyReport } from '../support/reports';

describe('encprops on container deployments (Compose, env files, Kubernetes, Helm values)', function () {
  this.timeout(30_000);
  const server = new LocalSecretsManager();
  const overrides = new EnvOverride();
  const CANARY = `canary-containers-${Date.now()}`;
  let dir: string;

  async function run(args: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), loadAws: () => aws });
    return { code, stdout, stderr };
  }

  before(async () => {
    await server.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-containers-'));
    overrides.set({ ...server.env(), AWS_CONFIG_FILE: path.join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'), AWS_PROFILE: undefined });
    server.seed({ name: 'jira/db', secretString: JSON.stringify({ password: CANARY }) });
    fs.cpSync(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'containers'), path.join(dir, 'repo'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'deploy'));
    fs.writeFileSync(
      path.join(dir, 'deploy', 'compose.yaml'),
      'services:\n  jira:\n    image: atlassian/jira-software:9.12\n    environment:\n      ATL_JDBC_SECRET_CLASS: com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n      ATL_JDBC_PASSWORD: \'{"region":"ap-southeast-2","secretId":"jira/db","secretPointer":"/password"}\'\n      ATL_FORCE_CFG_UPDATE: "true"\n',
    );
  });

  after(async () => {
    await server.close();
    overrides.restore();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('check: every form in a folder, other YAML left alone, the JSON contract with the variable as the key', async () => {
    const { code, stdout } = await run(['check', '--format', 'json', path.join(dir, 'repo')]);
    assert.strictEqual(code, 1);
    const report = checkReport(stdout);
    assert.deepStrictEqual(
      report.files.map((f) => path.basename(f.path)),
      ['bitbucket-statefulset.yaml', 'confluence-deployment.yaml', 'docker-compose.yml', 'jira.env', 'values.yaml'],
    );
    const compose = report.files.find((f) => f.path.endsWith('docker-compose.yml'))!;
    assert.deepStrictEqual(
      compose.diagnostics.map((d) => [d.code, d.line]),
      [
        ['aws-region-unknown', 9],
        ['container-vault-token-unset', 16],
      ],
    );
    assert.deepStrictEqual(
      compose.references.map((r) => [r.key, r.store]),
      [
        ['ATL_JDBC_PASSWORD', 'aws'],
        ['ATL_JDBC_PASSWORD', 'vault'],
      ],
    );
  });

  it('verify: the password variable resolves against the store, never showing the value', async () => {
    const { code, stdout } = await run(['verify', '--format', 'json', path.join(dir, 'deploy')]);
    const report = verifyReport(stdout);
    assert.strictEqual(code, 0, stdout);
    assert.deepStrictEqual(
      report.results.map((r) => [r.key, r.line, r.code, r.secretId]),
      [['ATL_JDBC_PASSWORD', 6, 'ok', 'jira/db']],
    );
    assert.ok(!stdout.includes(CANARY));
  });

  it('set-aws-secret says that it does not write container files yet, and leaves the file as it was', async () => {
    const file = path.join(dir, 'deploy', 'compose.yaml');
    const before = fs.readFileSync(file, 'utf8');
    const { code, stderr } = await run(['set-aws-secret', '--region', 'eu-west-1', '--secret-id', 'x', file]);
    assert.strictEqual(code, 1);
    assert.match(stderr, /not supported yet; set ATL_JDBC_SECRET_CLASS and ATL_JDBC_PASSWORD by hand/);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), before);
    assert.deepStrictEqual(fs.readdirSync(path.dirname(file)), ['compose.yaml'], 'no backup');
  });
});
