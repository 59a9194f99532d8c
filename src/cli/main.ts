/** `encprops`: the command line for CI pipelines, on the same core as the extension. */
import { constants as fsConstants, existsSync, promises as fs } from 'fs';
import { backupFileName } from '../core/edits/backup';
import * as path from 'path';
import { analyze } from '../core/bitbucket/analyze';
import { analyzeFile, isXmlConfigName } from '../core/analyzeFile';
import { formatSarif, formatText, Report, toReportFile } from './report';
import { LineIndex } from '../core/text/lineIndex';
import { planAwsSecret } from '../core/edits/awsSecretPlan';
import { planForFile } from '../core/edits/plan';
import { verifyVault } from '../vault/vaultVerifier';
import { pool } from '../core/util/pool';

declare const ENCPROPS_VERSION: string | undefined;
const VERSION = typeof ENCPROPS_VERSION === 'string' ? ENCPROPS_VERSION : '0.0.0-dev';

const USAGE = `Usage: encprops <command> [options]

Commands:
  check [--format text|json|sarif] <files or folders...>
      Validate Atlassian secret references. Folders are searched for bitbucket.properties and other
      *.properties files that use {ENC} or a cipher class property, and for Jira's dbconfig.xml,
      confluence.cfg.xml, bamboo.cfg.xml and crowd.cfg.xml.
      Exit 0: no errors; 1: errors found; 2: usage or I/O error.

  verify [--format text|json] [--profile P] [--concurrency N] [--timeout MS] <files or folders...>
      Resolve every AWS Secrets Manager reference through the AWS SDK, with the default credential chain
      (or profile P), and every HashiCorp Vault reference with SECRET_STORE_VAULT_TOKEN (or VAULT_TOKEN),
      exactly as the product will at start-up. Never prints a secret value.
      Exit 0: every reference resolves; 1: any does not; 2: usage or I/O error.

  set-aws-secret --region R --secret-id S [--pointer P] [--no-backup] [--replace-class] <file>
      Write the AWS store class and the {…} reference into bitbucket.properties (cipher class property and
      jdbc.password={ENC}…) or a product's XML (dbconfig.xml, confluence.cfg.xml, bamboo.cfg.xml,
      crowd.cfg.xml: its own elements), exactly as the wizard does, after a timestamped backup beside the file.
      Prints what changed. Exit 0: written (or nothing to change); 1: not written (I/O error, or another
      cipher class that other {ENC} values use, without --replace-class); 2: bad arguments.
      The file is left untouched on any error.

Options:
  -h, --help       show this help
  -v, --version    print the version
`;

export class UsageError extends Error {}

type AwsModule = typeof import('../aws');

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Loads the AWS module (dist/aws.js for the bundled CLI) on first use. */
  loadAws?: () => AwsModule;
}

const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loadAws: () => require(path.join(__dirname, 'aws.js')) as AwsModule,
};

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.cache', 'out', 'dist']);

async function collect(target: string, found: string[]): Promise<void> {
  const stat = await fs.stat(target);
  if (stat.isFile()) {
    found.push(target);
    return;
  }
  if (!stat.isDirectory()) return;
  const entries = await fs.readdir(target, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) await collect(full, found);
    } else if (entry.isFile() && (entry.name.endsWith('.properties') || isXmlConfigName(entry.name))) {
      found.push(full);
    }
  }
}

