/** Hostile input, round 3 (#21): outputs and scans that must not break on odd names, Vault paths that must not move. */
import * as assert from 'assert';
import { spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../support/cli';
import { formatSarif, Report, sarifUri } from '../../src/cli/report';
import { analyzeFile } from '../../src/core/analyzeFile';
import { verifyVault } from '../../src/vault/vaultVerifier';
import { rewriteFile } from '../../src/files/safeWrite';
import { FileProblem } from '../../src/files/read';
import { PROPERTIES_CODEC } from '../../src/core/text/encoding';

const run = runCli;

const VAULT = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.vault.VaultSecretStore\n';

describe('hostile input, round 3: scans, SARIF and Vault paths', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-r3-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a file name that is not valid UTF-8 is skipped with a named warning; the scan goes on and SARIF is still written', async () => {
    const repo = path.join(dir, 'repo');
    fs.mkdirSync(repo);
    fs.writeFileSync(path.join(repo, 'bitbucket.properties'), 'jdbc.password={ENC}{"region":"eu-west-1"}\n');
    // A name in ISO-8859-1 bytes: "caf\xe9.properties".
    fs.writeFileSync(Buffer.concat([Buffer.from(`${repo}/caf`), Buffer.from([0xe9]), Buffer.from('.properties')]), 'x=1\n');
    const r = await run(['check', '--format', 'sarif', repo]);
    assert.strictEqual(r.code, 1, r.stderr);
    assert.match(r.stderr, /skipped .*caf.*: its name is not valid UTF-8/);
    const sarif = JSON.parse(r.stdout) as { runs: { results: unknown[] }[] };
    assert.ok(sarif.runs[0].results.length > 0);
  });

  it('SARIF artifact URIs are percent-encoded (spaces, #, ?, %, non-ASCII), one segment at a time', () => {
    assert.strictEqual(
      sarifUri('deploy/prod #1/100% ready?/bücher/bitbucket.properties'),
      'deploy/prod%20%231/100%25%20ready%3F/b%C3%BCcher/bitbucket.properties',
    );
    assert.strictEqual(sarifUri('C:\\repo\\shared\\bitbucket.properties'), 'C%3A/repo/shared/bitbucket.properties');
    const report: Report = {
      version: 1,
      files: [
        { path: 'a b/bitbucket.properties', diagnostics: [{ code: 'x', severity: 'error', message: 'm', line: 1, column: 1, endLine: 1, endColumn: 2 }] },
      ],
    } as unknown as Report;
    const sarif = JSON.parse(formatSarif(report, '1')) as {
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    assert.strictEqual(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'a%20b/bitbucket.properties');
  });

  it('a Vault mount or path with a "." or ".." segment is a warning, and verify never sends the token there', async () => {
    const text = `${VAULT}jdbc.password={ENC}{"mount":"secret","path":"../../sys/raw","key":"password","endpoint":"http://127.0.0.1:1"}\n`;
    const analysis = analyzeFile(text, { fileName: 'bitbucket.properties' });
    assert.ok(analysis.findings.some((f) => f.code === 'vault-path-dot-segment' && f.severity === 'warning'));
    const outcome = await verifyVault({ mount: 'secret', path: '../../sys/raw', key: 'password', endpoint: 'http://127.0.0.1:1', token: 't', timeoutMs: 1000 });
    assert.strictEqual(outcome.code, 'error');
    assert.match(outcome.message, /Not sent: the mount or path has a "\.\." segment/);
  });
});

