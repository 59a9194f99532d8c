/**
 * The two ways a new content reaches the file: a temporary copy renamed over it (atomic), or a rewrite of its own inode
 * (hard links, extended attributes, an owner this user cannot give) behind a journal. Neither loses a change another
 * program makes meanwhile: after the final check, the old inode is held open, and what it holds after the commit is
 * compared with what the edit was made from. Node only.
 */
import { constants, promises as fs, Stats } from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import { backupCandidates } from '../core/edits/backup';
import { FileProblem, problemFrom, readOpen, readRegularFile } from './read';
import { EXCLUSIVE, leftoverPrefixes, noHardLinks } from './names';

/** Writes every byte (a write may take fewer than asked). */
export async function writeAll(handle: fs.FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, offset);
    offset += bytesWritten;
  }
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Stops with 'changed' when the file is no longer what was read. */
export async function assertUnchanged(realPath: string, read: Stats, hash: string): Promise<void> {
  const changed = () =>
    new FileProblem('changed', realPath, `${realPath} changed while this run was preparing its edit; nothing was written. Run again to edit the new content`);
  let now: Stats;
  try {
    now = await fs.lstat(realPath);
  } catch {
    throw changed();
  }
  if (!now.isFile() || now.ino !== read.ino || now.dev !== read.dev || now.size !== read.size || now.mtimeMs !== read.mtimeMs) throw changed();
  const again = await readRegularFile(realPath).catch(() => undefined);
  if (!again || sha256(again.bytes) !== hash) throw changed();
}

/** The journal of an in-place rewrite: the file's previous content, beside it, until the rewrite is complete. */
export function journalPath(realPath: string): string {
  return path.join(path.dirname(realPath), `.${path.basename(realPath)}.encprops-journal`);
}

