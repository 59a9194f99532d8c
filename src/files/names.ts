/** The names and flags of this tool's files beside a configuration file: temporary copies, partial backups, the lock. */
import { constants } from 'fs';
import { randomBytes } from 'crypto';

export const EXCLUSIVE = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW;

/** Errors that mean the file system has no hard links (the callers then fall back to an exclusive create or a rename). */
export function noHardLinks(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS';
}

export const randomSuffix = () => randomBytes(8).toString('hex');

/** The names this module creates beside `base` (a file name): recognisable, so a later run can clean them. */
export function leftoverPrefixes(base: string, tag = ''): readonly string[] {
  return [`.${base}.encprops-tmp-${tag}`, `.${base}.encprops-bak-${tag}`];
}
