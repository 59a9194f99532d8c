import * as assert from 'assert';
import { readVaultValue, verifyVault } from '../../src/vault/vaultVerifier';
import { LocalVault } from '../support/localVault';
import { verifyReport } from '../support/reports';

describe('verify against a local Vault (KV v2, real HTTP)', function () {
  this.timeout(20_000);
  const vault = new LocalVault();
  const CANARY = `vault-canary-${Date.now()}`;
  const results: unknown[] = [];

  before(async () => {
    await vault.start();
    vault.put('secret', 'bitbucket/db', { password: CANARY, user: 'bb', empty: '' });
    vault.put('secret', 'gone', { password: 'x' }, { deleted: true });
    vault.put('secret', 'burnt', { password: 'x' }, { destroyed: true });
    vault.tokens.set('limited', ['other/']);
  });
  after(() => vault.close());

  /** The reference of the tests: the seeded secret's password, with the root token. */
  const request = () => ({ mount: 'secret', path: 'bitbucket/db', key: 'password', endpoint: vault.endpoint, token: 'root-token', timeoutMs: 2000 });

  async function verify(over: Partial<Parameters<typeof verifyVault>[0]> = {}) {
    const r = await verifyVault({ ...request(), ...over });
    results.push(r);
    return r;
  }

  it('ok, with the length and version, never the value', async () => {
    const r = await verify();
    assert.strictEqual(r.code, 'ok');
    assert.strictEqual(r.valueLength, CANARY.length);
    assert.strictEqual(r.version, 1);
    assert.ok(!Object.getOwnPropertyNames(r).includes('value'), 'the outcome has no value property at all');
    assert.ok(!JSON.stringify(r).includes(CANARY));
    const copied = await readVaultValue(request());
    assert.strictEqual(copied.value, CANARY, 'readVaultValue (Copy value) alone returns the value');
  });

  it('vault-key-missing names the keys; empty-value', async () => {
    const r = await verify({ key: 'pasword' });
    assert.strictEqual(r.code, 'vault-key-missing');
    assert.match(r.message, /"password", "user", "empty"/);
    assert.strictEqual((await verify({ key: 'empty' })).code, 'empty-value');
  });

  it('vault-path-missing, vault-version-deleted, vault-version-destroyed', async () => {
    assert.strictEqual((await verify({ path: 'nope' })).code, 'vault-path-missing');
    assert.strictEqual((await verify({ mount: 'secret/data' })).code, 'vault-path-missing');
    assert.strictEqual((await verify({ path: 'gone' })).code, 'vault-version-deleted');
    assert.strictEqual((await verify({ path: 'burnt' })).code, 'vault-version-destroyed');
  });

  it('vault-forbidden, vault-no-token, vault-sealed', async () => {
    assert.strictEqual((await verify({ token: 'limited' })).code, 'vault-forbidden');
    const saved = [process.env.SECRET_STORE_VAULT_TOKEN, process.env.VAULT_TOKEN];
    delete process.env.SECRET_STORE_VAULT_TOKEN;
    delete process.env.VAULT_TOKEN;
    try {
      assert.strictEqual((await verify({ token: undefined })).code, 'vault-no-token');
      process.env.SECRET_STORE_VAULT_TOKEN = 'root-token';
      assert.strictEqual((await verify({ token: undefined })).code, 'ok', 'the product’s own variable is used');
    } finally {
      if (saved[0] === undefined) delete process.env.SECRET_STORE_VAULT_TOKEN;
      else process.env.SECRET_STORE_VAULT_TOKEN = saved[0];
      if (saved[1] !== undefined) process.env.VAULT_TOKEN = saved[1];
    }
    vault.sealed = true;
    try {
      assert.strictEqual((await verify()).code, 'vault-sealed');
    } finally {
      vault.sealed = false;
    }
  });

  it('network, cancelled, and Kubernetes auth (only checkable in the cluster)', async () => {
    assert.strictEqual((await verify({ endpoint: 'http://127.0.0.1:1' })).code, 'network');
    const controller = new AbortController();
    controller.abort();
    assert.strictEqual((await verify({ signal: controller.signal })).code, 'cancelled');
    assert.strictEqual((await verify({ authenticationType: 'KUBERNETES' })).code, 'vault-kubernetes-auth');
  });

  it('the canary appears in no result', () => {
    assert.ok(!JSON.stringify(results).includes(CANARY));
  });
});

describe('encprops verify with Vault references', function () {
  this.timeout(20_000);
  it('resolves them with SECRET_STORE_VAULT_TOKEN and reports the same codes', async () => {
    const fs = await import('fs');
    const os = await import('os');
    const path = await import('path');
    const { main } = await import('../../src/cli/main.js');
    const vault = await new LocalVault().start();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-vault-cli-'));
    const saved = process.env.SECRET_STORE_VAULT_TOKEN;
    try {
      vault.put('secret', 'confluence/db', { password: 'pw-123' });
      fs.writeFileSync(
        path.join(dir, 'confluence.cfg.xml'),
        `<confluence-configuration><properties><property name="jdbc.password.decrypter.classname">com.atlassian.secrets.store.vault.VaultSecretStore</property><property name="hibernate.connection.password">{"mount":"secret","path":"confluence/db","key":"password","endpoint":"${vault.endpoint}"}</property></properties></confluence-configuration>`,
      );
      process.env.SECRET_STORE_VAULT_TOKEN = 'root-token';
      let out = '';
      // The file names the endpoint: without --allow-endpoint the token is not sent there.
      const declined = await main(['verify', '--format', 'json', dir], { stdout: (t) => (out += t), stderr: () => undefined });
      assert.strictEqual(declined, 1, out);
      assert.strictEqual(verifyReport(out).results[0].code, 'endpoint-declined');
      assert.match(verifyReport(out).results[0].message, /--allow-endpoint 127\.0\.0\.1:\d+/);
      out = '';
      const code = await main(['verify', '--format', 'json', '--allow-endpoint', new URL(vault.endpoint).host, dir], {
        stdout: (t) => (out += t),
        stderr: () => undefined,
      });
      assert.strictEqual(code, 0, out);
      const [row] = verifyReport(out).results;
      assert.deepStrictEqual(
        { store: row.store, code: row.code, secretId: row.secretId, secretPointer: row.secretPointer, valueLength: row.valueLength },
        { store: 'vault', code: 'ok', secretId: 'secret/confluence/db', secretPointer: 'password', valueLength: 6 },
      );
      assert.ok(!out.includes('pw-123'));
    } finally {
      if (saved === undefined) delete process.env.SECRET_STORE_VAULT_TOKEN;
      else process.env.SECRET_STORE_VAULT_TOKEN = saved;
      await vault.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
