import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { decideEndpoint, hostSet } from '../../src/core/engine/endpointPolicy';
import { referenceIds } from '../../src/core/engine/referenceId';
import { runVerify } from '../../src/core/engine/verifyEngine';
import { DeadlineQueue } from '../../src/core/engine/deadlineQueue';
import { analyzeFile } from '../../src/core/analyzeFile';
import { resolveFileKind } from '../../src/core/model/fileKind';
import { targetOutcome, VerifyOutcome } from '../../src/core/verify/outcome';
import { AwsTarget, VaultTarget, VerifyTarget } from '../../src/core/verify/targets';
import { localAws, runCli } from '../support/cli';
import { verifyReport } from '../support/reports';

const awsTarget = (endpointOverride?: string): AwsTarget => ({
  store: 'aws',
  region: 'eu-west-1',
  secretId: 'db',
  ...(endpointOverride ? { endpointOverride } : {}),
});
const vaultTarget = (endpoint: string): VaultTarget => ({ store: 'vault', endpoint, mount: 'secret', path: 'db', key: 'password' });

describe('the shared endpoint policy (core/engine/endpointPolicy)', () => {
  it("allows AWS's own domains for AWS requests only, never for a Vault token", () => {
    assert.strictEqual(decideEndpoint(awsTarget(), hostSet([])).kind, 'allowed');
    assert.strictEqual(decideEndpoint(awsTarget('https://secretsmanager.eu-west-1.amazonaws.com'), hostSet([])).kind, 'allowed');
    // The editor used to send a Vault token to any *.amazonaws.com host without asking; the CLI did not.
    const vault = decideEndpoint(vaultTarget('https://vault.eu-west-1.amazonaws.com'), hostSet([]));
    assert.ok(vault.kind === 'ask');
    assert.deepStrictEqual(
      { endpoint: vault.endpoint, host: vault.host, what: vault.what },
      { endpoint: 'https://vault.eu-west-1.amazonaws.com', host: 'vault.eu-west-1.amazonaws.com', what: 'the Vault token' },
    );
  });

  it('checks the host the request goes to (host:port or host), and never shows userinfo', () => {
    assert.strictEqual(decideEndpoint(vaultTarget('http://vault.internal:8200'), hostSet(['VAULT.internal:8200'])).kind, 'allowed');
    assert.strictEqual(decideEndpoint(vaultTarget('http://vault.internal:8200'), hostSet(['vault.internal'])).kind, 'allowed');
    const other = decideEndpoint(vaultTarget('http://user:pw@evil.example:8200'), hostSet(['vault.internal:8200']));
    assert.strictEqual(other.kind, 'ask');
    assert.ok(other.kind === 'ask' && !other.endpoint.includes('pw'), JSON.stringify(other));
    assert.strictEqual(decideEndpoint(awsTarget('not a url'), hostSet([])).kind, 'declined');
  });
});