async function writeSynced(file: string, bytes: Buffer): Promise<void> {
  const handle = await fs.open(file, EXCLUSIVE, 0o600);
  try {
    await writeAll(handle, bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * After the rename: what the file held when it was replaced (the inode held open since before the final check, or
 * another program's file that replaced it meanwhile). When that is not what the edit was made from, it is saved
 * (owner-only, beside the file) and the run fails naming it.
 */
async function recoverLateChange(t: CommitTarget, bytes: Buffer): Promise<void> {
  if (sha256(bytes) === t.hash) return;
  const names = backupCandidates(path.join(t.dir, `${t.base}.recovered`), t.now ?? new Date());
  for (let name = names.next().value, i = 0; i < 1000; name = names.next().value, i++) {
    try {
      await writeSynced(name, bytes);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    throw new FileProblem(
      'lost-edit',
      t.realPath,
      `${t.realPath} was changed by another program after this run's last check and before its write; that change was saved to ${name} (owner-only), and the file now holds this run's edit. Merge the change from ${name}, then remove it`,
    );
  }
}

export interface CommitTarget {
  readonly realPath: string;
  readonly dir: string;
  readonly base: string;
  /** The file as read, and its content's digest: it must be unchanged when the new content is committed. */
  readonly stat: Stats;
  readonly hash: string;
  readonly random: () => string;
  readonly beforeCommit?: () => Promise<void> | void;
  readonly beforeRename?: () => Promise<void> | void;
  readonly now?: Date;
}

/**
 * Writes a temporary copy beside the file (owner, group and mode kept, synced) and renames it over the file. Returns
 * why the file must be rewritten in place instead when the owner cannot be kept; undefined when committed.
 */
export async function commitByRename(t: CommitTarget, newBytes: Buffer): Promise<string | undefined> {
  const { realPath, stat } = t;
  const temp = path.join(t.dir, `${leftoverPrefixes(t.base)[0]}${t.random()}`);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(temp, EXCLUSIVE, 0o600);
  } catch (error) {
    throw problemFrom(error, temp, 'create the temporary copy');
  }
  let committed = false;
  try {
    let tempStat: Stats;
    try {
      await writeAll(handle, newBytes);
      try {
        await handle.chown(stat.uid, stat.gid);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
        return `its owner (${stat.uid}:${stat.gid}) cannot be kept by this user`;
      }
      await handle.chmod(stat.mode & 0o7777);
      await handle.sync();
      tempStat = await handle.stat();
    } finally {
      await handle.close();
    }
    await t.beforeCommit?.();
    // The old inode stays open from before the final check: a change made after it (in place) is still readable
    // through this descriptor once the rename has replaced the name.
    const old = await fs.open(realPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      await assertUnchanged(realPath, stat, t.hash);
      await t.beforeRename?.();
      // Whatever is at the name right before the rename, kept by a second name: another program's file that replaced
      // the checked one (a new inode) is then still there to be saved (where hard links exist).
      const previous = path.join(t.dir, `${leftoverPrefixes(t.base)[0]}prev-${t.random()}`);
      const kept = await fs.link(realPath, previous).then(
        () => true,
        () => false,
      );
      try {
        await fs.rename(temp, realPath);
        committed = true;
        const replaced = kept && (await fs.lstat(previous)).ino !== stat.ino;
        if (replaced) await recoverLateChange(t, (await readRegularFile(previous)).bytes);
        // Never read before: the descriptor is at the start of the old content.
        await recoverLateChange(t, await readOpen(old, realPath));
      } finally {
        if (kept) await fs.rm(previous, { force: true });
      }
    } finally {
      await old.close();
    }
    const after = await fs.lstat(realPath);
    if (after.ino !== tempStat.ino)
      throw new FileProblem('replaced', realPath, `${realPath} is not the file this run wrote (something replaced it at the same moment); check it`);
    await syncFolder(t.dir);
    return undefined;
  } catch (error) {
    throw problemFrom(error, realPath, 'write');
  } finally {
    if (!committed) await fs.rm(temp, { force: true });
  }
}

/**
 * The journal, complete or absent: written and synced under a temporary name (which a later run recognises and
 * removes), then given its name in one step (a hard link, or an exclusive rename where there are none) and the
 * folder synced. A kill while it is being written leaves no journal, and the file is then still untouched.
 */
async function writeJournal(t: CommitTarget, journal: string, bytes: Buffer): Promise<void> {
  const temp = path.join(t.dir, `${leftoverPrefixes(t.base)[0]}journal-${t.random()}`);
  try {
    await writeSynced(temp, bytes);
    try {
      await fs.link(temp, journal);
    } catch (error) {
      if (!noHardLinks(error)) throw error;
      await fs.access(journal).then(
        () => {
          throw Object.assign(new Error(`${journal} exists`), { code: 'EEXIST' });
        },
        () => fs.rename(temp, journal),
      );
    }
    await syncFolder(t.dir);
  } finally {
    await fs.rm(temp, { force: true });
  }
}

async function syncFolder(dir: string): Promise<void> {
  await fs
    .open(dir, constants.O_RDONLY)
    .then(async (d) => {
      await d.sync().catch(() => undefined);
      await d.close();
    })
    .catch(() => undefined);
}

/** Rewrites the file's own inode (hard links, extended attributes and an owner this user cannot give are kept). */
export async function writeInPlace(t: CommitTarget, newBytes: Buffer): Promise<void> {
  const { realPath, stat } = t;
  await t.beforeCommit?.();
  await assertUnchanged(realPath, stat, t.hash);
  // The journal first (owner-only, synced): a kill at any point of the rewrite leaves the old content there, and the
  // new content in the file once the journal is gone; the next run refuses to write while a journal is left.
  const journal = journalPath(realPath);
  const old = await readRegularFile(realPath);
  await writeJournal(t, journal, old.bytes).catch((error: unknown) => {
    throw problemFrom(error, journal, 'write the journal');
  });
  try {
    const handle = await fs.open(realPath, constants.O_WRONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const now = await handle.stat();
      if (now.ino !== stat.ino || !now.isFile())
        throw new FileProblem('changed', realPath, `${realPath} was replaced while it was being written; nothing was written`);
      await t.beforeRename?.();
      await writeAll(handle, newBytes);
      await handle.truncate(newBytes.length);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    // Not written (or not completely): the journal says what the file was.
    throw problemFrom(error, realPath, 'write');
  }
  await fs.rm(journal, { force: true });
}
