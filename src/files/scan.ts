/**
 * Finding the files a command line names: a named path must be a regular file or a folder (anything else is an
 * error with its reason, never "0 files checked"); folders are searched following symbolic links to files and
 * folders, each real file and folder once (loops are detected), and whatever is passed over is said. Node only.
 */
import { Dirent, promises as fs, Stats } from 'fs';
import * as path from 'path';
import { describeError, FileProblem, kindOf } from './read';

/** Folders that never hold a product's live configuration. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.cache', 'out', 'dist']);

export interface Skipped {
  readonly path: string;
  readonly reason: string;
}

export interface ScanTarget {
  readonly target: string;
  /** True when the target itself is a file (checked whatever its name). */
  readonly explicit: boolean;
  readonly files: string[];
}

export interface ScanResult {
  readonly targets: ScanTarget[];
  readonly skipped: Skipped[];
}

const id = (s: Stats) => `${s.dev}:${s.ino}`;

/**
 * The files of every target. `isCandidate` decides by file name which files in folders are looked at. Throws
 * FileProblem for a named path that is missing or not a regular file or folder, and for a folder that cannot be read
 * (named itself, not its parent).
 */
export async function scanTargets(targets: readonly string[], isCandidate: (name: string) => boolean): Promise<ScanResult> {
  const skipped: Skipped[] = [];
  const seenFiles = new Map<string, string>();
  const seenDirs = new Map<string, string>();
  const out: ScanTarget[] = [];

  const addFile = (file: string, stat: Stats, list: string[]) => {
    const first = seenFiles.get(id(stat));
    if (first !== undefined) {
      if (first !== file) skipped.push({ path: file, reason: `the same file as ${first}, checked once` });
      return;
    }
    seenFiles.set(id(stat), file);
    list.push(file);
  };

  // A file or folder that went away (or became unreadable) between the listing and the look: said, and the scan goes on.
  const statOrSkip = async (full: string): Promise<Stats | undefined> => {
    try {
      return await fs.stat(full);
    } catch (error) {
      skipped.push({ path: full, reason: `it could not be read: ${describeError(error)}` });
      return undefined;
    }
  };
  const walk = async (dir: string, stat: Stats, list: string[]): Promise<void> => {
    const first = seenDirs.get(id(stat));
    if (first !== undefined) {
      skipped.push({ path: dir, reason: first === dir ? 'already searched' : `a link to ${first}, which is searched already (a loop or a second path)` });
      return;
    }
    seenDirs.set(id(stat), dir);
    let raw: Dirent<Buffer>[];
    try {
      raw = await fs.readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      throw new FileProblem((error as NodeJS.ErrnoException).code ?? 'EIO', dir, `cannot read the folder ${dir}: ${describeError(error)}`);
    }
    const entries: { readonly name: string; readonly entry: Dirent<Buffer> }[] = [];
    for (const entry of raw) {
      const name = entry.name.toString('utf8');
      // A name that is not valid UTF-8 cannot be opened by the decoded name: said, and the scan goes on.
      if (!Buffer.from(name, 'utf8').equals(entry.name))
        skipped.push({ path: path.join(dir, name), reason: 'its name is not valid UTF-8, so it cannot be opened by name' });
      else entries.push({ name, entry });
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { name, entry } of entries) {
      const full = path.join(dir, name);
      if (entry.isDirectory()) {
        if (SKIP_DIRS.has(name)) continue;
        const stat = await statOrSkip(full);
        if (stat) await walk(full, stat, list);
      } else if (entry.isFile()) {
        const stat = isCandidate(name) ? await statOrSkip(full) : undefined;
        if (stat) addFile(full, stat, list);
      } else if (entry.isSymbolicLink()) {
        let target: Stats;
        try {
          target = await fs.stat(full);
        } catch (error) {
          if (isCandidate(name)) skipped.push({ path: full, reason: `a symbolic link that cannot be followed: ${describeError(error)}` });
          continue;
        }
        if (target.isDirectory()) {
          if (!SKIP_DIRS.has(name)) await walk(full, target, list);
        } else if (isCandidate(name)) {
          if (target.isFile()) addFile(full, target, list);
          else skipped.push({ path: full, reason: `a symbolic link to a ${kindOf(target)}, not a regular file` });
        }
      } else if (isCandidate(name)) {
        const stat = await fs.lstat(full).catch(() => undefined);
        skipped.push({ path: full, reason: `a ${stat ? kindOf(stat) : 'special file'}, not a regular file` });
      }
    }
  };

  for (const target of targets) {
    let stat: Stats;
    try {
      stat = await fs.stat(target);
    } catch (error) {
      throw new FileProblem((error as NodeJS.ErrnoException).code ?? 'EIO', target, `cannot read ${target}: ${describeError(error)}`);
    }
    const files: string[] = [];
    if (stat.isFile()) {
      addFile(target, stat, files);
      out.push({ target, explicit: true, files });
    } else if (stat.isDirectory()) {
      await walk(target, stat, files);
      out.push({ target, explicit: false, files });
    } else {
      const link = await fs.lstat(target).catch(() => stat);
      const via = link.isSymbolicLink() ? ' (through a symbolic link)' : '';
      throw new FileProblem('not-regular', target, `${target} is a ${kindOf(stat)}${via}, not a regular file or a folder`);
    }
  }
  return { targets: out, skipped };
}
