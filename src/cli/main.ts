/** `encprops`: the command line for CI pipelines, on the same core as the extension. */
import { existsSync } from 'fs';
import * as path from 'path';
import { analyzeProperties } from '../core/properties/analyze';
import { analyzeFile, headOf } from '../core/analyzeFile';
import { chosenFileKind, FileKind, resolveFileKind } from '../core/model/fileKind';
import { isProduct, Product } from '../core/model/products';
import { isTemplateDialect, TEMPLATE_DIALECTS, TemplateDialect } from '../core/templates/template';
import { awsOf, SecretReference } from '../core/rules/analysis';
import { AwsTarget, credentialDestination, isVerifiableStore, VaultTarget, vaultSecretName, verifyTargetOf } from '../core/verify/targets';
import { formatGitlab, formatSarif, formatText, Report, toReportFile } from './report';
import { LineIndex } from '../core/text/lineIndex';
import { planAwsSecret } from '../core/edits/awsSecretPlan';
import { planForFile } from '../core/edits/plan';
import { verifyVault } from '../vault/vaultVerifier';
import { pool } from '../core/util/pool';
import { escapeControls, escapeJsonControls, withoutUserinfo } from '../core/text/terminal';
import { PROPERTIES_CODEC, utf8Codec, xmlCodec } from '../core/text/encoding';
import { isAwsHost } from '../core/verify/labels';
import { FileProblem, readRegularFile } from '../files/read';
import { rewriteFile } from '../files/safeWrite';
import { scanTargets, ScanTarget } from '../files/scan';
import { applySummary } from '../core/product/password';

declare const ENCPROPS_VERSION: string | undefined;
const VERSION = typeof ENCPROPS_VERSION === 'string' ? ENCPROPS_VERSION : '0.0.0-dev';

