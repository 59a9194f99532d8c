/** The lock of one file's rewrite: one run at a time, a dead run's lock taken over, never read half-written. */
import { promises as fs } from 'fs';
import * as path from 'path';
import { FileProblem, problemFrom, readRegularFile } from './read';
import { EXCLUSIVE, leftoverPrefixes, noHardLinks, randomSuffix } from './names';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates `file` with its content in one step: written to a private name, then linked to `file` (a link never
 * replaces a name), so that another run never reads the lock empty and takes it for a dead run's. Where the file system
 * has no hard links, an exclusive create then a write. Throws EEXIST when the name is taken.
 */
async function createWithContent(file: string, content: string, temp: string): Promise<void> {
  const handle = await fs.open(temp, EXCLUSIVE, 0o600);
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  try {
    await fs.link(temp, file);
  } catch (error) {
    if (!noHardLinks(error)) throw error;
    const direct = await fs.open(file, EXCLUSIVE, 0o600);
    try {
      await direct.writeFile(content);
    } finally {
      await direct.close();
    }
  } finally {
    await fs.rm(temp, { force: true });
  }
}

export async function acquireLock(realPath: string): Promise<() => Promise<void>> {
  const lockPath = path.join(path.dirname(realPath), `.${path.basename(realPath)}.encprops-lock`);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // The private name is one of this tool's leftover names: a run killed right there leaves a recognisable file.
      await createWithContent(
        lockPath,
        `${process.pid}\n`,
        path.join(path.dirname(realPath), `${leftoverPrefixes(path.basename(realPath))[0]}lock-${randomSuffix()}`),
      );
      return async () => {
        await fs.rm(lockPath, { force: true });
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOENT: a concurrent run's clean-up removed this run's private name before it was linked: try again.
      if (code === 'ENOENT') continue;
      if (code !== 'EEXIST') throw problemFrom(error, lockPath, 'create the lock file');
    }
    let holder: number | undefined;
    try {
      holder = Number.parseInt((await readRegularFile(lockPath, 64)).bytes.toString('latin1'), 10);
    } catch (error) {
      if (error instanceof FileProblem && error.code === 'ENOENT') continue;
      throw new FileProblem(
        'locked',
        realPath,
        `the lock file ${lockPath} is not one of this tool's (${error instanceof Error ? error.message : String(error)}); remove it and run again`,
      );
    }
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
      throw new FileProblem(
        'locked',
        realPath,
        `another encprops run (pid ${holder}) is writing ${realPath}; run again when it has finished, or remove ${lockPath} if there is no such run`,
      );
    }
    await fs.rm(lockPath, { force: true }); // left by a run that was killed
  }
  throw new FileProblem('locked', realPath, `cannot take the lock ${lockPath}; another run keeps taking it`);
}
