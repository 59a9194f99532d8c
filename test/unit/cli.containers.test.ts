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
      // unrelated.yaml is not read (it mentions no product); values-crowd.yaml passes with a note (Crowd's image takes no database variables).
      [
        'bitbucket-statefulset.yaml',
        'confluence-deployment.yaml',
        'docker-compose.yml',
        'jira.env',
        'values-bamboo.yaml',
        'values-bitbucket.yaml',
        'values-confluence.yaml',
        'values-crowd.yaml',
        'values.yaml',
      ],
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

  it('verify: an env file, a Kubernetes manifest and Helm values resolve the same way', async () => {
    const forms = path.join(dir, 'forms');
    fs.mkdirSync(forms);
    const json = '{"region":"ap-southeast-2","secretId":"jira/db","secretPointer":"/password"}';
    fs.writeFileSync(
      path.join(forms, 'jira.env'),
      `ATL_JDBC_SECRET_CLASS=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\nATL_JDBC_PASSWORD='${json}'\n`,
    );
    fs.writeFileSync(
      path.join(forms, 'jira.yaml'),
      `apiVersion: apps/v1\nkind: StatefulSet\nspec:\n  template:\n    spec:\n      containers:\n        - name: jira\n          image: atlassian/jira-software:9.12.4\n          env:\n            - name: ATL_JDBC_SECRET_CLASS\n              value: com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n            - name: ATL_JDBC_PASSWORD\n              value: '${json}'\n`,
    );
    fs.writeFileSync(
      path.join(forms, 'values.yaml'),
      `jira:\n  additionalEnvironmentVariables:\n    - name: ATL_JDBC_SECRET_CLASS\n      value: com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n    - name: ATL_JDBC_PASSWORD\n      value: ${JSON.stringify(json)}\n`,
    );
    const { code, stdout } = await run(['verify', '--format', 'json', forms]);
    assert.strictEqual(code, 0, stdout);
    assert.deepStrictEqual(
      verifyReport(stdout).results.map((r) => [path.basename(r.path), r.key, r.line, r.code]),
      [
        ['jira.env', 'ATL_JDBC_PASSWORD', 2, 'ok'],
        ['jira.yaml', 'ATL_JDBC_PASSWORD', 12, 'ok'],
        ['values.yaml', 'ATL_JDBC_PASSWORD', 5, 'ok'],
      ],
    );
    assert.ok(!stdout.includes(CANARY));
  });

  it("set-aws-secret writes the variables in the file's own style (map, list, name/value, env line), read back exactly", async () => {
    const compose = path.join(dir, 'write', 'compose.yaml');
    fs.mkdirSync(path.dirname(compose), { recursive: true });
    fs.writeFileSync(
      compose,
      'services:\n  confluence:\n    image: atlassian/confluence:8.9\n    environment:\n      - ATL_JDBC_USER=confluence\n      - ATL_JDBC_PASSWORD=plain-text\n  db:\n    image: postgres:16\n',
    );
    let r = await run(['set-aws-secret', '--region', 'eu-west-1', '--secret-id', "it's/db", '--pointer', '/password', compose]);
    assert.strictEqual(r.code, 2, 'an invalid secret name is refused before anything is written');
    r = await run(['set-aws-secret', '--region', 'eu-west-1', '--secret-id', 'confluence/db', '--pointer', '/password', compose]);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(
      fs.readFileSync(compose, 'utf8'),
      'services:\n  confluence:\n    image: atlassian/confluence:8.9\n    environment:\n      - ATL_JDBC_USER=confluence\n' +
        '      - \'ATL_JDBC_PASSWORD={"region":"eu-west-1","secretId":"confluence/db","secretPointer":"/password"}\'\n' +
        "      - 'ATL_JDBC_SECRET_CLASS=com.atlassian.secrets.store.aws.AwsSecretsManagerStore'\n" +
        '  db:\n    image: postgres:16\n',
    );
    assert.ok(
      fs.readdirSync(path.dirname(compose)).some((f) => f.startsWith('compose.yaml.bak-')),
      'a backup first',
    );
    const checked = await run(['check', '--format', 'json', compose]);
    assert.deepStrictEqual(
      checkReport(checked.stdout).files[0].diagnostics.map((d) => d.code),
      [],
    );
    // Kubernetes: a name/value entry; env file: a line; Helm: the product's additionalEnvironmentVariables.
    const manifest = path.join(dir, 'write', 'deployment.yaml');
    fs.writeFileSync(manifest, fs.readFileSync(path.join(dir, 'repo', 'bitbucket-statefulset.yaml'), 'utf8'));
    assert.strictEqual((await run(['set-aws-secret', '--region', 'us-east-1', '--secret-id', 'bitbucket/db', manifest])).code, 0);
    assert.match(fs.readFileSync(manifest, 'utf8'), /- name: JDBC_PASSWORD\n {14}value: '\{"region":"us-east-1","secretId":"bitbucket\/db"\}'\n/);
    const env = path.join(dir, 'write', 'jira.env');
    fs.writeFileSync(env, 'ATL_JDBC_URL=jdbc:postgresql://db/jira\n');
    assert.strictEqual((await run(['set-aws-secret', '--region', 'eu-west-1', '--secret-id', 'jira/db', env])).code, 0);
    assert.strictEqual(
      fs.readFileSync(env, 'utf8'),
      'ATL_JDBC_URL=jdbc:postgresql://db/jira\nATL_JDBC_SECRET_CLASS=\'com.atlassian.secrets.store.aws.AwsSecretsManagerStore\'\nATL_JDBC_PASSWORD=\'{"region":"eu-west-1","secretId":"jira/db"}\'\n',
    );
    const helm = path.join(dir, 'write', 'values.yaml');
    fs.writeFileSync(
      helm,
      'image:\n  repository: atlassian/confluence\n  tag: 8.9.0\nconfluence:\n  additionalEnvironmentVariables:\n    - name: ATL_JDBC_URL\n      value: jdbc:postgresql://db/confluence\n',
    );
    assert.strictEqual((await run(['set-aws-secret', '--region', 'eu-west-1', '--secret-id', 'confluence/db', helm])).code, 0);
    assert.strictEqual(
      fs.readFileSync(helm, 'utf8'),
      'image:\n  repository: atlassian/confluence\n  tag: 8.9.0\nconfluence:\n  additionalEnvironmentVariables:\n    - name: ATL_JDBC_URL\n      value: jdbc:postgresql://db/confluence\n' +
        "    - name: ATL_JDBC_SECRET_CLASS\n      value: 'com.atlassian.secrets.store.aws.AwsSecretsManagerStore'\n" +
        '    - name: ATL_JDBC_PASSWORD\n      value: \'{"region":"eu-west-1","secretId":"confluence/db"}\'\n',
    );
    // Two product containers: the service must be named.
    const two = path.join(dir, 'write', 'docker-compose.yml');
    fs.writeFileSync(two, fs.readFileSync(path.join(dir, 'repo', 'docker-compose.yml'), 'utf8'));
    const before = fs.readFileSync(two, 'utf8');
    const ambiguous = await run(['set-aws-secret', '--region', 'eu-west-1', '--secret-id', 'x/db', two]);
    assert.strictEqual(ambiguous.code, 1);
    assert.match(ambiguous.stderr, /several product containers \(jira, confluence\): name one with --service/);
    assert.strictEqual(fs.readFileSync(two, 'utf8'), before);
    assert.strictEqual((await run(['set-aws-secret', '--region', 'eu-west-1', '--secret-id', 'jira/db', '--service', 'jira', two])).code, 0);
    assert.match(fs.readFileSync(two, 'utf8'), /ATL_JDBC_PASSWORD: '\{"region":"eu-west-1","secretId":"jira\/db"\}'/);
  });
});
