/** The names and flags of this tool's files beside a configuration file: temporary copies, partial backups, the lock. */
import { constants } from 'fs';
import { randomBytes } from 'crypto';

export const EXCLUSIVE = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW;

export const randomSuffix = () => randomBytes(8).toString('hex');

/** The names this module creates beside `base` (a file name): recognisable, so a later run can clean them. */
export function leftoverPrefixes(base: string, tag = ''): readonly string[] {
  return [`.${base}.encprops-tmp-${tag}`, `.${base}.encprops-bak-${tag}`];
}