const USAGE = `Usage: encprops <command> [options]

Commands:
  check [--format text|json|sarif|gitlab] [--product NAME] [--template DIALECT] <files or folders...>
      Validate Atlassian secret references. Folders are searched for bitbucket.properties and other
      *.properties files that use {ENC} or a cipher class property, for Jira's dbconfig.xml,
      confluence.cfg.xml, bamboo.cfg.xml and crowd.cfg.xml (also with a prefix or an infix, such as
      home-confluence.cfg.xml or bamboo.cfg.prod.xml), and for their templates (.j2 .jinja .jinja2 .erb .epp
      .tmpl .tpl .template .gotmpl .in): Jinja2, ERB, Puppet EPP, Go templates and shell \${VAR}.
      --product NAME: read the named files as NAME's (bitbucket, jira, confluence, bamboo, crowd).
      --template DIALECT: their template dialect (jinja, erb, epp, go, shell) where the suffix does not tell.
      --format gitlab: a GitLab Code Quality report.
      Exit 0: no errors; 1: errors found; 2: usage or I/O error.

  verify [--format text|json] [--profile P] [--concurrency N] [--timeout MS] [--allow-endpoint HOST]...
         [--product NAME] [--template DIALECT] <files or folders...>
      Resolve every AWS Secrets Manager reference through the AWS SDK, with the default credential chain
      (or profile P), and every HashiCorp Vault reference with SECRET_STORE_VAULT_TOKEN (or VAULT_TOKEN),
      exactly as the product will at start-up. Never prints a secret value.
      --timeout MS: the total time for one reference, every attempt and the whole answer included
      (1 to 600000 ms; default 10000).
      Signed AWS requests go only to AWS endpoints, and Vault tokens nowhere, unless the host (host or
      host:port) of a file's endpointOverride or Vault endpoint is allowed with --allow-endpoint HOST (repeat
      it) or in ENCPROPS_ALLOW_ENDPOINTS (comma-separated): a file from a pull request must not send your
      credentials to a server of its choosing.
      A reference a template fills in (a region from {{ aws_region }}) is reported as templated: verify
      the rendered file.
      Exit 0: every reference resolves; 1: any does not; 2: usage or I/O error.

  set-aws-secret --region R --secret-id S [--pointer P] [--no-backup] [--backup-dir DIR] [--replace-class]
                 [--allow-unknown-region] [--service NAME] <file>
      Write the AWS store class and the {…} reference into bitbucket.properties (cipher class property and
      jdbc.password={ENC}…), a product's XML (dbconfig.xml, confluence.cfg.xml, bamboo.cfg.xml,
      crowd.cfg.xml: its own elements) or a container deployment (Compose file, env file, Kubernetes manifest,
      Helm values: ATL_JDBC_SECRET_CLASS and ATL_JDBC_PASSWORD, or Bitbucket's JDBC_PASSWORD_DECRYPTER_CLASSNAME
      and JDBC_PASSWORD, in the file's own style; --service names the container when there are several),
      exactly as the wizard does, after a timestamped backup beside the file
      (or in DIR). The backup holds the old content, which may be a plaintext password: move it off the instance.
      A symbolic link is followed and the real file edited; owner, group, mode, ACLs and hard links are kept;
      bytes outside the two entries stay exactly as they were (properties files are ISO-8859-1, as the
      products read them). Prints what changed. Exit 0: written (or nothing to change); 1: not written
      (I/O error, the file changed meanwhile, another run is writing it, or another cipher class that other
      {ENC} values use, without --replace-class); 2: bad arguments (a region the AWS SDK does not know, unless
      --allow-unknown-region; an invalid secret name or pointer), or a path that is not a regular file.
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

/** What the folder scan looks at: the files resolveFileKind recognises by name (properties files, the products' XML). */
const isCandidate = (name: string) => resolveFileKind({ fileName: name }) !== undefined;

/** What the command line says about the files it names: --product and --template. */
interface KindOptions {
  product?: Product;
  template?: TemplateDialect;
}

/**
 * The kind of a file the scan found, or of one named on the command line (a properties file is then Bitbucket's;
 * --product and --template say what a named file is when its name does not).
 */
function kindOfFile(file: string, text: string, explicit: boolean, options: KindOptions = {}): FileKind | undefined {
  const fileName = path.basename(file);
  const identity = {
    fileName,
    head: headOf(text),
    ...(explicit && options.product ? { associations: { [fileName]: options.product } } : {}),
    ...(options.template ? { template: options.template } : {}),
  };
  return explicit ? chosenFileKind(identity) : resolveFileKind(identity);
}

/**
 * Paths that hold no product configuration: a typo in a CI job (the wrong folder) must not pass as "nothing wrong".
 * A product file is one some product reads that is its own by name or uses the secrets mechanism.
 */
function noProductFile(io: Io, targets: readonly string[]): number {
  io.stderr(
    `encprops: no Atlassian product configuration file in ${targets.map((t) => escapeControls(t)).join(', ')} ` +
      '(bitbucket.properties, dbconfig.xml, confluence.cfg.xml, bamboo.cfg.xml, crowd.cfg.xml, their templates, a *.properties file using {ENC}, ' +
      'or a Compose file, env file, Kubernetes manifest or Helm values naming an Atlassian image or its variables); ' +
      'check the path, or name the file with --product.\n',
  );
  return 2;
}

/** --product and --template, when `a` is one of them; the index of the last argument used. */
function kindOption(args: readonly string[], i: number, options: KindOptions): number | undefined {
  const a = args[i];
  const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
  if (flag !== '--product' && flag !== '--template') return undefined;
  const value = inline ?? args[i + 1];
  if (value === undefined || value === '' || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  if (flag === '--product') {
    if (!isProduct(value)) throw new UsageError(`--product must be bitbucket, jira, confluence, bamboo or crowd, not "${value}"`);
    options.product = value;
  } else {
    if (!isTemplateDialect(value)) throw new UsageError(`--template must be ${TEMPLATE_DIALECTS.join(', ')}, not "${value}"`);
    options.template = value;
  }
  return inline === undefined ? i + 1 : i;
}

/** Reports a problem with a path (the caller exits 2: the command could not look at what it was given). */
function reportProblem(io: Io, error: unknown): void {
  if (!(error instanceof FileProblem)) throw error;
  io.stderr(`encprops: ${escapeControls(error.message)}\n`);
}

/** The files of every target, saying on stderr what the folder scan passed over; undefined after reporting an error. */
async function collectTargets(targets: readonly string[], io: Io): Promise<ScanTarget[] | undefined> {
  try {
    const { targets: found, skipped } = await scanTargets(targets, isCandidate);
    for (const s of skipped) io.stderr(`encprops: skipped ${escapeControls(s.path)}: ${escapeControls(s.reason)}\n`);
    return found;
  } catch (error) {
    reportProblem(io, error);
    return undefined;
  }
}

/**
 * A configuration file's text: UTF-8 when its bytes are valid UTF-8, else ISO-8859-1 (one byte, one character), and
 * which of the two it was, so that the encoding rules know what the product will see. Undefined after reporting an error.
 */
async function readText(file: string, io: Io): Promise<{ text: string; encoding: 'utf-8' | 'iso-8859-1' } | undefined> {
  try {
    const { bytes } = await readRegularFile(file, undefined, { followLinks: true });
    const utf8 = bytes.toString('utf8');
    return Buffer.from(utf8, 'utf8').equals(bytes) ? { text: utf8, encoding: 'utf-8' } : { text: bytes.toString('latin1'), encoding: 'iso-8859-1' };
  } catch (error) {
    reportProblem(io, error);
    return undefined;
  }
}

async function check(args: string[], io: Io): Promise<number> {
  let format = 'text';
  const targets: string[] = [];
  const kindOptions: KindOptions = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const used = kindOption(args, i, kindOptions);
    if (used !== undefined) {
      i = used;
    } else if (a === '--format' || a === '-f') {
      format = args[++i] ?? '';
    } else if (a.startsWith('--format=')) {
      format = a.slice('--format='.length);
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option ${a}`);
    } else {
      targets.push(a);
    }
  }
  if (!['text', 'json', 'sarif', 'gitlab'].includes(format)) throw new UsageError(`--format must be text, json, sarif or gitlab, not "${format}"`);
  if (targets.length === 0) throw new UsageError('check needs at least one file or folder');

  const report: Report = { version: 1, files: [] };
  const collected = await collectTargets(targets, io);
  if (!collected) return 2;
  for (const { explicit: explicitFile, files } of collected) {
    for (const file of files) {
      const read = await readText(file, io);
      if (read === undefined) return 2;
      const { text, encoding } = read;
      // An explicitly named properties file is always checked as Bitbucket's; found files only when they use secrets.
      const kind = kindOfFile(file, text, explicitFile, kindOptions);
      if (kind === undefined) continue;
      const analysis = analyzeFile(text, { kind, fileExists: existsSync, encoding });
      if (!analysis.relevant) continue;
      report.files.push(toReportFile(file, text, analysis));
    }
  }
  if (report.files.length === 0) return noProductFile(io, targets);
  if (format === 'json') io.stdout(escapeJsonControls(JSON.stringify(report, null, 2)) + '\n');
  else if (format === 'sarif') io.stdout(escapeJsonControls(formatSarif(report, VERSION)));
  else if (format === 'gitlab') io.stdout(escapeJsonControls(formatGitlab(report, process.cwd())));
  else io.stdout(formatText(report));
  return report.files.some((f) => f.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}

