/** `encprops`: the command line for CI pipelines, on the same core as the extension. */
import { promises as fs } from 'fs';
import * as path from 'path';
import { analyze } from '../core/bitbucket/analyze';
import { formatSarif, formatText, Report, toReportFile } from './report';

declare const ENCPROPS_VERSION: string | undefined;
const VERSION = typeof ENCPROPS_VERSION === 'string' ? ENCPROPS_VERSION : '0.0.0-dev';

const USAGE = `Usage: encprops <command> [options]

Commands:
  check [--format text|json|sarif] <files or folders...>
      Validate Atlassian secret references. Folders are searched for bitbucket.properties and other
      *.properties files that use {ENC} or a cipher class property.
      Exit 0: no errors; 1: errors found; 2: usage or I/O error.

Options:
  -h, --help       show this help
  -v, --version    print the version
`;

export class UsageError extends Error {}

interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
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
    } else if (entry.isFile() && entry.name.endsWith('.properties')) {
      found.push(full);
    }
  }
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
  for (const target of targets) {
    const files: string[] = [];
    try {
      await collect(target, files);
    } catch (error) {
      io.stderr(`encprops: cannot read ${target}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
      return 2;
    }
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
      const analysis = analyze(text, { fileName: explicitFile ? 'bitbucket.properties' : path.basename(file) });
      if (!analysis.relevant) continue;
      report.files.push(toReportFile(file, text, analysis));
    }
  }
  if (format === 'json') io.stdout(JSON.stringify(report, null, 2) + '\n');
  else if (format === 'sarif') io.stdout(formatSarif(report, VERSION));
  else io.stdout(formatText(report));
  return report.files.some((f) => f.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
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
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`encprops: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}
