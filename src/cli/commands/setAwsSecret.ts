/**
 * `encprops set-aws-secret`: writes the class and the reference into one file as the wizard does, after a backup,
 * through the safe rewrite (the real file of a link, owner and mode kept, refused when it changed meanwhile).
 */
import * as path from 'path';
import { FileKind } from '../../core/model/fileKind';
import { AWS_STORE } from '../../core/model/cipherClasses';
import { AwsSecretTarget, referenceJson } from '../../core/edits/awsSecretPlan';
import { planForFile } from '../../core/edits/plan';
import { applySummary } from '../../core/product/password';
import { checkTypedReference } from '../../core/rules/typedValue';
import { escapeControls } from '../../core/text/terminal';
import { FileProblem } from '../../files/read';
import { rewriteFile } from '../../files/safeWrite';
import { codecFor, Io, kindOfFile } from '../files';
import { OptionSpec, parseArgs, UsageError } from '../options';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'region', kind: 'value' },
  { name: 'secret-id', kind: 'value' },
  { name: 'pointer', kind: 'value' },
  { name: 'no-backup', kind: 'flag' },
  { name: 'backup-dir', kind: 'value' },
  { name: 'replace-class', kind: 'flag' },
  { name: 'allow-unknown-region', kind: 'flag' },
  { name: 'service', kind: 'value' },
];

type Outcome = { newText?: string; plan: ReturnType<typeof planForFile>; fileKind?: FileKind };

/**
 * The values go through the store rules before anything is read: the product would read a pointer with a bad "~"
 * escape leniently, but a tool that writes one writes a mistake; a region the SDK does not know is refused too (an
 * Ansible run must not deploy a file the product cannot start with), unless --allow-unknown-region says it is one
 * newer than this tool.
 */
function checkValues(target: AwsSecretTarget, allowUnknownRegion: boolean, io: Io): void {
  const { findings } = checkTypedReference(referenceJson(target), AWS_STORE, 'aws');
  const errors = findings.filter((f) => f.severity === 'error' || f.code === 'aws-region-unknown' || f.code === 'aws-pointer-invalid');
  const hard = errors.filter((f) => f.severity === 'error' || f.code === 'aws-pointer-invalid' || (f.code === 'aws-region-unknown' && !allowUnknownRegion));
  if (hard.length > 0) throw new UsageError(hard.map((f) => `[${f.code}] ${escapeControls(f.message)}`).join('\n'));
  for (const w of errors.filter((f) => f.severity !== 'error')) io.stderr(`encprops: warning [${w.code}] ${escapeControls(w.message)}\n`);
}

/** What the rewrite did, said: the refusal, "already set", or the lines set, the backup and how to apply them. */
function report(io: Io, file: string, result: Awaited<ReturnType<typeof rewriteFile<Outcome>>>): number {
  const shown = escapeControls(file);
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

export async function setAwsSecret(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseArgs(args, OPTIONS);
  const region = parsed.values.get('region');
  const secretId = parsed.values.get('secret-id');
  const backupDir = parsed.values.get('backup-dir');
  const backup = !parsed.flags.has('no-backup');
  if (!region) throw new UsageError('set-aws-secret needs --region');
  if (!secretId) throw new UsageError('set-aws-secret needs --secret-id');
  if (parsed.positionals.length !== 1) throw new UsageError('set-aws-secret needs exactly one file');
  if (backupDir !== undefined && !backup) throw new UsageError('--backup-dir and --no-backup exclude each other');
  const target: AwsSecretTarget = { region, secretId, secretPointer: parsed.values.get('pointer') };
  checkValues(target, parsed.flags.has('allow-unknown-region'), io);

  const file = parsed.positionals[0];
  const options = { replaceClass: parsed.flags.has('replace-class'), service: parsed.values.get('service') };
  const kindOfText = (text: string) => kindOfFile(file, text, true);
  try {
    const result = await rewriteFile<Outcome>(
      file,
      (text) => {
        const fileKind = kindOfText(text);
        if (fileKind === undefined)
          return { plan: { kind: 'error', message: 'it is neither a properties file nor the XML file of Jira, Confluence, Bamboo or Crowd' } };
        const plan = planForFile(fileKind, text, target, options);
        return { plan, fileKind, newText: plan.kind === 'edits' && plan.changed ? plan.newText : undefined };
      },
      {
        codec: codecFor(kindOfText),
        backup: backup ? { dir: backupDir } : false,
      },
    );
    return report(io, file, result);
  } catch (error) {
    if (error instanceof FileProblem) {
      // A change saved to a recovery file comes after the write: the file is not unchanged then.
      const said = error.code === 'lost-edit' || /unchanged|nothing was written/.test(error.message);
      io.stderr(`encprops: ${escapeControls(error.message)}${said ? '' : '; the file is unchanged'}\n`);
      return error.code === 'not-regular' ? 2 : 1;
    }
    throw error;
  }
}
