/**
 * Rewriting a configuration file so that no write can break an installation. Used by `encprops set-aws-secret`;
 * the wizard uses its backups. Node only (no vscode).
 *
 * Admins run the CLI with sudo in folders that the product's service user owns, so every step assumes that someone
 * else may write the folder at the same time:
 * - symbolic links are resolved first and the real file is edited (the link stays a link);
 * - only a regular file is rewritten (never a FIFO, a device, a socket or a folder), opened without blocking;
 * - new files (the temporary copy, the backup, the lock) are created with O_CREAT|O_EXCL|O_NOFOLLOW under random
 *   names, owner-only, so a planted symbolic link can never be followed or chmodded;
 * - the new content is complete and fsync'ed, with the original's owner, group and mode set on the open descriptor,
 *   before it replaces the file by rename; where owner, extended attributes (ACLs, SELinux labels) or other hard links
 *   cannot be kept by a rename, the file is rewritten in place instead, after the backup;
 * - a change made to the file since it was read (size, time, content) stops the write, the file untouched;
 * - bytes the rewrite does not own are written back exactly (see core/text/encoding.ts);
 * - a backup is complete or absent: it is written under a temporary name and only then linked to its final name;
 * - one run at a time per file (a lock file naming the pid), and what a killed run left is cleaned by the next.
 */
import { realPathSafely } from './links';
import { acquireLock } from './lock';
import { commitByRename, journalPath, sha256, writeAll, writeInPlace } from './commit';
import { EXCLUSIVE, leftoverPrefixes, noHardLinks, randomSuffix } from './names';
import { execFile } from 'child_process';
import { promises as fs } from 'fs';
import * as path from 'path';
import { backupCandidates } from '../core/edits/backup';
import { TextCodec } from '../core/text/encoding';
import { FileProblem, kindOf, problemFrom, readRegularFile } from './read';

export interface RewriteHooks {
  /** Called after the new content is complete and before the change check and the commit (tests). */
  readonly beforeCommit?: () => void | Promise<void>;
  /** Called after the final change check, just before the commit (tests: a change in that window is saved, not lost). */
  readonly beforeRename?: () => void | Promise<void>;
  /** The random part of temporary names (tests plant links at known names). */
  readonly randomSuffix?: () => string;
}

export interface RewriteOptions {
  /** How the file's bytes become text and back; may refuse a file it cannot round-trip exactly. */
  readonly codec: (bytes: Buffer) => TextCodec | { readonly error: string };
  /** Write a backup of the original first: beside the file, or in `dir`. */
  readonly backup?: false | { readonly dir?: string };
  readonly now?: Date;
  readonly hooks?: RewriteHooks;
}

export interface RewriteResult<T> {
  /** What the transform returned. */
  readonly outcome: T;
  /** The real file that was (or would have been) written. */
  readonly realPath: string;
  readonly written: boolean;
  readonly backup?: string;
  readonly strategy?: 'rename' | 'in-place';
  /** Why the file was rewritten in place rather than replaced. */
  readonly inPlaceReason?: string;
  /** Leftovers of an interrupted earlier run that were removed. */
  readonly cleaned: readonly string[];
}

/**
 * In a folder other than the file's own (--backup-dir, shared by several files, hosts or users), a run's temporary
 * names also carry a tag of the file's real path, so that its clean-up never touches another file's leftovers.
 */
function foreignTag(realPath: string, dir: string): string {
  return path.resolve(dir) === path.dirname(realPath) ? '' : `${sha256(Buffer.from(realPath)).slice(0, 12)}-`;
}

/**
 * Removes what an interrupted run for this file left (temporary copies, partial backups): only this tool's names for
 * this file (tagged with it in a shared folder), and only regular files of this user. Only called while holding the lock.
 */
async function cleanLeftovers(dirs: readonly string[], realPath: string): Promise<string[]> {
  const cleaned: string[] = [];
  const base = path.basename(realPath);
  const uid = process.getuid?.();
  for (const dir of new Set(dirs)) {
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch {
      continue;
    }
    const prefixes = leftoverPrefixes(base, foreignTag(realPath, dir));
    for (const name of names) {
      if (!prefixes.some((p) => name.startsWith(p))) continue;
      const full = path.join(dir, name);
      const stat = await fs.lstat(full).catch(() => undefined);
      if (!stat?.isFile() || (uid !== undefined && stat.uid !== uid)) continue;
      await fs.unlink(full).then(
        () => cleaned.push(full),
        () => undefined,
      );
    }
  }
  return cleaned;
}

/**
 * Extended attributes (ACLs, SELinux labels, user attributes) that a replacement file would lose. Read with getfattr
 * (Debian's attr package); without it, GNU ls still marks an ACL ("+") or a security context (".") after the mode.
 * Undefined when neither can tell.
 */
