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
import { AwsTarget, VaultTarget } from '../../src/core/verify/targets';
import { verifyReport } from '../support/reports';

const aws1 = (endpointOverride: string, region = 'eu-west-1'): AwsTarget => ({ store: 'aws', region, secretId: 'db', endpointOverride });
const vault = (endpoint: string): VaultTarget => ({ store: 'vault', endpoint, mount: 'secret', path: 'db', key: 'password' });

/**
 * The table of hostile and ordinary endpoints: what the one policy decides, with the allow-list given. The CLI and the
 * editor take their decision from decideEndpoint (the editor asks for an 'ask', the CLI declines it).
 */
export const ENDPOINT_TABLE: readonly {
  readonly target: AwsTarget | VaultTarget;
  readonly allow: readonly string[];
  readonly kind: 'allowed' | 'ask' | 'declined';
  readonly host?: string;
}[] = [
  // The host checked is the host connected: "?" ends the authority, so evil.example is the query.
  { target: vault('http://vault.internal:8200?@evil.example/'), allow: ['vault.internal:8200'], kind: 'allowed', host: 'vault.internal:8200' },
  { target: vault('http://vault.internal:8200#@evil.example/'), allow: ['vault.internal:8200'], kind: 'allowed', host: 'vault.internal:8200' },
  { target: vault('http://vault.internal:8200\\@evil.example/'), allow: ['vault.internal:8200'], kind: 'allowed', host: 'vault.internal:8200' },
  { target: vault('http://vault.internal:8200@evil.example/'), allow: ['vault.internal:8200'], kind: 'ask', host: 'evil.example' },
  { target: vault('http://user:pw@evil.example/'), allow: ['vault.internal'], kind: 'ask', host: 'evil.example' },
  { target: vault('http://2130706433:8200/'), allow: ['127.0.0.1:8200'], kind: 'allowed', host: '127.0.0.1:8200' },
  { target: vault('http://0177.0.0.1:8200/'), allow: ['127.0.0.1:8200'], kind: 'allowed', host: '127.0.0.1:8200' },
  { target: vault('http://VAULT.Internal.:8200/'), allow: ['vault.internal:8200'], kind: 'ask', host: 'vault.internal.:8200' },
  { target: vault('http://[::1]:8200/'), allow: ['[::1]:8200'], kind: 'allowed', host: '[::1]:8200' },
  { target: vault('http://bücher.example/'), allow: ['xn--bcher-kva.example'], kind: 'allowed', host: 'xn--bcher-kva.example' },
  { target: vault('http://%65vil.example/'), allow: ['evil.example'], kind: 'allowed', host: 'evil.example' },
  { target: vault('file:///etc/passwd'), allow: [], kind: 'declined' },
  { target: vault('not a url'), allow: [], kind: 'declined' },
  // A Vault token never goes to an AWS-named host without consent.
  { target: vault('https://secretsmanager.eu-west-1.amazonaws.com'), allow: [], kind: 'ask' },
  // AWS's own Secrets Manager endpoints of the target's partition, over https, for AWS targets only.
  { target: aws1('https://secretsmanager.eu-west-1.amazonaws.com'), allow: [], kind: 'allowed' },
  { target: aws1('https://secretsmanager-fips.us-east-1.amazonaws.com', 'us-east-1'), allow: [], kind: 'allowed' },
  { target: aws1('https://vpce-0a1b2c3d4e5f-abcdefgh.secretsmanager.eu-west-1.vpce.amazonaws.com'), allow: [], kind: 'allowed' },
  { target: aws1('https://secretsmanager.cn-north-1.amazonaws.com.cn', 'cn-north-1'), allow: [], kind: 'allowed' },
  { target: aws1('https://secretsmanager.cn-north-1.amazonaws.com.cn'), allow: [], kind: 'ask' },
  { target: aws1('http://secretsmanager.eu-west-1.amazonaws.com'), allow: [], kind: 'ask' },
  { target: aws1('https://secretsmanager.eu-west-1.amazonaws.com:8443'), allow: [], kind: 'ask' },
  { target: aws1('https://ec2-203-0-113-25.compute-1.amazonaws.com'), allow: [], kind: 'ask' },
  { target: aws1('https://my-elb-123.eu-west-1.elb.amazonaws.com'), allow: [], kind: 'ask' },
  { target: aws1('https://abc123.execute-api.eu-west-1.amazonaws.com'), allow: [], kind: 'ask' },
  { target: aws1('http://bucket.s3-website-eu-west-1.amazonaws.com'), allow: [], kind: 'ask' },
  { target: aws1('https://secretsmanager.eu-west-1.amazonaws.com.evil.example'), allow: [], kind: 'ask' },
];

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
        assert.strictEqual(new URL(sent).host, decidedHost, raw);
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
