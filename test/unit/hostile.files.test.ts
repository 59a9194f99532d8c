/**
 * Hostile and unusual files (issue: nothing lost, nothing leaked, nothing hangs): planted links at temporary names,
 * ISO-8859-1 and UTF-8 bytes, a dangling continuation, changes during the write, concurrent runs, symbolic and hard
 * links, ACLs and extended attributes, owners when run as root, FIFOs and device nodes, kill loops, and terminal
 * escapes in file content. Root-only cases say so and skip when not root.
 */
import * as assert from 'assert';
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { PROPERTIES_CODEC, xmlCodec } from '../../src/core/text/encoding';
import { readProperties } from '../../src/core/properties/reader';
import { FileProblem } from '../../src/files/read';
import { rewriteFile, writeBackup } from '../../src/files/safeWrite';
import { checkReport } from '../support/reports';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const IS_ROOT = process.getuid?.() === 0;
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const AWS = 'com.atlassian.secrets.store.aws.AwsSecretsManagerStore';
const SET = ['set-aws-secret', '--region', 'eu-west-1', '--secret-id', 'bitbucket/db', '--pointer', 'password'];
// eslint-disable-next-line no-control-regex -- looking for raw control characters is the point
const RAW_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** Runs the bundled CLI in its own process; resolves with its exit code and output. */
function runCli(
  args: string[],
  options: { uid?: number; gid?: number; cli?: string } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const { cli = CLI, ...ids } = options;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { ...ids, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function skipUnless(condition: boolean, why: string, ctx: Mocha.Context): void {
  if (!condition) {
    console.log(`      (skipped: ${why})`);
    ctx.skip();
  }
}

describe('hostile files: set-aws-secret writes safely', function () {
  this.timeout(60_000);
  let dir: string;
  let file: string;
  const original = 'jdbc.user=bitbucket\njdbc.password=hunter2\n';

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-files-'));
    file = path.join(dir, 'bitbucket.properties');
    fs.writeFileSync(file, original, { mode: 0o640 });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const names = () => fs.readdirSync(dir).sort();

  it('never follows a link planted at a temporary name: the link target keeps its content and mode', async () => {
    const victim = path.join(dir, 'root-only');
    fs.writeFileSync(victim, 'ROOT ONLY\n', { mode: 0o600 });
    // The old predictable names, for a range of process ids, and the exact random name the write will use.
    for (let pid = process.pid - 5; pid < process.pid + 50; pid++) fs.symlinkSync(victim, `${file}.encprops-${pid}.tmp`);
    // An attacker who guesses the random name plants the link just before it is opened (a leftover planted earlier
    // is removed by the clean-up of interrupted runs).
    const plant = () => {
      fs.symlinkSync(victim, path.join(dir, '.bitbucket.properties.encprops-tmp-planted'));
      return 'planted';
    };
    await assert.rejects(
      rewriteFile(file, (t) => ({ newText: t + 'x=1\n' }), { codec: () => PROPERTIES_CODEC, backup: false, hooks: { randomSuffix: plant } }),
      (e: unknown) => e instanceof FileProblem && /EEXIST|exists/.test(e.message),
    );
    assert.strictEqual(fs.readFileSync(victim, 'utf8'), 'ROOT ONLY\n');
    assert.strictEqual(fs.statSync(victim).mode & 0o777, 0o600);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), original);
    // With a random name the write goes through; the planted links stay links to an untouched file.
    const r = await run([...SET, '--no-backup', file]);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.ok(fs.lstatSync(file).isFile());
    assert.strictEqual(fs.readFileSync(victim, 'utf8'), 'ROOT ONLY\n');
    assert.strictEqual(fs.statSync(victim).mode & 0o777, 0o600);
  });

  it('keeps the owner and group of a file the service user owns when run as root', async function () {
    skipUnless(IS_ROOT, 'needs root', this);
    fs.chownSync(dir, 1234, 1234);
    fs.chownSync(file, 1234, 1234);
    const r = await runCli([...SET, file]);
    assert.strictEqual(r.code, 0, r.stderr);
    const st = fs.statSync(file);
    assert.deepStrictEqual([st.uid, st.gid, st.mode & 0o7777], [1234, 1234, 0o640]);
    const backup = names().find((n) => n.startsWith('bitbucket.properties.bak-'))!;
    assert.strictEqual(fs.statSync(path.join(dir, backup)).mode & 0o777, 0o600, 'the backup is owner-only');
    assert.match(r.stderr, /backup holds the file as it was, possibly with a plaintext password/);
  });

  it('keeps ISO-8859-1 and UTF-8 bytes of lines it does not own byte for byte', async () => {
    const bytes = Buffer.concat([
      Buffer.from('jdbc.user=jos'),
      Buffer.from([0xe9]), // é in ISO-8859-1
      Buffer.from('\nplugin.note=caf'),
      Buffer.from('é', 'utf8'), // é as UTF-8: two bytes the product reads as Ã©
      Buffer.from('\n# \u00ff\u00fe comment\njdbc.password=hunter2\n', 'latin1'),
    ]);
    fs.writeFileSync(file, bytes);
    const r = await run([...SET, '--pointer', 'pässwörd', file]);
    assert.strictEqual(r.code, 0, r.stderr);
    const after = fs.readFileSync(file);
    const head = bytes.subarray(0, bytes.indexOf('jdbc.password'));
    assert.ok(after.subarray(0, head.length).equals(head), 'the untouched lines changed');
    assert.match(after.toString('latin1'), /"secretPointer":"\/p\\u00e4ssw\\u00f6rd"/);
    assert.ok(!after.includes(Buffer.from([0xef, 0xbf, 0xbd])), 'U+FFFD was written');
  });

  it('ends a dangling continuation before appending, so the class line is its own entry', async () => {
    fs.writeFileSync(file, 'jdbc.user=bitbucket\nserver.port=7990\\\n');
    const r = await run([...SET, '--no-backup', file]);
    assert.strictEqual(r.code, 0, r.stderr);
    const entries = readProperties(fs.readFileSync(file, 'latin1')).entries;
    const value = (key: string) => entries.find((e) => e.key === key)?.value;
    assert.strictEqual(value('encrypted-property.cipher.classname'), AWS);
    assert.strictEqual(value('server.port'), '7990');
    assert.match(value('jdbc.password') ?? '', /^\{ENC\}\{"region":"eu-west-1"/);
    // Without a final line break too.
    fs.writeFileSync(file, 'server.port=7990\\');
    assert.strictEqual((await run([...SET, '--no-backup', file])).code, 0);
    const again = readProperties(fs.readFileSync(file, 'latin1')).entries;
    assert.strictEqual(again.find((e) => e.key === 'encrypted-property.cipher.classname')?.value, AWS);
    assert.strictEqual(again.find((e) => e.key === 'server.port')?.value, '7990');
  });

  it('stops, the file untouched, when the file changes between reading and writing', async () => {
    await assert.rejects(
      rewriteFile(file, (t) => ({ newText: t.replace('hunter2', 'x') }), {
        codec: () => PROPERTIES_CODEC,
        backup: false,
        hooks: { beforeCommit: () => fs.appendFileSync(file, 'added.meanwhile=1\n') },
      }),
      (e: unknown) => e instanceof FileProblem && e.code === 'changed',
    );
    assert.strictEqual(fs.readFileSync(file, 'utf8'), `${original}added.meanwhile=1\n`);
    assert.deepStrictEqual(names(), ['bitbucket.properties'], 'a temporary copy or lock was left');
  });

  it('two concurrent runs: one edit at a time, none lost', async () => {
    const [a, b] = await Promise.all([
      runCli(['set-aws-secret', '--region', 'eu-west-1', '--secret-id', 'first/db', file]),
      runCli(['set-aws-secret', '--region', 'eu-west-1', '--secret-id', 'second/db', file]),
    ]);
    const text = fs.readFileSync(file, 'utf8');
    const winners = [a, b].filter((r) => r.code === 0);
    for (const loser of [a, b].filter((r) => r.code !== 0)) {
      assert.strictEqual(loser.code, 1, loser.stderr);
      assert.match(loser.stderr, /another encprops run \(pid \d+\) is writing|changed while this run was preparing/);
    }
    assert.ok(winners.length >= 1);
    if (winners.length === 2) {
      // Both wrote, one after the other: the later one's backup holds the earlier one's reference.
      const backups = names()
        .filter((n) => n.startsWith('bitbucket.properties.bak-'))
        .map((n) => fs.readFileSync(path.join(dir, n), 'utf8'));
      assert.ok(
        backups.some((t) => t.includes('first/db') || t.includes('second/db')),
        'the second run did not read the first one’s edit',
      );
    }
    assert.ok(text.includes('first/db') !== text.includes('second/db'));
    assert.ok(!names().some((n) => n.startsWith('.')), `leftovers: ${names().join(', ')}`);
  });

  it('edits the real file behind a symbolic link; the link stays a link', async () => {
    const realDir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-real-'));
    try {
      const real = path.join(realDir, 'bitbucket.properties');
      fs.renameSync(file, real);
      fs.symlinkSync(real, file);
      const r = await run([...SET, file]);
      assert.strictEqual(r.code, 0, r.stderr);
      assert.ok(fs.lstatSync(file).isSymbolicLink());
      assert.match(fs.readFileSync(real, 'utf8'), /\{ENC\}/);
      assert.ok(!fs.readFileSync(real, 'utf8').includes('hunter2'));
      assert.ok(
        fs.readdirSync(realDir).some((n) => n.startsWith('bitbucket.properties.bak-')),
        'the backup is beside the real file',
      );
    } finally {
      fs.rmSync(realDir, { recursive: true, force: true });
    }
  });

  it('a file with another hard link is edited in place: no name keeps the plaintext password', async () => {
    const other = path.join(dir, 'other-name.properties');
    fs.linkSync(file, other);
    const ino = fs.statSync(file).ino;
    const r = await run([...SET, '--no-backup', file]);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /edited in place: it has 2 hard links/);
    assert.strictEqual(fs.statSync(file).ino, ino);
    assert.strictEqual(fs.readFileSync(other, 'utf8'), fs.readFileSync(file, 'utf8'));
    assert.ok(!fs.readFileSync(other, 'utf8').includes('hunter2'));
  });

  it('keeps ACLs and extended attributes', async function () {
    skipUnless(has('setfacl') && has('getfacl') && has('setfattr') && has('getfattr'), 'needs the acl and attr packages', this);
    execFileSync('setfacl', ['-m', 'u:1234:r', file]);
    const xattrs = spawnSync('setfattr', ['-n', 'user.encprops-test', '-v', 'kept', file]);
    const userXattrs = xattrs.status === 0; // tmpfs may refuse user.* attributes
    const r = await run([...SET, '--no-backup', file]);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(execFileSync('getfacl', ['-c', '-p', file], { encoding: 'utf8' }), /user:1234:r--/);
    if (userXattrs) assert.match(execFileSync('getfattr', ['--absolute-names', '-n', 'user.encprops-test', file], { encoding: 'utf8' }), /kept/);
    assert.match(fs.readFileSync(file, 'utf8'), /\{ENC\}/);
  });

  it('keeps an ACL without getfattr too (GNU ls marks it with "+")', async function () {
    skipUnless(has('setfacl') && has('getfacl'), 'needs the acl package', this);
    execFileSync('setfacl', ['-m', 'u:1234:r', file]);
    // A PATH with ls but no getfattr: the bundled CLI must fall back to ls.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-bin-'));
    try {
      fs.symlinkSync(execFileSync('sh', ['-c', 'command -v ls'], { encoding: 'utf8' }).trim(), path.join(bin, 'ls'));
      const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, ...SET, '--no-backup', file], { env: { PATH: bin }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
      assert.strictEqual(r.code, 0, r.stderr);
      assert.match(r.stdout, /edited in place: it has extended attributes \(an ACL \(ls shows "\+"\)\)/);
      assert.match(execFileSync('getfacl', ['-c', '-p', file], { encoding: 'utf8' }), /user:1234:r--/);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  it('refuses a FIFO at once (no hang) and leaves it a FIFO; exit 2', async function () {
    skipUnless(has('mkfifo'), 'needs mkfifo', this);
    const fifo = path.join(dir, 'fifo.properties');
    execFileSync('mkfifo', [fifo]);
    const r = await runCli([...SET, fifo]);
    assert.strictEqual(r.code, 2, r.stderr);
    assert.match(r.stderr, /is a FIFO \(named pipe\), not a regular file/);
    assert.ok(fs.lstatSync(fifo).isFIFO());
    const checked = await runCli(['check', fifo]);
    assert.strictEqual(checked.code, 2);
    assert.match(checked.stderr, /FIFO \(named pipe\), not a regular file or a folder/);
  });

  it('refuses a device node, and a link to one; exit 2, the device untouched', async function () {
    skipUnless(IS_ROOT, 'mknod needs root', this);
    const device = path.join(dir, 'bitbucket.device');
    execFileSync('mknod', [device, 'c', '1', '3']); // like /dev/null
    const link = path.join(dir, 'zero.properties');
    fs.symlinkSync('/dev/zero', link);
    for (const target of [device, link]) {
      const r = await runCli([...SET, target]);
      assert.strictEqual(r.code, 2, r.stderr);
      assert.match(r.stderr, /character device, not a regular file/);
      const checked = await runCli(['check', target]);
      assert.strictEqual(checked.code, 2);
      assert.match(checked.stderr, /character device( \(through a symbolic link\))?, not a regular file or a folder/);
    }
    assert.ok(fs.lstatSync(device).isCharacterDevice());
  });

  it('names the backup when the backup cannot be written, and changes nothing', async () => {
    const r = await run([...SET, '--backup-dir', path.join(dir, 'missing-dir'), file]);
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /cannot write the backup .*missing-dir\/bitbucket\.properties\.bak-\d{8}-\d{6}: does not exist \(ENOENT\)/);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), original);
    assert.deepStrictEqual(names(), ['bitbucket.properties']);
  });

  it('--backup-dir puts the complete backup there, owner-only', async () => {
    const safe = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-backups-'));
    try {
      const r = await run([...SET, '--backup-dir', safe, file]);
      assert.strictEqual(r.code, 0, r.stderr);
      const [backup] = fs.readdirSync(safe);
      assert.match(backup, /^bitbucket\.properties\.bak-\d{8}-\d{6}$/);
      assert.strictEqual(fs.readFileSync(path.join(safe, backup), 'utf8'), original);
      assert.strictEqual(fs.statSync(path.join(safe, backup)).mode & 0o777, 0o600);
      assert.deepStrictEqual(names(), ['bitbucket.properties']);
    } finally {
      fs.rmSync(safe, { recursive: true, force: true });
    }
  });

  it('backups never replace one another and never carry a partial copy under a backup name', async () => {
    const now = new Date(2026, 10, 28, 2, 0, 0);
    const first = await writeBackup(file, Buffer.from('one'), { now });
    const second = await writeBackup(file, Buffer.from('two'), { now });
    assert.notStrictEqual(first, second);
    assert.strictEqual(fs.readFileSync(first, 'utf8'), 'one');
    assert.strictEqual(fs.readFileSync(second, 'utf8'), 'two');
    assert.ok(!names().some((n) => n.startsWith('.')));
  });

  it('says which product to restart', async () => {
    const xml = path.join(dir, 'dbconfig.xml');
    fs.writeFileSync(xml, '<jira-database-config>\n  <jdbc-datasource>\n    <password>x</password>\n  </jdbc-datasource>\n</jira-database-config>\n');
    const r = await run([...SET, '--no-backup', xml]);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /Restart Jira \(every node\)/);
    assert.doesNotMatch(r.stdout, /Bitbucket/);
  });

  it('keeps the bytes of an XML file in its declared encoding, and refuses one that is not', () => {
    const latin = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n<a>caf\u00e9</a>\n', 'latin1');
    const codec = xmlCodec(latin);
    assert.ok(!('error' in codec));
    assert.ok(codec.encode(codec.decode(latin)).equals(latin));
    assert.strictEqual(codec.encode('\u20ac').toString('latin1'), '&#x20ac;');
    const broken = Buffer.concat([Buffer.from('<a>caf'), Buffer.from([0xe9]), Buffer.from('</a>')]);
    assert.match((xmlCodec(broken) as { error: string }).error, /not valid UTF-8/);
  });

  it('a kill at any moment leaves the original or the complete new file, and only recognisable leftovers', async () => {
    const expected = new Set<string>([original]);
    let newText: string | undefined;
    for (let i = 0; i < 24; i++) {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir);
      fs.writeFileSync(file, original, { mode: 0o640 });
      const child = spawn(process.execPath, [CLI, ...SET, file], { stdio: 'ignore' });
      // Kill points spread from start-up to completion; the assertions below hold at every one of them.
      const killAt = (i * 7) % 120;
      const timer = setTimeout(() => child.kill('SIGKILL'), killAt);
      await new Promise((resolve) => child.on('close', resolve));
      clearTimeout(timer);
      const text = fs.readFileSync(file, 'utf8');
      if (text !== original) {
        newText ??= text;
        expected.add(newText);
      }
      assert.ok(
        expected.has(text) && (text === original || /\{ENC\}\{"region":"eu-west-1".*\}\n$/s.test(text)),
        `kill at ${killAt} ms left: ${JSON.stringify(text)}`,
      );
      for (const name of names()) {
        if (name === 'bitbucket.properties') continue;
        if (name.startsWith('bitbucket.properties.bak-')) {
          assert.strictEqual(fs.readFileSync(path.join(dir, name), 'utf8'), original, `partial backup ${name}`);
          continue;
        }
        assert.match(name, /^\.bitbucket\.properties\.encprops-(tmp-|bak-|lock$)/, `unexpected leftover ${name}`);
      }
      // The next run cleans up after the killed one and completes.
      const next = await runCli([...SET, '--no-backup', file]);
      assert.strictEqual(next.code, 0, next.stderr);
      assert.ok(!names().some((n) => n.startsWith('.')), `leftovers after the next run: ${names().join(', ')}`);
    }
  });
});