async function extendedAttributes(file: string): Promise<string[] | undefined> {
  const run = (command: string, args: string[]) =>
    new Promise<string | undefined>((resolve) => {
      execFile(command, args, { timeout: 5000, maxBuffer: 1024 * 1024 }, (error, stdout) => {
        resolve(error && (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : String(stdout ?? ''));
      });
    });
  const dump = await run('getfattr', ['--absolute-names', '-h', '-d', '-m', '-', '--', file]);
  if (dump !== undefined) {
    return dump
      .split('\n')
      .filter((line) => /^[a-z]+\.[^=]+=/.test(line))
      .map((line) => line.slice(0, line.indexOf('=')));
  }
  const listing = await run('ls', ['-ld', '--', file]);
  const marker = listing?.split(' ')[0]?.[10];
  if (listing === undefined || marker === undefined) return undefined;
  return marker === '+' ? ['an ACL (ls shows "+")'] : marker === '.' ? ['a security context (ls shows ".")'] : [];
}

/**
 * Writes `bytes` as a backup of `file` in `dir`: complete or absent. The content goes to an exclusive, owner-only
 * temporary file, is fsync'ed, and is then linked to the first free backup name (link never replaces an existing
 * name), so a backup name never holds a partial copy.
 */
export async function writeBackup(file: string, bytes: Buffer, options: { dir?: string; now?: Date; randomSuffix?: () => string } = {}): Promise<string> {
  const dir = options.dir ?? path.dirname(file);
  const base = path.basename(file);
  const temp = path.join(dir, `${leftoverPrefixes(base, foreignTag(path.resolve(file), dir))[1]}${(options.randomSuffix ?? randomSuffix)()}`);
  const candidates = backupCandidates(path.join(dir, base), options.now ?? new Date());
  let first = candidates.next().value;
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(temp, EXCLUSIVE, 0o600);
  } catch (error) {
    throw problemFrom(error, first, 'write the backup');
  }
  try {
    try {
      await writeAll(handle, bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    for (let candidate = first, i = 0; i < 10_000; candidate = candidates.next().value, i++) {
      first = candidate;
      try {
        await fs.link(temp, candidate);
        return candidate;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        if (noHardLinks(error)) {
          // No hard links on this file system: rename, after checking that the name is free.
          const taken = await fs.lstat(candidate).then(
            () => true,
            () => false,
          );
          if (taken) continue;
          await fs.rename(temp, candidate);
          return candidate;
        }
        throw error;
      }
    }
    throw Object.assign(new Error('no free backup name'), { code: 'EEXIST' });
  } catch (error) {
    throw problemFrom(error, first, 'write the backup');
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/**
 * Reads `file`, lets `transform` compute the new text, and writes it safely (see the module comment). `transform`
 * returns `newText: undefined` when there is nothing to change. Throws FileProblem (the file untouched) on refusal.
 */
export async function rewriteFile<T extends { readonly newText?: string }>(
  file: string,
  transform: (text: string) => T,
  options: RewriteOptions,
): Promise<RewriteResult<T>> {
  let realPath: string;
  try {
    realPath = await realPathSafely(file);
  } catch (error) {
    throw error instanceof FileProblem ? error : problemFrom(error, file, 'read');
  }
  const linkStat = await fs.lstat(realPath).catch((error: unknown) => {
    throw problemFrom(error, realPath, 'read');
  });
  if (!linkStat.isFile()) throw new FileProblem('not-regular', file, `${file} is a ${kindOf(linkStat)}, not a regular file; nothing was written`);

  const dir = path.dirname(realPath);
  const base = path.basename(realPath);
  const random = options.hooks?.randomSuffix ?? randomSuffix;
  const release = await acquireLock(realPath);
  try {
    const journal = journalPath(realPath);
    if (
      await fs.lstat(journal).then(
        () => true,
        () => false,
      )
    ) {
      throw new FileProblem(
        'journal',
        realPath,
        `an interrupted in-place write left ${journal}, which holds ${realPath} as it was before that write; compare the two, keep the right content, and remove the journal. Nothing was written`,
      );
    }
    const cleaned = await cleanLeftovers([dir, ...(options.backup && options.backup.dir ? [options.backup.dir] : [])], realPath);
    // Looked at again under the lock: a run that held it before may have replaced the file (a new inode) meanwhile.
    const locked = await fs.lstat(realPath).catch((error: unknown) => {
      throw problemFrom(error, realPath, 'read');
    });
    if (!locked.isFile()) throw new FileProblem('not-regular', file, `${file} is a ${kindOf(locked)}, not a regular file; nothing was written`);
    const { bytes, stat } = await readRegularFile(realPath);
    if (stat.ino !== locked.ino || stat.dev !== locked.dev)
      throw new FileProblem('changed', realPath, `${realPath} was replaced while it was being opened; nothing was written`);
    const hash = sha256(bytes);
    const codec = options.codec(bytes);
    if ('error' in codec) throw new FileProblem('encoding', realPath, `${realPath}: ${codec.error}; nothing was written`);
    const outcome = transform(codec.decode(bytes));
    if (outcome.newText === undefined) return { outcome, realPath, written: false, cleaned };
    const newBytes = codec.encode(outcome.newText);

    const backup =
      options.backup === false ? undefined : await writeBackup(realPath, bytes, { dir: options.backup?.dir, now: options.now, randomSuffix: random });

    // Rename keeps every byte atomic, but makes a new inode: it cannot keep other hard links, extended attributes
    // (ACLs, SELinux labels), nor an owner this process may not give away. Then the file is rewritten in place.
    let inPlaceReason: string | undefined;
    if (stat.nlink > 1) inPlaceReason = `it has ${stat.nlink} hard links`;
    else {
      const attributes = await extendedAttributes(realPath);
      if (attributes && attributes.length > 0) inPlaceReason = `it has extended attributes (${attributes.join(', ')})`;
    }

    const target = {
      realPath,
      dir,
      base,
      stat,
      hash,
      random,
      beforeCommit: options.hooks?.beforeCommit,
      beforeRename: options.hooks?.beforeRename,
      now: options.now,
    };
    if (!inPlaceReason) inPlaceReason = await commitByRename(target, newBytes);
    if (inPlaceReason) await writeInPlace(target, newBytes);
    return { outcome, realPath, written: true, backup, strategy: inPlaceReason ? 'in-place' : 'rename', inPlaceReason, cleaned };
  } finally {
    await release();
  }
}
