import * as assert from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { SecretsVerifier } from '../../src/aws/verifier';
import { TtlMemo } from '../../src/core/util/ttlMemo';
import { EnvOverride } from '../support/env';
import { EXPIRED_ACCESS_KEY_ID, LocalSecretsManager, TEST_CALLER_ARN, TEST_SECRET_ACCESS_KEY } from '../support/localSecretsManager';

/** The SDK talks real HTTP to the local Secrets Manager; no client is mocked. */
describe('verify against a local Secrets Manager (real SDK, real SigV4)', function () {
  this.timeout(30_000);
  const server = new LocalSecretsManager();
  const env = new EnvOverride();
  const CANARY = `canary-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const logs: string[] = [];
  let home: string;

  const setEnv = (vars: Record<string, string | undefined>): void => env.set(vars);

  function verifier(options: Partial<ConstructorParameters<typeof SecretsVerifier>[0]> = {}): SecretsVerifier {
    return new SecretsVerifier({ requestTimeoutMs: 3000, imdsTimeoutMs: 200, log: (level, m) => logs.push(`${level} ${m}`), ...options });
  }

  before(async () => {
    await server.start();
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-aws-'));
    fs.writeFileSync(path.join(home, 'config'), '');
    fs.writeFileSync(path.join(home, 'credentials'), '');
    setEnv({
      ...server.env(),
      AWS_CONFIG_FILE: path.join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'),
      AWS_PROFILE: undefined,
      AWS_SESSION_TOKEN: undefined,
      https_proxy: undefined,
      HTTPS_PROXY: undefined,
    });
    server.seed({ name: 'plain', secretString: CANARY });
    server.seed({ name: 'kv', secretString: JSON.stringify({ password: CANARY, 'a/b': 'x', empty: '', nested: { k: 1 } }) });
    server.seed({ name: 'binary', secretBinary: Buffer.from(CANARY).toString('base64') });
    server.seed({ name: 'empty', secretString: '' });
    server.seed({ name: 'denied', secretString: CANARY, denyAccess: true });
    server.seed({ name: 'kms', secretString: CANARY, kmsDenied: true });
    server.seed({ name: 'deleted', secretString: CANARY, deleted: true });
    server.seed({
      name: 'rotating',
      secretString: CANARY,
      rotationEnabled: true,
      kmsKeyId: 'arn:aws:kms:ap-southeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    server.seed({ name: 'elsewhere', secretString: CANARY, region: 'eu-west-1' });
  });

  after(async () => {
    await server.close();
    env.restore();
    fs.rmSync(home, { recursive: true, force: true });
  });

  beforeEach(() => {
    server.faults = {};
    server.servedRegion = undefined;
  });

  const results: unknown[] = [];
  async function verify(request: Parameters<SecretsVerifier['verify']>[0], v = verifier()) {
    const r = await v.verify(request);
    results.push(r);
    v.dispose();
    return r;
  }

  it('ok: a plaintext secret, with its length and the credential source, never its value', async () => {
    const r = await verify({ region: 'ap-southeast-2', secretId: 'plain' });
    assert.strictEqual(r.code, 'ok');
    assert.strictEqual(r.valueLength, CANARY.length);
    assert.strictEqual(r.shape, 'plaintext');
    assert.strictEqual(r.credentialSource, 'environment');
    assert.match(r.metadata?.arn ?? '', /^arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:plain-/);
    assert.deepStrictEqual(r.metadata?.versionStages, ['AWSCURRENT']);
    assert.ok(r.requestId);
    assert.ok(!JSON.stringify(r).includes(CANARY));
    assert.ok(!Object.getOwnPropertyNames(r).includes('value'), 'the outcome has no value property at all, hidden or not');
    const copied = await verifier().readSecretValue({ region: 'ap-southeast-2', secretId: 'plain' });
    assert.strictEqual(copied.value, CANARY, 'readSecretValue (Copy value) alone returns the value');
    assert.strictEqual(copied.outcome.code, 'ok');
    assert.ok(!JSON.stringify(copied.outcome).includes(CANARY));
  });

  it('ok: a key/value secret through a pointer; a pointer without "/" is resolved like the product does', async () => {
    const r = await verify({ region: 'ap-southeast-2', secretId: 'kv', secretPointer: '/password' });
    assert.strictEqual(r.code, 'ok');
    assert.strictEqual(r.shape, 'key/value');
    assert.match(r.message, /^Resolved · key\/value · \/password$/);
    assert.strictEqual((await verify({ region: 'ap-southeast-2', secretId: 'kv', secretPointer: 'password' })).code, 'ok');
    assert.strictEqual((await verify({ region: 'ap-southeast-2', secretId: 'kv', secretPointer: '/a~1b' })).code, 'ok');
  });

  it('ok: by ARN', async () => {
    const arn = (await verify({ region: 'ap-southeast-2', secretId: 'plain' })).metadata!.arn!;
    assert.strictEqual((await verify({ region: 'ap-southeast-2', secretId: arn })).code, 'ok');
  });

  it('pointer-missing, empty-value, not-json, binary-secret', async () => {
    const missing = await verify({ region: 'ap-southeast-2', secretId: 'kv', secretPointer: '/pasword' });
    assert.strictEqual(missing.code, 'pointer-missing');
    assert.match(missing.message, /"password"/, 'names the keys (never values)');
    assert.strictEqual((await verify({ region: 'ap-southeast-2', secretId: 'kv', secretPointer: '/empty' })).code, 'empty-value');
    assert.strictEqual((await verify({ region: 'ap-southeast-2', secretId: 'kv', secretPointer: '/nested' })).code, 'empty-value');
    assert.strictEqual((await verify({ region: 'ap-southeast-2', secretId: 'empty' })).code, 'empty-value');
    const notJson = await verify({ region: 'ap-southeast-2', secretId: 'plain', secretPointer: '/password' });
    assert.strictEqual(notJson.code, 'not-json');
    assert.match(notJson.message, /value is not valid JSON/);
    assert.strictEqual((await verify({ region: 'ap-southeast-2', secretId: 'binary' })).code, 'binary-secret');
  });

  it('not-found, with a hint when the ARN names another region', async () => {
    assert.strictEqual((await verify({ region: 'ap-southeast-2', secretId: 'nope' })).code, 'not-found');
    const r = await verify({ region: 'ap-southeast-2', secretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:elsewhere-AbCdEf' });
    assert.strictEqual(r.code, 'not-found');
    assert.match(r.message, /set "region" to "eu-west-1"/);
  });

  it('access-denied, kms-denied, marked-for-deletion', async () => {
    assert.strictEqual((await verify({ region: 'ap-southeast-2', secretId: 'denied' })).code, 'access-denied');
    assert.strictEqual((await verify({ region: 'ap-southeast-2', secretId: 'kms' })).code, 'kms-denied');
    assert.strictEqual((await verify({ region: 'ap-southeast-2', secretId: 'deleted' })).code, 'marked-for-deletion');
  });

  it('rotation and a customer-managed KMS key become notes', async () => {
    const r = await verify({ region: 'ap-southeast-2', secretId: 'rotating' });
    assert.strictEqual(r.code, 'ok');
    assert.strictEqual(r.metadata?.rotationEnabled, true);
    assert.deepStrictEqual(
      r.notes?.map((n) => n.severity),
      ['warning', 'info'],
    );
  });

  it('invalid-credentials: unknown key id, wrong secret key, and a signature scoped to the wrong region', async () => {
    setEnv({ AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNUNKNOWN00' });
    try {
      assert.strictEqual((await verify({ region: 'ap-southeast-2', secretId: 'plain' })).code, 'invalid-credentials');
    } finally {
      setEnv({ AWS_ACCESS_KEY_ID: server.env().AWS_ACCESS_KEY_ID });
    }
    setEnv({ AWS_SECRET_ACCESS_KEY: 'wrong-secret-key' });
    try {
      const r = await verify({ region: 'ap-southeast-2', secretId: 'plain' });
      assert.strictEqual(r.code, 'invalid-credentials');
    } finally {
      setEnv({ AWS_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY });
    }
    server.servedRegion = 'ap-southeast-2';
    assert.strictEqual((await verify({ region: 'eu-west-1', secretId: 'elsewhere' })).code, 'invalid-credentials');
    assert.strictEqual((await verify({ region: 'ap-southeast-2', secretId: 'plain' })).code, 'ok');
  });

  it('expired-credentials', async () => {
    setEnv({ AWS_ACCESS_KEY_ID: EXPIRED_ACCESS_KEY_ID, AWS_SESSION_TOKEN: 'session' });
    try {
      assert.strictEqual((await verify({ region: 'ap-southeast-2', secretId: 'plain' })).code, 'expired-credentials');
    } finally {
      setEnv({ AWS_ACCESS_KEY_ID: server.env().AWS_ACCESS_KEY_ID, AWS_SESSION_TOKEN: undefined });
    }
  });

  it('no-credentials names the sources tried', async () => {
    setEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    try {
      const r = await verify({ region: 'ap-southeast-2', secretId: 'plain' });
      assert.strictEqual(r.code, 'no-credentials');
      assert.match(r.message, /environment variables, SSO and shared config\/credentials files/);
    } finally {
      setEnv({ AWS_ACCESS_KEY_ID: server.env().AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY });
    }
  });

  it('uses a named profile from the shared credentials file', async () => {
    fs.writeFileSync(
      path.join(home, 'credentials'),
      `[ops]\naws_access_key_id = ${server.env().AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${TEST_SECRET_ACCESS_KEY}\n`,
    );
    setEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    try {
      const r = await verify({ region: 'ap-southeast-2', secretId: 'plain' }, verifier({ profile: 'ops' }));
      assert.strictEqual(r.code, 'ok');
      assert.strictEqual(r.credentialSource, 'profile ops');
    } finally {
      setEnv({ AWS_ACCESS_KEY_ID: server.env().AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY });
      fs.writeFileSync(path.join(home, 'credentials'), '');
    }
  });

  it('throttled after the SDK retries; 5xx and a dropped connection are retried to success', async () => {
    server.faults = { throttle: 10 };
    assert.strictEqual((await verify({ region: 'ap-southeast-2', secretId: 'plain', describe: false })).code, 'throttled');
    server.faults = { serverError: 1 };
    assert.strictEqual((await verify({ region: 'ap-southeast-2', secretId: 'plain', describe: false })).code, 'ok');
    server.faults = { drop: 1 };
    assert.strictEqual((await verify({ region: 'ap-southeast-2', secretId: 'plain', describe: false })).code, 'ok');
  });

  it('a malformed answer is an error with a message, not a crash', async () => {
    server.faults = { malformed: 5 };
    const r = await verify({ region: 'ap-southeast-2', secretId: 'plain', describe: false });
    assert.notStrictEqual(r.code, 'ok');
    assert.ok(r.message.length > 0);
  });

  it('timeout, network and cancellation', async () => {
    server.faults = { latencyMs: 2000 };
    const slow = await verify({ region: 'ap-southeast-2', secretId: 'plain', describe: false }, verifier({ requestTimeoutMs: 200 }));
    assert.strictEqual(slow.code, 'timeout');
    server.faults = {};
    const closed = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (probe.address() as net.AddressInfo).port;
        probe.close(() => resolve(port));
      });
    });
    const refused = await verify({ region: 'ap-southeast-2', secretId: 'plain', endpointOverride: `http://127.0.0.1:${closed}` });
    assert.strictEqual(refused.code, 'network');
    server.faults = { latencyMs: 1000 };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const cancelled = await verify({ region: 'ap-southeast-2', secretId: 'plain', signal: controller.signal });
    assert.strictEqual(cancelled.code, 'cancelled');
  });

  it('a cancel during the back-off between attempts sends no further attempt; a cancel aborts only its own request', async () => {
    const v = verifier();
    try {
      // A 5xx is retried after a back-off. The cancel comes as the failed answer leaves the server: the verify ends
      // cancelled, and nothing more reached the server (the next attempt is refused before it is sent).
      let arrived = 0;
      const controller = new AbortController();
      server.faults = { serverError: 1 };
      server.onRequest = (_req, res) => {
        arrived++;
        res.once('finish', () => controller.abort());
      };
      const cancelled = await v.verify({ region: 'ap-southeast-2', secretId: 'plain', describe: false, signal: controller.signal });
      assert.strictEqual(cancelled.code, 'cancelled');
      assert.strictEqual(arrived, 1, 'an attempt was sent after the cancel');
      // Two verifies at once on one client's destination: cancelling one leaves the other to finish.
      server.onRequest = undefined;
      server.faults = { latencyMs: 300 };
      const first = new AbortController();
      const both = Promise.all([
        v.verify({ region: 'ap-southeast-2', secretId: 'plain', describe: false, signal: first.signal }),
        v.verify({ region: 'ap-southeast-2', secretId: 'kv', secretPointer: '/password', describe: false, signal: new AbortController().signal }),
      ]);
      setImmediate(() => first.abort());
      const [a, b] = await both;
      assert.deepStrictEqual([a.code, b.code], ['cancelled', 'ok']);
    } finally {
      server.onRequest = undefined;
      server.faults = {};
      v.dispose();
    }
  });

  it('endpointOverride from the reference is honoured', async () => {
    setEnv({ AWS_ENDPOINT_URL_SECRETS_MANAGER: undefined });
    try {
      const r = await verify({ region: 'ap-southeast-2', secretId: 'plain', endpointOverride: server.endpoint });
      assert.strictEqual(r.code, 'ok');
    } finally {
      setEnv({ AWS_ENDPOINT_URL_SECRETS_MANAGER: server.endpoint });
    }
  });

  it('preflight: the credential source and the caller identity from STS (query protocol, SigV4 scoped to sts)', async () => {
    const v = verifier();
    try {
      const before = server.calls.get('GetCallerIdentity') ?? 0;
      const p = await v.preflight('ap-southeast-2');
      assert.deepStrictEqual(p, { ok: true, source: 'environment', identity: { arn: TEST_CALLER_ARN, account: '123456789012' } });
      assert.strictEqual(server.calls.get('GetCallerIdentity'), before + 1);
      server.callerArn = 'arn:aws:sts::123456789012:assumed-role/BitbucketRole/i-0abc';
      const role = await v.preflight(undefined);
      assert.ok(role.ok && role.identity?.arn === 'arn:aws:sts::123456789012:assumed-role/BitbucketRole/i-0abc');
    } finally {
      server.callerArn = TEST_CALLER_ARN;
      v.dispose();
    }
  });

  it('preflight without credentials: the code, and what each provider of the chain said; a retry resolves afresh', async () => {
    setEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    const v = verifier();
    try {
      const p = await v.preflight('ap-southeast-2');
      assert.ok(!p.ok);
      assert.strictEqual(p.code, 'no-credentials');
      assert.ok(p.found.length >= 2, p.found.join('\n'));
      assert.ok(
        p.found.some((line) => /environment/i.test(line)),
        p.found.join('\n'),
      );
      setEnv({ AWS_ACCESS_KEY_ID: server.env().AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY });
      const again = await v.preflight('ap-southeast-2');
      assert.ok(again.ok, 'the same verifier finds the credentials once they exist');
    } finally {
      setEnv({ AWS_ACCESS_KEY_ID: server.env().AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY });
      v.dispose();
    }
  });

  it('preflight: expired credentials fail it; an unreachable STS keeps the source and says why the identity is unknown', async () => {
    setEnv({ AWS_ACCESS_KEY_ID: EXPIRED_ACCESS_KEY_ID, AWS_SESSION_TOKEN: 'session' });
    try {
      const p = await verifier().preflight('ap-southeast-2');
      assert.ok(!p.ok);
      assert.strictEqual(p.code, 'expired-credentials');
    } finally {
      setEnv({ AWS_ACCESS_KEY_ID: server.env().AWS_ACCESS_KEY_ID, AWS_SESSION_TOKEN: undefined });
    }
    const closed = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (probe.address() as net.AddressInfo).port;
        probe.close(() => resolve(port));
      });
    });
    setEnv({ AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${closed}` });
    try {
      const p = await verifier().preflight('ap-southeast-2');
      assert.ok(p.ok);
      assert.strictEqual(p.source, 'environment');
      assert.strictEqual(p.identity, undefined);
      assert.match(p.identityProblem ?? '', /\S/);
    } finally {
      setEnv({ AWS_ENDPOINT_URL_STS: server.endpoint });
    }
  });

  it('the canary value appears in no result, message or log line', () => {
    assert.ok(results.length > 20);
    const everything = JSON.stringify(results) + results.map((r) => (r as { message: string }).message).join('\n') + logs.join('\n');
    assert.ok(!everything.includes(CANARY));
    assert.ok(
      logs.some((l) => /request [0-9a-f-]{36}/.test(l)),
      'logs carry request ids',
    );
  });
});

describe('ListSecrets through the verifier (for the wizard)', function () {
  this.timeout(30_000);
  const server = new LocalSecretsManager();
  const env = new EnvOverride();

  before(async () => {
    await server.start();
    env.set({ ...server.env(), AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' });
    for (let i = 0; i < 120; i++) server.seed({ name: `app/s${String(i).padStart(3, '0')}`, secretString: 'v', description: `secret ${i}` });
    server.seed({ name: 'other/x', secretString: 'v' });
  });

  after(async () => {
    await server.close();
    env.restore();
  });

  it('pages through names and descriptions (never values) and filters by name prefix', async () => {
    const v = new SecretsVerifier({ requestTimeoutMs: 3000, imdsTimeoutMs: 200 });
    try {
      const names: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await v.listSecrets('ap-southeast-2', { nextToken: token });
        names.push(...page.secrets.map((s) => s.name));
        assert.ok(page.secrets.every((s) => !('secretString' in s) && !('SecretString' in s)));
        token = page.nextToken;
        pages++;
      } while (token);
      assert.strictEqual(names.length, 121);
      assert.strictEqual(pages, 3);
      const filtered = await v.listSecrets('ap-southeast-2', { filter: 'other' });
      assert.deepStrictEqual(
        filtered.secrets.map((s) => s.name),
        ['other/x'],
      );
    } finally {
      v.dispose();
    }
  });

  it('secretNames: the first 100 names over two pages, with descriptions; the editor and the language server both list through it', async () => {
    const v = new SecretsVerifier({ requestTimeoutMs: 3000, imdsTimeoutMs: 200 });
    try {
      server.calls.clear();
      const names = await v.secretNames('ap-southeast-2');
      assert.strictEqual(names.length, 100);
      assert.deepStrictEqual(names[0], { name: 'app/s000', description: 'secret 0' });
      assert.strictEqual(server.calls.get('ListSecrets'), 2);
    } finally {
      v.dispose();
    }
  });
});

describe('TtlMemo (core/util/ttlMemo): one listing a minute, none kept when it failed', () => {
  it('shares a value within the time, makes it again after, and forgets a failure', async () => {
    let now = 0;
    let made = 0;
    const memo = new TtlMemo<number>(60_000, () => now);
    const make = () => Promise.resolve(++made);
    assert.strictEqual(await memo.get('eu-west-1', make), 1);
    now = 59_999;
    assert.strictEqual(await memo.get('eu-west-1', make), 1);
    assert.strictEqual(await memo.get('us-east-1', make), 2, 'each key has its own value');
    now = 60_000;
    assert.strictEqual(await memo.get('eu-west-1', make), 3);
    await assert.rejects(memo.get('ap-south-1', () => Promise.reject(new Error('ExpiredToken'))));
    assert.strictEqual(await memo.get('ap-south-1', make), 4, 'a failed listing is tried again at once');
  });
});
