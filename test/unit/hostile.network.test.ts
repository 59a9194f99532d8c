/**
 * Hostile servers (issue: nothing leaks, nothing hangs): trickling and endless bodies, malformed answers right after
 * the value, escape sequences in error texts, redirects that would carry the Vault token away, userinfo in endpoints,
 * endpoints named by a scanned file. Each against a real local HTTP server and the real AWS SDK.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as aws from '../../src/aws';
import { main } from '../../src/cli/main';
import { kvReadUrl } from '../../src/core/verify/vaultOutcome';
import { classifyError } from '../../src/core/verify/awsErrors';
import { trimSlashes } from '../../src/core/text/terminal';
import { verifyVault } from '../../src/vault/vaultVerifier';
import { EnvOverride } from '../support/env';
import { HostileServer, stream } from '../support/hostileServer';
import { verifyReport } from '../support/reports';

const AWS_CLASS = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n';
const VAULT_CLASS = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.vault.VaultSecretStore\n';
const CANARY = `canary-hostile-${Date.now()}-${Math.random().toString(36).slice(2)}`;
/** Control characters that would act on a terminal. */
// eslint-disable-next-line no-control-regex -- looking for raw control characters is the point
const RAW_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('hostile servers', function () {
  this.timeout(30_000);
  const env = new EnvOverride();
  let dir: string;
  let server: HostileServer;

  async function run(args: string[]) {
    let stdout = '';
    let stderr = '';
    const started = Date.now();
    const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), loadAws: () => aws });
    return { code, stdout, stderr, ms: Date.now() - started };
  }

  function awsFile(name: string, reference = '{"region":"eu-west-1","secretId":"db","secretPointer":"/password"}'): string {
    const file = path.join(dir, name, 'bitbucket.properties');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${AWS_CLASS}jdbc.password={ENC}${reference}\n`);
    return file;
  }

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-hostile-'));
    server = await new HostileServer((_req, res) => res.end('{}')).start();
    env.set({
      AWS_ENDPOINT_URL_SECRETS_MANAGER: server.url,
      AWS_ACCESS_KEY_ID: 'AKIAHOSTILETEST00001',
      AWS_SECRET_ACCESS_KEY: 'hostile/test/secret/access/key/000000001',
      AWS_SESSION_TOKEN: undefined,
      AWS_REGION: 'eu-west-1',
      AWS_PROFILE: undefined,
      AWS_CONFIG_FILE: path.join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      SECRET_STORE_VAULT_TOKEN: 'vault-token-not-for-strangers',
      ENCPROPS_ALLOW_ENDPOINTS: undefined,
    });
  });

  after(async () => {
    await server.close();
    env.restore();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    server.requests.length = 0;
  });

  it('a body trickling one byte at a time ends at the total deadline, as a timeout that names --timeout', async () => {
    server.setHandler((_req, res) => stream(res, ' ', 50, '{"Name":"db",'));
    const r = await run(['verify', '--format', 'json', '--timeout', '1000', awsFile('trickle')]);
    const [row] = verifyReport(r.stdout).results;
    assert.strictEqual(row.code, 'timeout', r.stdout);
    assert.match(row.message, /within 1000 ms/);
    assert.match(row.message, /--timeout/);
    assert.doesNotMatch(row.message, /encryptedProperties/);
    assert.ok(r.ms < 1000 + 1000, `took ${r.ms} ms`);
  });

  it('an endless body stops at the size cap, as response-too-large', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    server.setHandler((_req, res) => stream(res, chunk, 0, '{"Name":"db",'));
    const r = await run(['verify', '--format', 'json', '--timeout', '20000', awsFile('endless')]);
    const [row] = verifyReport(r.stdout).results;
    assert.strictEqual(row.code, 'response-too-large', r.stdout);
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
  });

  it('a malformed answer right after the value never puts the value into the message', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(`{"Name":"db","SecretString":"{\\"password\\":\\"${CANARY}\\"}"x}`);
    });
    const r = await run(['verify', '--format', 'json', awsFile('malformed')]);
    assert.strictEqual(r.code, 1);
    const [row] = verifyReport(r.stdout).results;
    assert.strictEqual(row.code, 'error');
    assert.match(row.message, /not valid JSON/);
    for (const part of [CANARY, CANARY.slice(-8), CANARY.slice(0, 12)]) {
      assert.ok(!r.stdout.includes(part) && !r.stderr.includes(part), `the output holds "${part}"`);
    }
  });

  it("escape sequences in a server's error text reach the terminal escaped", async () => {
    server.setHandler((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1' });
      res.end(JSON.stringify({ __type: 'ValidationException', message: '\u001b]0;pwned\u0007\u001b[2J\u001b[32m1 resolved, 0 failed\u009b31m' }));
    });
    const r = await run(['verify', awsFile('escapes')]);
    assert.strictEqual(r.code, 1);
    assert.doesNotMatch(r.stdout + r.stderr, RAW_CONTROLS);
    assert.match(r.stdout, /\\x1b\]0;pwned\\x07/);
    assert.match(r.stdout, /1 reference\(s\): 0 resolved, 1 failed/);
  });

  it('an endpointOverride named by the file gets no signed request unless allowed', async () => {
    const capture = await new HostileServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ Name: 'db', SecretString: JSON.stringify({ password: 'x' }) }));
    }).start();
    try {
      const file = awsFile('override', `{"region":"eu-west-1","secretId":"db","secretPointer":"/password","endpointOverride":"${capture.url}"}`);
      const declined = await run(['verify', '--format', 'json', file]);
      assert.strictEqual(declined.code, 1);
      assert.strictEqual(verifyReport(declined.stdout).results[0].code, 'endpoint-declined');
      assert.strictEqual(capture.requests.length, 0, 'a signed request went to the file’s endpoint');
      const allowed = await run(['verify', '--format', 'json', '--allow-endpoint', capture.host, file]);
      assert.strictEqual(verifyReport(allowed.stdout).results[0].code, 'ok', allowed.stdout);
      assert.ok(capture.requests.length > 0);
    } finally {
      await capture.close();
    }
  });

  it('a failing credential_process is reported as itself, not as "no credentials"', async () => {
    const config = path.join(dir, 'process-config');
    fs.writeFileSync(config, '[profile broken]\ncredential_process = sh -c "echo token service unreachable >&2; exit 3"\n');
    const keep = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, config: process.env.AWS_CONFIG_FILE };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_CONFIG_FILE = config;
    try {
      const r = await run(['verify', '--format', 'json', '--profile', 'broken', awsFile('process')]);
      const [row] = verifyReport(r.stdout).results;
      assert.strictEqual(row.code, 'credential-process-failed', r.stdout);
      assert.match(row.message, /credential_process of profile broken failed: Command failed: sh -c/);
      assert.strictEqual(server.requests.length, 0);
      // A profile without credential_process is not a credential_process failure.
      const plain = classifyError(
        {
          name: 'CredentialsProviderError',
          message: 'Could not load credentials from any providers',
          providerMessages: ['Profile ops did not contain credential_process.'],
        },
        { region: 'eu-west-1', secretId: 'db', profile: 'ops' },
      );
      assert.strictEqual(plain.code, 'no-credentials');
    } finally {
      process.env.AWS_ACCESS_KEY_ID = keep.id;
      process.env.AWS_SECRET_ACCESS_KEY = keep.secret;
      process.env.AWS_CONFIG_FILE = keep.config;
    }
  });

  it('--timeout is validated: whole milliseconds from 1 to 10 minutes', async () => {
    const file = awsFile('timeouts');
    for (const bad of ['0', '-5', '1.5', 'abc', '600001', String(2 ** 31)]) {
      const r = await run(['verify', '--timeout', bad, file]);
      assert.strictEqual(r.code, 2, bad);
      assert.match(r.stderr, /--timeout must be a whole number of milliseconds from 1 to 600000/);
    }
  });

  describe('Vault', () => {
    function vaultFile(name: string, endpoint: string, mount = 'secret'): string {
      const file = path.join(dir, name, 'bitbucket.properties');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${VAULT_CLASS}jdbc.password={ENC}${JSON.stringify({ mount, path: 'bitbucket/db', key: 'password', endpoint })}\n`);
      return file;
    }

    it('a redirect is not followed: the token never reaches the other host', async () => {
      const capture = await new HostileServer((_req, res) =>
        res.end(JSON.stringify({ data: { data: { password: 'stolen' }, metadata: { version: 1 } } })),
      ).start();
      const redirector = await new HostileServer((req, res) => {
        res.writeHead(307, { location: `${capture.url}${req.url}` });
        res.end();
      }).start();
      try {
        const result = await verifyVault({ mount: 'secret', path: 'bitbucket/db', key: 'password', endpoint: redirector.url, timeoutMs: 5000 });
        assert.strictEqual(result.code, 'vault-redirect');
        assert.match(result.message, new RegExp(`redirect to ${capture.url.replace(/[.]/g, '\\.')}`));
        assert.strictEqual(capture.requests.length, 0, 'the redirect was followed');
        const r = await run(['verify', '--format', 'json', '--allow-endpoint', redirector.host, vaultFile('redirect', redirector.url)]);
        assert.strictEqual(verifyReport(r.stdout).results[0].code, 'vault-redirect');
        assert.strictEqual(capture.requests.length, 0);
      } finally {
        await redirector.close();
        await capture.close();
      }
    });

    it('the token goes to no endpoint named by the file unless allowed', async () => {
      const capture = await new HostileServer((_req, res) => res.end('{}')).start();
      try {
        const r = await run(['verify', '--format', 'json', vaultFile('vault-declined', capture.url)]);
        assert.strictEqual(verifyReport(r.stdout).results[0].code, 'endpoint-declined');
        assert.strictEqual(capture.requests.length, 0);
      } finally {
        await capture.close();
      }
    });

    it('a body that stalls after HTTP 200 is a timeout, not "Vault answered HTTP 200"', async () => {
      const staller = await new HostileServer((_req, res) => stream(res, ' ', 100, '{"data":')).start();
      try {
        const started = Date.now();
        const result = await verifyVault({
          mount: 'secret',
          path: 'bitbucket/db',
          key: 'password',
          endpoint: staller.url,
          timeoutMs: 800,
          timeoutHint: 'Raise --timeout.',
        });
        assert.strictEqual(result.code, 'timeout');
        assert.match(result.message, /HTTP 200, but the body did not arrive within 800 ms\. Raise --timeout\./);
        assert.ok(Date.now() - started < 800 + 1000);
      } finally {
        await staller.close();
      }
    });

    it('an endless body stops at the size cap', async () => {
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const endless = await new HostileServer((_req, res) => stream(res, chunk, 0, '{"data":')).start();
      try {
        const result = await verifyVault({ mount: 'secret', path: 'bitbucket/db', key: 'password', endpoint: endless.url, timeoutMs: 20_000 });
        assert.strictEqual(result.code, 'response-too-large');
      } finally {
        await endless.close();
      }
    });

    it('an endpoint with user:password@ is never echoed with its password', async () => {
      const vault = await new HostileServer((_req, res) => {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"errors":[]}');
      }).start();
      try {
        const endpoint = `http://admin:S3cretPw@${vault.host}`;
        const r = await run(['verify', '--allow-endpoint', vault.host, vaultFile('userinfo', endpoint)]);
        const json = await run(['verify', '--format', 'json', '--allow-endpoint', vault.host, vaultFile('userinfo', endpoint)]);
        const checked = await run(['check', '--format', 'json', vaultFile('userinfo', endpoint)]);
        for (const out of [r.stdout, r.stderr, json.stdout, json.stderr]) assert.ok(!out.includes('S3cretPw'), out);
        assert.strictEqual(verifyReport(json.stdout).results[0].code, 'vault-path-missing');
        assert.ok(!vault.requests.some((q) => q.headers.authorization), 'userinfo was sent as basic auth');
        assert.ok(checked.code !== 2);
      } finally {
        await vault.close();
      }
    });

    it('slash trimming of mounts and endpoints is linear (a million slashes)', () => {
      const slashes = '/'.repeat(1_000_000);
      assert.strictEqual(trimSlashes(`${slashes}x${slashes}`), 'x');
      assert.strictEqual(trimSlashes(`${slashes}x`, 'end'), `${slashes}x`);
      assert.ok(kvReadUrl('http://v:8200', `${slashes}x`, 'p').endsWith('/v1/x/data/p'));
    });
  });
});
