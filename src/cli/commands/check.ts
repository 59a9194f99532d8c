/** `encprops check`: the findings of every product file, in text, JSON, SARIF or GitLab Code Quality. */
import { existsSync, statSync } from 'fs';
import * as path from 'path';
import { gitWorkingTree } from '../../files/gitTree';
import { analyzeFile } from '../../core/analyzeFile';
import { escapeControls, escapeJsonControls } from '../../core/text/terminal';
import { formatGitlab, formatSarif, formatText, Report, toReportFile } from '../report';
import { codecFor, Io, KIND_OPTIONS, kindOptions, noProductFile, productFiles, readText, reportProblem } from '../files';
import { FileKind } from '../../core/model/fileKind';
import { fixAllEdits } from '../../core/language/fixAll';
import { applyEdits } from '../../core/edits/applyEdits';
import { rewriteFile } from '../../files/safeWrite';
import { OptionSpec, parseArgs, UsageError } from '../options';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'format', alias: 'f', kind: 'value', choices: ['text', 'json', 'sarif', 'gitlab'] },
  // The pre-commit hook's mode: named files are recognised as a folder scan recognises them, and a commit that touches
  // none (only unrelated YAML, say) passes.
  { name: 'skip-other', kind: 'flag' },
  // Apply the preferred fixes (as the editor's fix-all) through the safe writer; --dry-run says what would change.
  { name: 'fix', kind: 'flag' },
  { name: 'dry-run', kind: 'flag' },
  ...KIND_OPTIONS,
];

/** %SRCROOT% for SARIF: the one folder checked, else the Git working tree holding the first target, else the current folder. */
function sarifRoot(targets: readonly string[]): string {
  if (targets.length === 1 && statSync(targets[0], { throwIfNoEntry: false })?.isDirectory()) return path.resolve(targets[0]);
  return gitWorkingTree(path.dirname(path.resolve(targets[0]))) ?? process.cwd();
}

/**
 * The preferred fixes of a file, applied as the editor's fix-all applies them (one rule: core/language/fixAll),
 * through the safe rewrite (the file read again under the lock, refused if it changed meanwhile, owner and mode
 * kept). Says what it fixed on stderr; returns the new text, undefined when nothing applied, or 'error' after saying why.
 */
async function applyFixes(file: string, kind: FileKind, dryRun: boolean, io: Io): Promise<{ text: string } | undefined | 'error'> {
  const plan = (text: string) => {
    const analysis = analyzeFile(text, { kind, fileExists: existsSync });
    const edits = fixAllEdits(analysis.findings);
    const codes = analysis.findings.filter((f) => f.fixes?.some((x) => x.isPreferred && x.edits.every((e) => edits.includes(e)))).map((f) => f.code);
    const newText = applyEdits(text, edits);
    return { newText: newText === text ? undefined : newText, codes };
  };
  const shown = escapeControls(file);
  if (dryRun) {
    const read = await readText(file, io);
    if (!read) return 'error';
    const p = plan(read.text);
    if (p.newText === undefined) return undefined;
    io.stderr(`encprops: would fix ${p.codes.length} problem(s) in ${shown}: ${p.codes.join(', ')}\n`);
    return { text: p.newText };
  }
  try {
    const result = await rewriteFile(file, plan, { codec: codecFor(() => kind), backup: false });
    if (!result.written || result.outcome.newText === undefined) return undefined;
    io.stderr(`encprops: fixed ${result.outcome.codes.length} problem(s) in ${shown}: ${result.outcome.codes.join(', ')}\n`);
    return { text: result.outcome.newText };
  } catch (error) {
    reportProblem(io, error);
    return 'error';
  }
}

export async function check(args: readonly string[], io: Io, version: string): Promise<number> {
  const parsed = parseArgs(args, OPTIONS);
  const format = parsed.values.get('format') ?? 'text';
  const targets = parsed.positionals;
  if (targets.length === 0) throw new UsageError('check needs at least one file or folder');

  const fix = parsed.flags.has('fix');
  const dryRun = parsed.flags.has('dry-run');
  if (dryRun && !fix) throw new UsageError('--dry-run goes with --fix');
  const report: Report = { version: 1, files: [] };
  const skipOther = parsed.flags.has('skip-other');
  for await (const found of productFiles(targets, io, { ...kindOptions(parsed), recognisedOnly: skipOther })) {
    if (found === 'error') return 2;
    let text = found.text;
    let analysis = analyzeFile(text, { kind: found.kind, fileExists: existsSync, encoding: found.encoding });
    if (fix && analysis.relevant) {
      const fixed = await applyFixes(found.file, found.kind, dryRun, io);
      if (fixed === 'error') return 2;
      if (fixed && !dryRun) {
        text = fixed.text;
        analysis = analyzeFile(text, { kind: found.kind, fileExists: existsSync, encoding: found.encoding });
      }
    }
    // What remains is reported (after --fix, the file as written).
    if (analysis.relevant) report.files.push(toReportFile(found.file, text, analysis));
  }
  if (report.files.length === 0) return skipOther ? 0 : noProductFile(io, targets);
  if (format === 'json') io.stdout(escapeJsonControls(JSON.stringify(report, null, 2)) + '\n');
  else if (format === 'sarif') io.stdout(escapeJsonControls(formatSarif(report, version, sarifRoot(targets))));
  else if (format === 'gitlab') io.stdout(escapeJsonControls(formatGitlab(report, process.cwd())));
  else io.stdout(formatText(report));
  return report.files.some((f) => f.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}
