/**
 * Following symbolic links safely as root: the rule of the kernel's protected_symlinks, applied in every folder of the
 * path. A link is followed only when it and what it points to have the same owner, or the link is root's; otherwise
 * the write is refused, naming both (a service user who owns shared/ cannot point bitbucket.properties at a root-only
 * file and have `sudo encprops set-aws-secret` write into it). Node only.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { FileProblem, problemFrom } from './read';

/** Links followed before giving up (the kernel's limit). */
const MAX_LINKS = 40;

/** The real path of `file`, each link on the way checked; throws FileProblem('link-owner') for a link that may not be followed. */
export async function realPathSafely(file: string): Promise<string> {
  let rest = path.resolve(file).split(path.sep).filter(Boolean);
  let resolved: string = path.sep;
  let links = 0;
  while (rest.length > 0) {
    const [name, ...after] = rest;
    const next = path.join(resolved, name);
    const link = await fs.lstat(next).catch((error: unknown) => {
      throw problemFrom(error, next, 'read');
    });
    if (!link.isSymbolicLink()) {
      resolved = next;
      rest = after;
      continue;
    }
    if (++links > MAX_LINKS) throw new FileProblem('ELOOP', file, `${file}: more than ${MAX_LINKS} symbolic links on the way; nothing was written`);
    const target = await fs.stat(next).catch((error: unknown) => {
      throw problemFrom(error, next, 'read');
    });
    if (link.uid !== 0 && link.uid !== target.uid) {
      const pointsTo = path.resolve(resolved, await fs.readlink(next));
      throw new FileProblem(
        'link-owner',
        next,
        `${next} is a symbolic link owned by user ${link.uid} to ${pointsTo}, owned by user ${target.uid}: a link is followed only to a file of its own owner (or when root owns the link), so nothing was written. Edit ${pointsTo} itself if that is meant`,
      );
    }
    rest = [
      ...path
        .resolve(resolved, await fs.readlink(next))
        .split(path.sep)
        .filter(Boolean),
      ...after,
    ];
    resolved = path.sep;
  }
  return resolved;
}