describe('the shared verify engine (core/engine/verifyEngine)', () => {
  const ok = (target: VerifyTarget): VerifyOutcome => targetOutcome(target, 'ok', 'Resolved.');

  it('asks the front end for a host nobody allowed, and declines without asking when it cannot ask', async () => {
    const asked: string[] = [];
    const jobs = [{ target: vaultTarget('https://vault.example:8200') }, { target: awsTarget() }];
    const withConsent = await runVerify(jobs, (t) => Promise.resolve(ok(t)), {
      concurrency: 2,
      deadlineMs: 5000,
      allowedHosts: hostSet([]),
      consent: (d) => {
        asked.push(d.host);
        return Promise.resolve(true);
      },
    });
    assert.deepStrictEqual(asked, ['vault.example:8200']);
    assert.deepStrictEqual(withConsent.map((r) => r.outcome.code).sort(), ['ok', 'ok']);
    const sent: VerifyTarget[] = [];
    const without = await runVerify(
      jobs,
      (t) => {
        sent.push(t);
        return Promise.resolve(ok(t));
      },
      { concurrency: 2, deadlineMs: 5000, allowedHosts: hostSet([]) },
    );
    const declined = without.find((r) => r.job.target.store === 'vault')!;
    assert.strictEqual(declined.outcome.code, 'endpoint-declined');
    assert.strictEqual(declined.declined?.host, 'vault.example:8200');
    assert.deepStrictEqual(
      sent.map((t) => t.store),
      ['aws'],
    );
  });

  it('ends a backend that never answers at the deadline, as a timeout', async () => {
    const started = Date.now();
    const [result] = await runVerify([{ target: awsTarget() }], () => new Promise<VerifyOutcome>(() => undefined), {
      concurrency: 1,
      deadlineMs: 200,
      allowedHosts: hostSet([]),
      deadlineHint: 'raise --timeout',
    });
    assert.strictEqual(result.outcome.code, 'timeout');
    assert.match(result.outcome.message, /within 200 ms.*raise --timeout/);
    assert.ok(Date.now() - started < 5000);
  });

  it('ends each of several slow references at its own deadline, and leaves no timer behind after a pass', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    await new Promise(setImmediate); // mocha's own timeout timer is set once the test has begun
    const before = timers();
    // Two hang, one answers: the queue's one timer must still reach the second hanging reference after the first.
    const jobs = [{ target: awsTarget() }, { target: { ...awsTarget(), secretId: 'answers' } }, { target: { ...awsTarget(), secretId: 'hangs' } }];
    const results = await runVerify(
      jobs,
      (t) => (t.store === 'aws' && t.secretId === 'answers' ? Promise.resolve(ok(t)) : new Promise<VerifyOutcome>(() => undefined)),
      {
        concurrency: 3,
        deadlineMs: 100,
        allowedHosts: hostSet([]),
      },
    );
    assert.deepStrictEqual(results.map((r) => r.outcome.code).sort(), ['ok', 'timeout', 'timeout']);
    await runVerify(
      Array.from({ length: 50 }, () => ({ target: awsTarget() })),
      (t) => Promise.resolve(ok(t)),
      { concurrency: 4, deadlineMs: 60_000, allowedHosts: hostSet([]) },
    );
    assert.strictEqual(timers(), before, 'a pass of quick references left a timer running');
  });

  it('runs at most `concurrency` at once, and starts no new one once cancelled', async () => {
    let running = 0;
    let most = 0;
    const controller = new AbortController();
    const jobs = Array.from({ length: 10 }, () => ({ target: awsTarget() }));
    const results = await runVerify(
      jobs,
      async (t) => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setImmediate(r));
        running--;
        controller.abort();
        return ok(t);
      },
      { concurrency: 3, deadlineMs: 5000, allowedHosts: hostSet([]) },
      controller.signal,
    );
    assert.strictEqual(most, 3);
    assert.ok(results.length < 10, `${results.length} ran after the cancel`);
  });
});

describe("a reference's identity (core/engine/referenceId)", () => {
  it('tells apart the same variable in two services of one Compose file, and keeps it across edits elsewhere', () => {
    const compose = (extra: string) =>
      `services:\n${extra}  jira:\n    image: atlassian/jira-software:9.12\n    environment:\n      ATL_JDBC_SECRET_CLASS: com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n      ATL_JDBC_PASSWORD: '{"region":"eu-west-1","secretId":"a"}'\n  confluence:\n    image: atlassian/confluence:8.9\n    environment:\n      ATL_JDBC_SECRET_CLASS: com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n      ATL_JDBC_PASSWORD: '{"region":"eu-west-1","secretId":"b"}'\n`;
    const ids = (text: string) => {
      const analysis = analyzeFile(text, { kind: resolveFileKind({ fileName: 'compose.yaml', head: text }) });
      const map = referenceIds(analysis.references);
      return analysis.references.map((r) => `${map.get(r)} ${text.slice(r.span.start, r.span.end).includes('"a"') ? 'a' : 'b'}`);
    };
    assert.deepStrictEqual(ids(compose('')), ['ATL_JDBC_PASSWORD#0 a', 'ATL_JDBC_PASSWORD#1 b']);
    assert.deepStrictEqual(ids(compose('  db:\n    image: postgres:16\n')), ['ATL_JDBC_PASSWORD#0 a', 'ATL_JDBC_PASSWORD#1 b']);
  });
});

