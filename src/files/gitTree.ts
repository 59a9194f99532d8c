/**
 * Whether a path is inside a Git working tree (a `.git` folder or file in it or above it): a backup holding the
 * plaintext password must not land there, where a `git add .` would commit it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The working tree's top folder holding `target` (a file or a folder), or undefined. */
export function gitWorkingTree(target: string): string | undefined {
  for (let dir = path.resolve(target); ;) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Where backups go when the file is in a Git working tree: an owner-only folder in the user's home. */
export function backupFolderOutsideGit(): string {
  const dir = path.join(os.homedir(), '.encprops', 'backups');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  return dir;
}