describe('links as root (#21): a link is followed only to a file of its own owner, or when root owns the link', function () {
  this.timeout(30_000);
  let dir: string;
  const NOBODY = 65534;
  before(function () {
    if (process.getuid?.() !== 0) this.skip(); // root-only: lchown needs it (CI runs as root)
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-links-'));
    fs.chmodSync(dir, 0o755);
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it("refuses to write through a service user's link to a root-only file, naming both; the file is untouched", async () => {
    const sudoers = path.join(dir, 'sudoers');
    fs.writeFileSync(sudoers, 'root ALL=(ALL) ALL\n', { mode: 0o440 });
    const shared = path.join(dir, 'shared');
    fs.mkdirSync(shared);
    fs.chownSync(shared, NOBODY, NOBODY);
    const link = path.join(shared, 'bitbucket.properties');
    fs.symlinkSync(sudoers, link);
    fs.lchownSync(link, NOBODY, NOBODY);
    const r = await run(['set-aws-secret', '--region', 'eu-west-1', '--secret-id', 'db', '--no-backup', link]);
    assert.strictEqual(r.code, 1, r.stdout);
    assert.match(r.stderr, new RegExp(`symbolic link owned by user ${NOBODY} to .*sudoers, owned by user 0`));
    assert.strictEqual(fs.readFileSync(sudoers, 'utf8'), 'root ALL=(ALL) ALL\n');
  });

  it("follows a link to a file of the link's owner, and a link root owns", async () => {
    const own = path.join(dir, 'own');
    fs.mkdirSync(own);
    const real = path.join(own, 'real.properties');
    fs.writeFileSync(real, 'jdbc.password=x\n');
    fs.chownSync(real, NOBODY, NOBODY);
    const link = path.join(own, 'bitbucket.properties');
    fs.symlinkSync(real, link);
    fs.lchownSync(link, NOBODY, NOBODY);
    const r = await run(['set-aws-secret', '--region', 'eu-west-1', '--secret-id', 'db', '--no-backup', link]);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(fs.readFileSync(real, 'utf8'), /secretId/);
    const rootLink = path.join(own, 'root-link.properties');
    fs.symlinkSync(real, rootLink);
    const again = await run(['set-aws-secret', '--region', 'eu-west-2', '--secret-id', 'db', '--no-backup', rootLink]);
    assert.strictEqual(again.code, 0, again.stderr);
  });
});

describe('bounded YAML (#21): a part too large to read is a finding within seconds, never a crash', function () {
  this.timeout(60_000);
  const cases: [string, string][] = [
    [
      'a 3 MB flow sequence of a million items (was 1.1 GB)',
      'services:\n  jira:\n    image: atlassian/jira-software:9.12\n    environment: [' +
        Array.from({ length: 1_000_000 }, (_, i) => `A${i % 10}`).join(',') +
        ']\n',
    ],
    [
      'a 16 MB file of 1.5 million aliases (was a heap out-of-memory crash after 85 s)',
      'x: &a [1]\nservices:\n  jira:\n    image: atlassian/jira-software:9.12\n    environment:\n' + '      - *a\n'.repeat(1_500_000),
    ],
  ];
  for (const [name, text] of cases) {
    it(name, () => {
      const before = process.memoryUsage().rss;
      const started = Date.now();
      const analysis = analyzeFile(text, { fileName: 'compose.yaml' });
      const ms = Date.now() - started;
      const grew = (process.memoryUsage().rss - before) / 1e6;
      console.log(`      ${(text.length / 1e6).toFixed(1)} MB: ${ms} ms, resident memory ${grew >= 0 ? '+' : ''}${grew.toFixed(0)} MB`);
      assert.deepStrictEqual(
        analysis.findings.map((f) => [f.code, f.severity]),
        [['yaml-too-large', 'warning']],
      );
      assert.ok(ms < 5000, `${ms} ms`);
      assert.ok(grew < 300, `${grew} MB`);
    });
  }
});

describe('--backup-dir clean-up (#21): only this tool’s leftovers, for this file, of this user', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-bdir-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("leaves another file's (same name, other folder) and another user's leftovers in a shared backup folder alone", async () => {
    const backups = path.join(dir, 'backups');
    fs.mkdirSync(backups);
    const mine = path.join(dir, 'a', 'bitbucket.properties');
    const theirs = path.join(dir, 'b', 'bitbucket.properties');
    for (const f of [mine, theirs]) {
      fs.mkdirSync(path.dirname(f));
      fs.writeFileSync(f, 'jdbc.password=x\n');
    }
    // Another host's (or another instance's) interrupted run into the same folder: untagged by this file.
    const foreign = path.join(backups, '.bitbucket.properties.encprops-bak-otherhost');
    fs.writeFileSync(foreign, 'their backup in progress');
    const first = await run(['set-aws-secret', '--region', 'eu-west-1', '--secret-id', 'db', '--backup-dir', backups, theirs]);
    assert.strictEqual(first.code, 0, first.stderr);
    const again = await run(['set-aws-secret', '--region', 'eu-west-1', '--secret-id', 'db', '--backup-dir', backups, mine]);
    assert.strictEqual(again.code, 0, again.stderr);
    assert.ok(fs.existsSync(foreign), 'the other run’s leftover is still there');
    assert.doesNotMatch(first.stderr + again.stderr, /removed/);
    // This file's own stale leftovers (tagged with its real path): root's run removes its own user's, not another's.
    const tag = createHash('sha256').update(fs.realpathSync(mine)).digest('hex').slice(0, 12);
    const own = path.join(backups, `.bitbucket.properties.encprops-bak-${tag}-stale`);
    const other = path.join(backups, `.bitbucket.properties.encprops-tmp-${tag}-service-user`);
    fs.writeFileSync(own, 'stale');
    fs.writeFileSync(other, 'stale');
    const asRoot = process.getuid?.() === 0;
    if (asRoot) fs.chownSync(other, 65534, 65534);
    const third = await run(['set-aws-secret', '--region', 'eu-west-2', '--secret-id', 'db', '--backup-dir', backups, mine]);
    assert.strictEqual(third.code, 0, third.stderr);
    assert.ok(!fs.existsSync(own), 'this user’s stale leftover for this file is removed');
    assert.match(third.stderr, /removed .*encprops-bak-.*-stale, left by an interrupted earlier run/);
    if (asRoot) assert.ok(fs.existsSync(other), 'another user’s leftover stays');
  });
});

describe('no lost edit (#21): a change made between the final check and the write is saved, and the run says so', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-lost-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('rename: an in-place change in the window goes to an owner-only recovery file; the run fails naming it', async () => {
    const file = path.join(dir, 'bitbucket.properties');
    fs.writeFileSync(file, 'jdbc.password=plain\n');
    const edit = () => fs.appendFileSync(file, 'jdbc.user=changed-meanwhile\n');
    await assert.rejects(
      rewriteFile(file, (t) => ({ newText: t + 'x=1\n' }), { codec: () => PROPERTIES_CODEC, backup: false, hooks: { beforeRename: edit } }),
      (e: unknown) => e instanceof FileProblem && e.code === 'lost-edit' && /saved to .*bitbucket\.properties\.recovered/.test(e.message),
    );
    const recovered = fs.readdirSync(dir).filter((n) => n.startsWith('bitbucket.properties.recovered'));
    assert.strictEqual(recovered.length, 1);
    const saved = path.join(dir, recovered[0]);
    assert.strictEqual(fs.readFileSync(saved, 'utf8'), 'jdbc.password=plain\njdbc.user=changed-meanwhile\n');
    assert.strictEqual(fs.statSync(saved).mode & 0o777, 0o600);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'jdbc.password=plain\nx=1\n');
  });

  it('rename: a file another program puts in place (a new inode) in the window is saved too', async () => {
    const file = path.join(dir, 'renamed', 'bitbucket.properties');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, 'jdbc.password=plain\n');
    const editorSave = () => {
      // An editor that saves by writing a new file and renaming it over the old one.
      fs.writeFileSync(`${file}.swp`, 'jdbc.password=plain\njdbc.user=saved-by-an-editor\n');
      fs.renameSync(`${file}.swp`, file);
    };
    await assert.rejects(
      rewriteFile(file, (t) => ({ newText: t + 'x=1\n' }), { codec: () => PROPERTIES_CODEC, backup: false, hooks: { beforeRename: editorSave } }),
      (e: unknown) => e instanceof FileProblem && e.code === 'lost-edit',
    );
    const recovered = fs.readdirSync(path.dirname(file)).filter((n) => n.startsWith('bitbucket.properties.recovered'));
    assert.strictEqual(recovered.length, 1);
    assert.strictEqual(fs.readFileSync(path.join(path.dirname(file), recovered[0]), 'utf8'), 'jdbc.password=plain\njdbc.user=saved-by-an-editor\n');
    assert.ok(!fs.readdirSync(path.dirname(file)).some((n) => n.startsWith('.')), 'no leftover');
  });

  it('in place (a hard link): a journal holds the old content while the file is rewritten; a journal left by a killed run stops the next one', async () => {
    const file = path.join(dir, 'linked', 'bitbucket.properties');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, 'jdbc.password=plain\n');
    fs.linkSync(file, path.join(dir, 'linked', 'other-name'));
    let seen: string | undefined;
    const journal = path.join(dir, 'linked', '.bitbucket.properties.encprops-journal');
    const result = await rewriteFile(file, (t) => ({ newText: t + 'x=1\n' }), {
      codec: () => PROPERTIES_CODEC,
      backup: false,
      hooks: { beforeRename: () => void (seen = fs.readFileSync(journal, 'utf8')) },
    });
    assert.strictEqual(result.strategy, 'in-place');
    assert.strictEqual(seen, 'jdbc.password=plain\n', 'the journal held the old content during the rewrite');
    assert.ok(!fs.existsSync(journal), 'the journal is gone once the rewrite is complete');
    // A run killed during the rewrite leaves the journal: the next run refuses, naming it.
    fs.writeFileSync(journal, 'jdbc.password=plain\n', { mode: 0o600 });
    await assert.rejects(
      rewriteFile(file, (t) => ({ newText: t + 'y=2\n' }), { codec: () => PROPERTIES_CODEC, backup: false }),
      (e: unknown) => e instanceof FileProblem && e.code === 'journal' && e.message.includes(journal),
    );
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'jdbc.password=plain\nx=1\n');
  });
});