describe('encprops: one reading of a named file, one option parser, one way to apply', function () {
  this.timeout(30_000);
  const local = localAws('encprops-engine-');
  const run = runCli;
  let dir: string;
  before(() => {
    dir = local.dir();
    local.server.seed({ name: 'bb/db', secretString: 'not-the-value' });
  });

  it('verify reads a named file with an unknown name as check does (bb.conf is Bitbucket properties for both)', async () => {
    const file = path.join(dir, 'bb.conf');
    fs.writeFileSync(
      file,
      'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\njdbc.password={ENC}{"region":"ap-southeast-2","secretId":"bb/db"}\n',
    );
    assert.strictEqual((await run(['check', file])).code, 0);
    const verified = await run(['verify', '--format=json', file]);
    assert.strictEqual(verified.code, 0, verified.stderr);
    assert.deepStrictEqual(
      verifyReport(verified.stdout).results.map((r) => [r.key, r.code]),
      [['jdbc.password', 'ok']],
    );
  });

  it('takes --flag=value and --flag value alike for every command, and names the choices on a mistake', async () => {
    const file = path.join(dir, 'bitbucket.properties');
    fs.writeFileSync(file, 'jdbc.password=plain\n');
    const set = await run(['set-aws-secret', '--region=ap-southeast-2', '--secret-id=bb/db', '--no-backup', file]);
    assert.strictEqual(set.code, 0, set.stderr);
    assert.match(fs.readFileSync(file, 'utf8'), /"region":"ap-southeast-2","secretId":"bb\/db"/);
    assert.match(set.stdout, /Restart Bitbucket \(every node\) to apply\./);
    const bad = await run(['verify', '--format=yaml', file]);
    assert.strictEqual(bad.code, 2);
    assert.match(bad.stderr, /--format must be text or json, not "yaml"/);
    assert.match((await run(['check', '--no-backup', file])).stderr, /unknown option --no-backup/);
    assert.match((await run(['set-aws-secret', '--no-backup=yes', file])).stderr, /--no-backup takes no value/);
  });

  it('says to redeploy after writing a Compose file, with the command that applies it', async () => {
    const file = path.join(dir, 'compose.yaml');
    fs.writeFileSync(file, 'services:\n  bitbucket:\n    image: atlassian/bitbucket:9.4\n    environment:\n      JDBC_PASSWORD: plain\n');
    const set = await run(['set-aws-secret', '--region', 'ap-southeast-2', '--secret-id', 'bb/db', '--no-backup', file]);
    assert.strictEqual(set.code, 0, set.stderr);
    assert.match(set.stdout, /Redeploy Bitbucket to apply: docker compose up -d\./);
    assert.doesNotMatch(set.stdout, /Restart/);
  });
});

describe('one deadline per reference, owned by the engine', () => {
  it("aborts the backend's signal with a deadline reason (not a cancellation), and the backend's own timeout message is kept", async () => {
    let reason: unknown;
    const [result] = await runVerify(
      [{ target: awsTarget() }],
      (t, signal) =>
        new Promise<VerifyOutcome>((resolve) =>
          signal.addEventListener('abort', () => {
            reason = signal.reason;
            resolve(targetOutcome(t, 'timeout', 'No complete answer from Secrets Manager in eu-west-1 within 150 ms.'));
          }),
        ),
      { concurrency: 1, deadlineMs: 150, allowedHosts: hostSet([]) },
    );
    assert.strictEqual((reason as Error).name, 'TimeoutError');
    assert.strictEqual(result.outcome.message, 'No complete answer from Secrets Manager in eu-west-1 within 150 ms.');
  });

  it('passes a cancellation through as the caller’s reason, and keeps the backend’s cancelled outcome', async () => {
    const controller = new AbortController();
    const run = runVerify(
      [{ target: awsTarget() }],
      (t, signal) => new Promise<VerifyOutcome>((resolve) => signal.addEventListener('abort', () => resolve(targetOutcome(t, 'cancelled', 'Cancelled.')))),
      { concurrency: 1, deadlineMs: 10_000, allowedHosts: hostSet([]) },
      controller.signal,
    );
    controller.abort();
    const [result] = await run;
    assert.strictEqual(result.outcome.code, 'cancelled');
  });
});

describe("a pass's deadlines (core/engine/deadlineQueue)", () => {
  it('fires the deadlines in the order they were added, skips a cancelled one, and fires none after close', async () => {
    const fired: string[] = [];
    const queue = new DeadlineQueue(20);
    const last = new Promise<void>((resolve) => {
      queue.add(() => fired.push('a'));
      queue.add(() => fired.push('b')).cancel();
      queue.add(() => {
        fired.push('c');
        resolve();
      });
    });
    const closed = new DeadlineQueue(5);
    closed.add(() => fired.push('closed'));
    closed.close();
    await last;
    assert.deepStrictEqual(fired, ['a', 'c']);
    // After everything fired, the next deadline arms the timer again.
    await new Promise<void>((resolve) => queue.add(resolve));
  });
});