/** One row of `encprops verify --format json` (a stable contract, version 1). */
export interface VerifyRow {
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

/** Hosts a file may send signed requests or a Vault token to, besides AWS's own endpoints. */
function allowedEndpoint(url: string, allowed: ReadonlySet<string>, aws: boolean): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (aws && isAwsHost(parsed.hostname)) return true;
  return allowed.has(parsed.host.toLowerCase()) || allowed.has(parsed.hostname.toLowerCase());
}

/** `encprops verify --format json`. */
export interface VerifyReport {
  readonly version: 1;
  readonly results: readonly VerifyRow[];
}

const MAX_TIMEOUT_MS = 600_000;

/** What a verify row shows of a reference, as far as it parsed: AWS region and secret id; Vault endpoint, mount/path and key. */
function referenceColumns(r: SecretReference): Pick<VerifyRow, 'region' | 'endpoint' | 'secretId' | 'secretPointer'> {
  if (r.store === 'vault') {
    const v = r.vault;
    return {
      ...(v?.endpoint ? { endpoint: withoutUserinfo(v.endpoint) } : {}),
      ...(v?.mount && v.path ? { secretId: vaultSecretName(v.mount, v.path) } : {}),
      ...(v?.key ? { secretPointer: v.key } : {}),
    };
  }
  const aws = awsOf(r);
  return {
    ...(aws?.region !== undefined ? { region: aws.region } : {}),
    ...(aws?.secretId !== undefined ? { secretId: aws.secretId } : {}),
    ...(aws?.secretPointer !== undefined ? { secretPointer: aws.secretPointer } : {}),
  };
}

