/** `encprops check`: the findings of every product file, in text, JSON, SARIF or GitLab Code Quality. */
import { existsSync } from 'fs';
import { analyzeFile } from '../../core/analyzeFile';
import { escapeJsonControls } from '../../core/text/terminal';
import { formatGitlab, formatSarif, formatText, Report, toReportFile } from '../report';
import { Io, KIND_OPTIONS, kindOptions, noProductFile, productFiles } from '../files';
import { OptionSpec, parseArgs, UsageError } from '../options';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'format', alias: 'f', kind: 'value', choices: ['text', 'json', 'sarif', 'gitlab'] },
  // The pre-commit hook's mode: named files are recognised as a folder scan recognises them, and a commit that touches
  // none (only unrelated YAML, say) passes.
  { name: 'skip-other', kind: 'flag' },
  ...KIND_OPTIONS,
];

export async function check(args: readonly string[], io: Io, version: string): Promise<number> {
  const parsed = parseArgs(args, OPTIONS);
  const format = parsed.values.get('format') ?? 'text';
  const targets = parsed.positionals;
  if (targets.length === 0) throw new UsageError('check needs at least one file or folder');

  const report: Report = { version: 1, files: [] };
  const skipOther = parsed.flags.has('skip-other');
  for await (const found of productFiles(targets, io, { ...kindOptions(parsed), recognisedOnly: skipOther })) {
    if (found === 'error') return 2;
    const analysis = analyzeFile(found.text, { kind: found.kind, fileExists: existsSync, encoding: found.encoding });
    if (analysis.relevant) report.files.push(toReportFile(found.file, found.text, analysis));
  }
  if (report.files.length === 0) return skipOther ? 0 : noProductFile(io, targets);
  if (format === 'json') io.stdout(escapeJsonControls(JSON.stringify(report, null, 2)) + '\n');
  else if (format === 'sarif') io.stdout(escapeJsonControls(formatSarif(report, version)));
  else if (format === 'gitlab') io.stdout(escapeJsonControls(formatGitlab(report, process.cwd())));
  else io.stdout(formatText(report));
  return report.files.some((f) => f.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}