describe('in-place rewrite under SIGKILL (#21): the old or the new content is always recoverable', function () {
  this.timeout(120_000);
  const CLI = path.resolve(__dirname, '../../../dist/cli.js');
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-kill-inplace-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a kill at any moment of a rewrite of a hard-linked file leaves the original, the new file, or a journal holding the original', async () => {
    // A large file, so that the write itself takes long enough to be interrupted at some kill points.
    const original = `jdbc.password=plain\n${Array.from({ length: 40_000 }, (_, i) => `plugin.setting${i}=value ${i}`).join('\n')}\n`;
    const file = path.join(dir, 'bitbucket.properties');
    const journal = path.join(dir, '.bitbucket.properties.encprops-journal');
    let newText: string | undefined;
    const outcomes = { original: 0, complete: 0, journal: 0 };
    for (let i = 0; i < 30; i++) {
      for (const name of fs.readdirSync(dir)) fs.rmSync(path.join(dir, name), { force: true });
      fs.writeFileSync(file, original);
      fs.linkSync(file, path.join(dir, 'second-name'));
      const child = spawn(process.execPath, [CLI, 'set-aws-secret', '--region', 'eu-west-1', '--secret-id', 'db', '--no-backup', file], { stdio: 'ignore' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 40 + ((i * 11) % 320));
      await new Promise((resolve) => child.on('close', resolve));
      clearTimeout(timer);
      const text = fs.readFileSync(file, 'utf8');
      if (fs.existsSync(journal)) {
        // Interrupted during the rewrite: the journal holds the whole original.
        assert.strictEqual(fs.readFileSync(journal, 'utf8'), original, `kill ${i}: the journal is not the original`);
        outcomes.journal++;
      } else if (text === original) outcomes.original++;
      else {
        newText ??= text;
        assert.strictEqual(text, newText, `kill ${i}: neither the original nor the new content, and no journal`);
        assert.match(text, /^encrypted-property\.cipher\.classname=.*\njdbc\.password=\{ENC\}/s);
        outcomes.complete++;
      }
    }
    console.log(`      30 kills: ${outcomes.original} before the rewrite, ${outcomes.journal} during it (journal), ${outcomes.complete} after it`);
  });
});