describe('hostile files: reading and scanning', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-scan-'))));
  afterEach(() => {
    spawnSync('chmod', ['-R', 'u+rwx', dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const AWS_LINES = `encrypted-property.cipher.classname=${AWS}\njdbc.password={ENC}{"region":"eu-west-1","secretId":"db"}\n`;

  it('a folder scan follows links to files and folders once each, detects loops and says what it skipped', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-outside-'));
    try {
      fs.mkdirSync(path.join(outside, 'shared'));
      fs.writeFileSync(path.join(outside, 'shared', 'bitbucket.properties'), AWS_LINES);
      fs.mkdirSync(path.join(dir, 'repo'));
      fs.symlinkSync(path.join(outside, 'shared'), path.join(dir, 'repo', 'linked-folder'));
      fs.symlinkSync(path.join(outside, 'shared', 'bitbucket.properties'), path.join(dir, 'repo', 'linked.properties'));
      fs.symlinkSync(path.join(dir, 'repo'), path.join(dir, 'repo', 'loop'));
      fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'repo', 'broken.properties'));
      const r = await run(['check', '--format', 'json', path.join(dir, 'repo')]);
      const files = checkReport(r.stdout).files.map((f: { path: string }) => path.relative(dir, f.path));
      assert.deepStrictEqual(files, ['repo/linked-folder/bitbucket.properties']);
      assert.match(r.stderr, /skipped .*repo\/linked\.properties: the same file as .*linked-folder\/bitbucket\.properties, checked once/);
      assert.match(r.stderr, /skipped .*repo\/loop: a link to .*repo, which is searched already/);
      assert.match(r.stderr, /skipped .*broken\.properties: a symbolic link that cannot be followed: does not exist \(ENOENT\)/);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('an unreadable subfolder is named itself, not its parent (exit 2)', async () => {
    fs.mkdirSync(path.join(dir, 'home', 'locked'), { recursive: true });
    fs.chmodSync(path.join(dir, 'home', 'locked'), 0o000);
    fs.chmodSync(dir, 0o755);
    // Root reads any folder: run as nobody then, with a copy of the bundled CLI that nobody can read wherever the
    // checkout is (a clone in a 0700 temporary folder, say).
    const cli = path.join(dir, 'cli.js');
    fs.copyFileSync(CLI, cli);
    fs.chmodSync(cli, 0o644);
    const r = await runCli(['check', path.join(dir, 'home')], IS_ROOT ? { uid: 65534, gid: 65534, cli } : { cli });
    assert.strictEqual(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /cannot read the folder .*home\/locked: permission denied \(EACCES\)/);
  });

  it('escape sequences, C1 controls and bidi overrides from a file are shown escaped', async () => {
    const file = path.join(dir, 'bitbucket.properties');
    fs.writeFileSync(
      file,
      `encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStor\u001b]0;pwned\u0007\n` +
        `plugin.x\u009b31m\u202eyek={ENC}{"region":"eu-west-1","secretId":"db\u001b[2J"}\n`,
    );
    const text = await run(['check', file]);
    assert.doesNotMatch(text.stdout + text.stderr, RAW_CONTROLS);
    assert.match(text.stdout, /\\x1b\]0;pwned\\x07/);
    const json = await run(['check', '--format', 'json', file]);
    assert.doesNotMatch(json.stdout, /[\u007f-\u009f\u202a-\u202e]/);
    assert.ok(
      checkReport(json.stdout).files[0].references.some((r: { key: string }) => r.key === 'plugin.x\u009b31m\u202eyek'),
      'JSON keeps the same value, escaped',
    );
  });
});