async function verify(args: string[], io: Io): Promise<number> {
  let format = 'text';
  let profile: string | undefined;
  let concurrency = 4;
  let timeout = 10_000;
  const allowed = new Set(
    (process.env.ENCPROPS_ALLOW_ENDPOINTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
  const targets: string[] = [];
  const kindOptions: KindOptions = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const used = kindOption(args, i, kindOptions);
    if (used !== undefined) i = used;
    else if (a === '--format' || a === '-f') format = value();
    else if (a.startsWith('--format=')) format = a.slice(9);
    else if (a === '--profile') profile = value();
    else if (a === '--concurrency') concurrency = Number(value());
    else if (a === '--timeout') timeout = Number(value());
    else if (a === '--allow-endpoint') allowed.add(value().trim().toLowerCase());
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else targets.push(a);
  }
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format must be text or json, not "${format}"`);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError('--concurrency must be an integer from 1 to 64');
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_TIMEOUT_MS)
    throw new UsageError(`--timeout must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (10 minutes)`);
  if (targets.length === 0) throw new UsageError('verify needs at least one file or folder');

  const rows: VerifyRow[] = [];
  let productFiles = 0;
  const work: Array<{ row: VerifyRow; target: AwsTarget }> = [];
  const vaultWork: Array<{ row: VerifyRow; target: VaultTarget }> = [];
  const decline = (row: VerifyRow, endpoint: string, what: string) => {
    const host = (() => {
      try {
        return new URL(endpoint).host;
      } catch {
        return endpoint;
      }
    })();
    row.code = 'endpoint-declined';
    row.message = `Not verified: ${what} would go to ${withoutUserinfo(endpoint)}, named by the file. Allow it with --allow-endpoint ${host} (or ENCPROPS_ALLOW_ENDPOINTS) if you trust it.`;
  };
  const collected = await collectTargets(targets, io);
  if (!collected) return 2;
  for (const { explicit, files } of collected) {
    for (const file of files) {
      const read = await readText(file, io);
      if (read === undefined) return 2;
      const { text, encoding } = read;
      const kind =
        explicit && (kindOptions.product || kindOptions.template) ? kindOfFile(file, text, true, kindOptions) : kindOfFile(file, text, false, kindOptions);
      if (kind === undefined) continue;
      const analysis = analyzeFile(text, { kind, fileExists: existsSync, encoding });
      if (analysis.relevant) productFiles++;
      const lines = new LineIndex(text);
      for (const r of analysis.references) {
        if (!isVerifiableStore(r)) continue;
        const row: VerifyRow = {
          path: file,
          line: lines.positionAt(r.entry.start).line + 1,
          key: r.key,
          store: r.store,
          ...referenceColumns(r),
          code: 'invalid-reference',
          message: 'The reference has errors; run encprops check and fix them first.',
        };
        rows.push(row);
        if (r.templated && r.valid) {
          row.code = 'templated';
          row.message = 'A template fills in this reference, so it cannot be resolved as written: verify the rendered file.';
          continue;
        }
        const target = verifyTargetOf(r);
        if (target === undefined) continue;
        const destination = credentialDestination(target);
        if (destination && !allowedEndpoint(destination.endpoint, allowed, target.store === 'aws')) decline(row, destination.endpoint, destination.what);
        else if (target.store === 'aws') work.push({ row, target });
        else vaultWork.push({ row, target });
      }
    }
  }

  if (productFiles === 0) return noProductFile(io, targets);

  if (work.length > 0) {
    const { SecretsVerifier } = (io.loadAws ?? processIo.loadAws!)();
    const verifier = new SecretsVerifier({ profile, requestTimeoutMs: timeout, imdsTimeoutMs: 1000, timeoutHint: 'raise --timeout' });
    try {
      await pool(work, concurrency, async ({ row, target }) => {
        const result = await verifier.verify(target);
        row.code = result.code;
        row.message = result.message;
        if (result.credentialSource) row.credentialSource = result.credentialSource;
        if (result.valueLength !== undefined) row.valueLength = result.valueLength;
      });
    } finally {
      verifier.dispose();
    }
  }

  await pool(vaultWork, concurrency, async ({ row, target }) => {
    // The token comes from SECRET_STORE_VAULT_TOKEN (what the product reads) or VAULT_TOKEN.
    const result = await verifyVault({ ...target, timeoutMs: timeout, timeoutHint: 'Raise --timeout.' });
    row.code = result.code;
    row.message = result.message;
    if (result.valueLength !== undefined) row.valueLength = result.valueLength;
  });

  if (format === 'json') {
    const report: VerifyReport = { version: 1, results: rows };
    io.stdout(escapeJsonControls(JSON.stringify(report, null, 2)) + '\n');
  } else {
    const e = escapeControls;
    for (const r of rows) {
      const where = r.store === 'vault' ? (r.endpoint ?? '?') : (r.region ?? '?');
      const status = r.code === 'ok' ? 'ok' : r.code === 'templated' ? 'SKIP' : 'FAIL';
      const secret = r.code === 'templated' ? 'templated' : `${e(r.secretId ?? '?')} (${e(where)})`;
      io.stdout(`${e(r.path)}:${r.line}: ${status} [${r.code}] ${e(r.key)} → ${secret}: ${e(r.message)}\n`);
    }
    const ok = rows.filter((r) => r.code === 'ok').length;
    const skipped = rows.filter((r) => r.code === 'templated').length;
    const source = rows.find((r) => r.credentialSource)?.credentialSource;
    io.stdout(
      `${rows.length} reference(s): ${ok} resolved, ${rows.length - ok - skipped} failed${skipped ? `, ${skipped} templated (not resolvable here)` : ''}${source ? ` (credentials: ${e(source)})` : ''}\n`,
    );
  }
  // A templated reference cannot be resolved before rendering: reported, not a failure.
  return rows.every((r) => r.code === 'ok' || r.code === 'templated') ? 0 : 1;
}

async function setAwsSecret(args: string[], io: Io): Promise<number> {
  let region: string | undefined;
  let secretId: string | undefined;
  let pointer: string | undefined;
  let backup = true;
  let backupDir: string | undefined;
  let replaceClass = false;
  let allowUnknownRegion = false;
  let service: string | undefined;
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
    else if (a === '--backup-dir') backupDir = value();
    else if (a === '--replace-class') replaceClass = true;
    else if (a === '--allow-unknown-region') allowUnknownRegion = true;
    else if (a === '--service') service = value();
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else files.push(a);
  }
  if (!region) throw new UsageError('set-aws-secret needs --region');
  if (!secretId) throw new UsageError('set-aws-secret needs --secret-id');
  if (files.length !== 1) throw new UsageError('set-aws-secret needs exactly one file');
  if (backupDir !== undefined && !backup) throw new UsageError('--backup-dir and --no-backup exclude each other');
  // The values are checked by the same rules as the editor, on the reference the plan would write.
  const probe = planAwsSecret('', { region, secretId, secretPointer: pointer });
  if (probe.kind !== 'edits') throw new Error('unexpected plan');
  const errors = analyzeProperties(probe.newText, { fileName: 'bitbucket.properties' }).findings.filter(
    (f) => f.severity === 'error' || f.code === 'aws-region-unknown' || f.code === 'aws-pointer-invalid',
  );
  // The product would read a pointer with a bad "~" escape leniently, but a tool that writes one writes a mistake; a
  // region the SDK does not know is refused too (an Ansible run must not deploy a file the product cannot start
  // with), unless --allow-unknown-region says it is one newer than this tool.
  const hard = errors.filter((f) => f.severity === 'error' || f.code === 'aws-pointer-invalid' || (f.code === 'aws-region-unknown' && !allowUnknownRegion));
  if (hard.length > 0) throw new UsageError(hard.map((f) => `[${f.code}] ${escapeControls(f.message)}`).join('\n'));
  for (const w of errors.filter((f) => f.severity !== 'error')) io.stderr(`encprops: warning [${w.code}] ${escapeControls(w.message)}\n`);

  const file = files[0];
  const shown = escapeControls(file);
  type Outcome = { newText?: string; plan: ReturnType<typeof planForFile> | { kind: 'error'; message: string }; fileKind?: FileKind };
  const kindOfText = (text: string) => kindOfFile(file, text, true);
  let result;
  try {
    result = await rewriteFile<Outcome>(
      file,
      (text) => {
        const fileKind = kindOfText(text);
        if (fileKind === undefined)
          return { plan: { kind: 'error', message: 'it is neither a properties file nor the XML file of Jira, Confluence, Bamboo or Crowd' } };
        const plan = planForFile(fileKind, text, { region: region, secretId: secretId, secretPointer: pointer }, { replaceClass, service });
        return { plan, fileKind, newText: plan.kind === 'edits' && plan.changed ? plan.newText : undefined };
      },
      {
        codec: (bytes) => {
          const format = kindOfText(bytes.subarray(0, 4096).toString('latin1'))?.format;
          return format === 'xml' ? xmlCodec(bytes) : format === 'container' ? utf8Codec(bytes) : PROPERTIES_CODEC;
        },
        backup: backup ? { dir: backupDir } : false,
      },
    );
  } catch (error) {
    if (error instanceof FileProblem) {
      io.stderr(`encprops: ${escapeControls(error.message)}${/unchanged|nothing was written/.test(error.message) ? '' : '; the file is unchanged'}\n`);
      return error.code === 'not-regular' ? 2 : 1;
    }
    throw error;
  }
  for (const leftover of result.cleaned) io.stderr(`encprops: removed ${escapeControls(leftover)}, left by an interrupted earlier run\n`);
  const plan = result.outcome.plan;
  if (plan.kind === 'error') {
    io.stderr(`encprops: cannot update ${shown}: ${escapeControls(plan.message)}. The file is unchanged.\n`);
    return 1;
  }
  if (plan.kind === 'needs-confirmation') {
    io.stderr(
      `encprops: ${shown} uses ${escapeControls(plan.currentClass)} for other {ENC} values (${plan.dependentKeys.map(escapeControls).join(', ')}); ` +
        'replacing the class would break them. Pass --replace-class to replace it anyway. The file is unchanged.\n',
    );
    return 1;
  }
  if (!result.written) {
    io.stdout(`${shown}: already set, nothing changed\n`);
    return 0;
  }
  if (result.backup) {
    io.stdout(`backup: ${escapeControls(result.backup)}\n`);
    io.stderr(
      `encprops: warning: the backup holds the file as it was, possibly with a plaintext password; move it off the instance (Atlassian's advice) or delete it once the product has started.\n`,
    );
  }
  const real = result.realPath !== path.resolve(file) ? ` (the real file ${escapeControls(result.realPath)})` : '';
  io.stdout(`${shown}${real}: set\n  ${plan.lines[0]}\n  ${plan.lines[1]}\n`);
  if (plan.replacedClass) io.stdout(`  (replaced ${escapeControls(plan.replacedClass)})\n`);
  if (result.inPlaceReason) io.stdout(`  (edited in place: ${escapeControls(result.inPlaceReason)})\n`);
  io.stdout(`${applySummary(result.outcome.fileKind)}\n`);
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
      // One or two lines: the problem, and where the usage is (not the whole help on every typo).
      io.stderr(`encprops: ${error.message.split('\n').map(escapeControls).join('\n')}\nRun "encprops --help" for usage.\n`);
      return 2;
    }
    throw error;
  }
}
