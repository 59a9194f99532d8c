import * as assert from 'assert';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { AddressInfo } from 'net';
import * as aws from '../../src/aws';
import { main } from '../../src/cli/main';
import { decideEndpoint, hostSet, requestEndpoint } from '../../src/core/engine/endpointPolicy';
import { kvReadUrl } from '../../src/core/verify/vaultOutcome';
import { runVerify } from '../../src/core/engine/verifyEngine';
import { targetOutcome } from '../../src/core/verify/outcome';
import { ENDPOINT_TABLE, aws1, vault } from '../support/endpointTable';
import { parseUrl } from '@smithy/core/protocols';
import { verifyReport } from '../support/reports';

describe('one endpoint policy (core/engine/endpointPolicy): the table of hostile endpoints', () => {
  for (const row of ENDPOINT_TABLE) {
    const endpoint = row.target.store === 'aws' ? row.target.endpointOverride : row.target.endpoint;
    it(`${row.target.store} ${endpoint} with [${row.allow.join(', ')}]: ${row.kind}${row.host ? ` (${row.host})` : ''}`, () => {
      const decision = decideEndpoint(row.target, hostSet(row.allow));
      assert.strictEqual(decision.kind, row.kind);
      if (row.host && decision.kind !== 'allowed') assert.strictEqual(decision.host, row.host);
      if (decision.kind === 'declined') return;
      // The request is built from the decision's target: its host is the one decided.
      const sent = decision.target.store === 'aws' ? decision.target.endpointOverride! : kvReadUrl(decision.target.endpoint, 'secret', 'db');
      const connects = new URL(sent).host;
      if (row.host) assert.strictEqual(connects, row.host);
      assert.strictEqual(new URL(sent).username + new URL(sent).password, '', `no userinfo is sent: ${sent}`);
    });
  }

  it('the host a request connects to is the host the policy decided, for 10,000 generated URLs', () => {
    const hostPart = fc.oneof(
      fc.domain(),
      fc.ipV4(),
      fc.constantFrom('2130706433', '0x7f.1', '0177.0.0.1', '[::1]', 'bücher.example', 'VAULT.example.', '%65vil.example'),
    );
    const noise = fc.constantFrom('', 'user@', 'user:pw@', 'a@b@', '%40@');
    const tail = fc.constantFrom('', '/', '/v1', '?@evil.example/', '#@evil.example', '\\@evil.example/', '/..;@evil.example', ':8200', ':8200/x?y');
    fc.assert(
      fc.property(fc.constantFrom('http', 'https', 'HTTP', 'ftp'), noise, hostPart, tail, fc.boolean(), (scheme, user, host, rest, awsTarget) => {
        const raw = `${scheme}://${user}${host}${rest}`;
        const target = awsTarget ? aws1(raw) : vault(raw);
        const decision = decideEndpoint(target, hostSet([]));
        if (decision.kind === 'declined') return;
        const sent =
          decision.target.store === 'aws'
            ? decision.target.endpointOverride!
            : kvReadUrl(decision.target.endpoint, decision.target.mount, decision.target.path);
        assert.strictEqual(requestEndpoint(sent) !== undefined, true);
        const decidedHost = decision.kind === 'ask' ? decision.host : new URL(raw).host;
        // Where each sender connects: the AWS SDK parses its endpoint with its own parseUrl; fetch (Vault) with the URL
        // it is given.
        if (decision.target.store === 'aws') {
          const sdk = parseUrl(sent);
          assert.strictEqual(sdk.port === undefined ? sdk.hostname : `${sdk.hostname}:${sdk.port}`, decidedHost, raw);
        } else assert.strictEqual(new URL(sent).host, decidedHost, raw);
        assert.strictEqual(new URL(sent).username, '');
      }),
      { numRuns: 10_000, seed: 20261207 },
    );
  });
});

describe('the CLI takes the same decision on the table (it declines what the editor would ask)', function () {
  this.timeout(60_000);
  let server: http.Server;
  let port: number;
  const hits: string[] = [];
  let dir: string;

  before(async () => {
    server = http.createServer((req, res) => {
      hits.push(`${req.headers.host} ${req.url}`);
      res.writeHead(404).end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-policy-'));
  });
  after(() => {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a Vault endpoint that smuggles another host after "?" goes to the allowed host only; an unallowed host is declined, not contacted', async () => {
    const write = (name: string, endpoint: string) => {
      const file = path.join(dir, name, 'bitbucket.properties');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(
        file,
        `encrypted-property.cipher.classname=com.atlassian.secrets.store.vault.VaultSecretStore\njdbc.password={ENC}${JSON.stringify({ mount: 'secret', path: 'db', key: 'password', endpoint })}\n`,
      );
      return file;
    };
    let stdout = '';
    const io = { stdout: (t: string) => (stdout += t), stderr: () => undefined, loadAws: () => aws };
    const env = process.env.SECRET_STORE_VAULT_TOKEN;
    process.env.SECRET_STORE_VAULT_TOKEN = 'canary-token';
    try {
      // Allowed: 127.0.0.1:<port>; the "evil" host after "?" is part of the query and never contacted.
      await main(['verify', '--format', 'json', '--allow-endpoint', `127.0.0.1:${port}`, write('smuggle', `http://127.0.0.1:${port}?@localhost:${port}/`)], io);
      assert.deepStrictEqual(
        hits.map((h) => h.split(' ')[0]),
        [`127.0.0.1:${port}`],
      );
      stdout = '';
      // Not allowed (localhost is another name): declined, and nothing is sent.
      const code = await main(['verify', '--format', 'json', '--allow-endpoint', `127.0.0.1:${port}`, write('other', `http://localhost:${port}/`)], io);
      assert.strictEqual(code, 1);
      assert.strictEqual(verifyReport(stdout).results[0].code, 'endpoint-declined');
      assert.strictEqual(hits.length, 1);
    } finally {
      if (env === undefined) delete process.env.SECRET_STORE_VAULT_TOKEN;
      else process.env.SECRET_STORE_VAULT_TOKEN = env;
    }
  });
});

describe("the CLI's path through the engine takes the table's decisions (an 'ask' is declined: it never asks)", () => {
  it('sends to the backend exactly the allowed rows, with the endpoint as decided', async () => {
    for (const row of ENDPOINT_TABLE) {
      const sent: string[] = [];
      const [result] = await runVerify(
        [{ target: row.target }],
        (t) => {
          sent.push(t.store === 'aws' ? t.endpointOverride! : t.endpoint);
          return Promise.resolve(targetOutcome(t, 'ok', 'Resolved.'));
        },
        { concurrency: 1, deadlineMs: 5000, allowedHosts: hostSet(row.allow) },
      );
      const label = JSON.stringify(row.target);
      assert.strictEqual(result.outcome.code, row.kind === 'allowed' ? 'ok' : 'endpoint-declined', label);
      assert.strictEqual(sent.length, row.kind === 'allowed' ? 1 : 0, label);
      if (row.host && sent.length) assert.strictEqual(new URL(sent[0]).host, row.host, label);
    }
  });
});