/** The files of every target (a file, or the properties files under a folder); undefined after reporting an I/O error. */
async function collectTargets(targets: readonly string[], io: Io): Promise<Array<{ target: string; files: string[] }> | undefined> {
  const out: Array<{ target: string; files: string[] }> = [];
  for (const target of targets) {
    const files: string[] = [];
    try {
      await collect(target, files);
    } catch (error) {
      io.stderr(`encprops: cannot read ${target}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
      return undefined;
    }
    out.push({ target, files });
  }
  return out;
}

async function check(args: string[], io: Io): Promise<number> {
  let format = 'text';
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--format' || a === '-f') {
      format = args[++i] ?? '';
    } else if (a.startsWith('--format=')) {
      format = a.slice('--format='.length);
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option ${a}`);
    } else {
      targets.push(a);
    }
  }
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  if (targets.length === 0) throw new UsageError('check needs at least one file or folder');

  const report: Report = { version: 1, files: [] };
  const collected = await collectTargets(targets, io);
  if (!collected) return 2;
  for (const { target, files } of collected) {
    const explicitFile = files.length === 1 && files[0] === target;
    for (const file of files) {
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch (error) {
        io.stderr(`encprops: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
        return 2;
      }
      // An explicitly named file is always checked as Bitbucket's; found files only when they use secrets.
      // An explicitly named properties file is always checked as Bitbucket's; found files only when they use secrets.
      const name = path.basename(file);
      const analysis = analyzeFile(text, { fileName: explicitFile && !name.toLowerCase().endsWith('.xml') ? 'bitbucket.properties' : name, fileExists: existsSync });
      if (!analysis.relevant) continue;
      report.files.push(toReportFile(file, text, analysis));
    }
  }
  if (format === 'json') io.stdout(JSON.stringify(report, null, 2) + '\n');
  else if (format === 'sarif') io.stdout(formatSarif(report, VERSION));
  else io.stdout(formatText(report));
  return report.files.some((f) => f.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}

interface VerifyRow {
  path: string;
  line: number;
  key: string;
  store: string;
  /** Vault only. */
  endpoint?: string;
  region?: string;
  secretId?: string;
  secretPointer?: string;
  code: string;
  message: string;
  credentialSource?: string;
  valueLength?: number;
}

async function verify(args: string[], io: Io): Promise<number> {
  let format = 'text';
  let profile: string | undefined;
  let concurrency = 4;
  let timeout = 10_000;
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--format' || a === '-f') format = value();
    else if (a.startsWith('--format=')) format = a.slice(9);
    else if (a === '--profile') profile = value();
    else if (a === '--concurrency') concurrency = Number(value());
    else if (a === '--timeout') timeout = Number(value());
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else targets.push(a);
  }
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format must be text or json, not "${format}"`);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError('--concurrency must be an integer from 1 to 64');
  if (!Number.isFinite(timeout) || timeout < 100) throw new UsageError('--timeout must be at least 100 (milliseconds)');
  if (targets.length === 0) throw new UsageError('verify needs at least one file or folder');

  const rows: VerifyRow[] = [];
  const work: Array<{ row: VerifyRow; region: string; secretId: string; secretPointer?: string; endpointOverride?: string }> = [];
  const vaultWork: Array<{ row: VerifyRow; vault: { mount: string; path: string; key: string; endpoint: string; authenticationType?: string } }> = [];
  const collected = await collectTargets(targets, io);
  if (!collected) return 2;
  for (const { files } of collected) {
    for (const file of files) {
      const text = await fs.readFile(file, 'utf8');
      const analysis = analyzeFile(text, { fileName: path.basename(file), fileExists: existsSync });
      const lines = new LineIndex(text);
      for (const r of analysis.references) {
        if (r.store === 'vault') {
          const row: VerifyRow = {
            path: file,
            line: lines.positionAt(r.entry.start).line + 1,
            key: r.key,
            store: 'vault',
            ...(r.vault?.endpoint ? { endpoint: r.vault.endpoint } : {}),
            ...(r.vault?.mount && r.vault.path ? { secretId: `${r.vault.mount}/${r.vault.path}` } : {}),
            ...(r.vault?.key ? { secretPointer: r.vault.key } : {}),
            code: 'invalid-reference',
            message: 'The reference has errors; run encprops check and fix them first.',
          };
          rows.push(row);
          if (r.valid && r.vault?.mount && r.vault.path && r.vault.key && r.vault.endpoint) vaultWork.push({ row, vault: r.vault as Required<typeof r.vault> });
          continue;
        }
        if (r.store !== 'aws') continue;
        const row: VerifyRow = {
          path: file,
          line: lines.positionAt(r.entry.start).line + 1,
          key: r.key,
          store: r.store,
          ...(r.aws?.region !== undefined ? { region: r.aws.region } : {}),
          ...(r.aws?.secretId !== undefined ? { secretId: r.aws.secretId } : {}),
          ...(r.aws?.secretPointer !== undefined ? { secretPointer: r.aws.secretPointer } : {}),
          code: 'invalid-reference',
          message: 'The reference has errors; run encprops check and fix them first.',
        };
        rows.push(row);
        if (r.valid && r.aws?.region && r.aws.secretId) {
          work.push({ row, region: r.aws.region, secretId: r.aws.secretId, secretPointer: r.aws.secretPointer, endpointOverride: r.aws.endpointOverride });
        }
      }
    }
  }

  if (work.length > 0) {
    const { SecretsVerifier } = (io.loadAws ?? processIo.loadAws!)();
    const verifier = new SecretsVerifier({ profile, requestTimeoutMs: timeout, imdsTimeoutMs: 1000 });
    try {
      await pool(work, concurrency, async (item) => {
        const result = await verifier.verify({ region: item.region, secretId: item.secretId, secretPointer: item.secretPointer, endpointOverride: item.endpointOverride });
        item.row.code = result.code;
        item.row.message = result.message;
        if (result.credentialSource) item.row.credentialSource = result.credentialSource;
        if (result.valueLength !== undefined) item.row.valueLength = result.valueLength;
      });
    } finally {
      verifier.dispose();
    }
  }

  for (const { row, vault } of vaultWork) {
    // The token comes from SECRET_STORE_VAULT_TOKEN (what the product reads) or VAULT_TOKEN.
    const result = await verifyVault({ ...vault, timeoutMs: timeout });
    row.code = result.code;
    row.message = result.message;
    if (result.valueLength !== undefined) row.valueLength = result.valueLength;
  }

  if (format === 'json') {
    io.stdout(JSON.stringify({ version: 1, results: rows }, null, 2) + '\n');
  } else {
    for (const r of rows) {
      io.stdout(`${r.path}:${r.line}: ${r.code === 'ok' ? 'ok' : 'FAIL'} [${r.code}] ${r.key} → ${r.secretId ?? '?'} (${r.region ?? '?'}): ${r.message}\n`);
    }
    const ok = rows.filter((r) => r.code === 'ok').length;
    io.stdout(`${rows.length} reference(s): ${ok} resolved, ${rows.length - ok} failed${rows[0]?.credentialSource ? ` (credentials: ${rows.find((r) => r.credentialSource)?.credentialSource})` : ''}\n`);
  }
  return rows.every((r) => r.code === 'ok') ? 0 : 1;
}

async function setAwsSecret(args: string[], io: Io): Promise<number> {
  let region: string | undefined;
  let secretId: string | undefined;
  let pointer: string | undefined;
  let backup = true;
  let replaceClass = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--region') region = value();
    else if (a === '--secret-id') secretId = value();
    else if (a === '--pointer') pointer = value();
    else if (a === '--no-backup') backup = false;
    else if (a === '--replace-class') replaceClass = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else files.push(a);
  }
  if (!region) throw new UsageError('set-aws-secret needs --region');
  if (!secretId) throw new UsageError('set-aws-secret needs --secret-id');
  if (files.length !== 1) throw new UsageError('set-aws-secret needs exactly one file');
  // The values are checked by the same rules as the editor, on the reference the plan would write.
  const probe = planAwsSecret('', { region, secretId, secretPointer: pointer });
  if (probe.kind !== 'edits') throw new Error('unexpected plan');
  const errors = analyze(probe.newText, { fileName: 'bitbucket.properties' }).findings.filter((f) => f.severity === 'error' || f.code === 'aws-region-unknown');
  const hard = errors.filter((f) => f.severity === 'error');
  if (hard.length > 0) throw new UsageError(hard.map((f) => `[${f.code}] ${f.message}`).join('\n'));
  for (const w of errors.filter((f) => f.severity !== 'error')) io.stderr(`encprops: warning [${w.code}] ${w.message}\n`);

  const file = files[0];
  let text: string;
  let mode: number;
  try {
    text = await fs.readFile(file, 'utf8');
    mode = (await fs.stat(file)).mode & 0o7777;
  } catch (error) {
    io.stderr(`encprops: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
    return 1;
  }
  const plan = planForFile(path.basename(file), text, { region, secretId, secretPointer: pointer }, { replaceClass });
  if (plan.kind === 'error') {
    io.stderr(`encprops: cannot update ${file}: ${plan.message}. The file is unchanged.\n`);
    return 1;
  }
  if (plan.kind === 'needs-confirmation') {
    io.stderr(
      `encprops: ${file} uses ${plan.currentClass} for other {ENC} values (${plan.dependentKeys.join(', ')}); ` +
        'replacing the class would break them. Pass --replace-class to replace it anyway. The file is unchanged.\n',
    );
    return 1;
  }
  if (!plan.changed) {
    io.stdout(`${file}: already set, nothing changed\n`);
    return 0;
  }
  const temp = `${file}.encprops-${process.pid}.tmp`;
  try {
    if (backup) {
      const copy = backupFileName(file, existsSync);
      await fs.copyFile(file, copy, fsConstants.COPYFILE_EXCL);
      io.stdout(`backup: ${copy} (Atlassian recommends moving backups off the instance)\n`);
    }
    // Write beside and rename, so that the file is never half written.
    await fs.writeFile(temp, plan.newText, { mode });
    await fs.chmod(temp, mode);
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    io.stderr(`encprops: cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}; the file is unchanged\n`);
    return 1;
  }
  io.stdout(`${file}: set\n  ${plan.lines[0]}\n  ${plan.lines[1]}\n`);
  if (plan.replacedClass) io.stdout(`  (replaced ${plan.replacedClass})\n`);
  io.stdout('Restart Bitbucket (every node) to apply.\n');
  return 0;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === '-h' || command === '--help' || command === 'help') {
      io.stdout(USAGE);
      return command ? 0 : 2;
    }
    if (command === '-v' || command === '--version') {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    if (command === 'check') return await check(rest, io);
    if (command === 'verify') return await verify(rest, io);
    if (command === 'set-aws-secret') return await setAwsSecret(rest, io);
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`encprops: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}
