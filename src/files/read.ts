/**
 * Reading configuration files safely from the command line: only regular files, never blocking on a FIFO or a
 * device, never reading without bound. Node only (no vscode).
 */
import { constants, promises as fs, Stats } from 'fs';

/** Configuration files are a few kilobytes; a larger one is not a product file, and is not read into memory. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** A problem with a path, with a stable code and a message that names the path and the reason. */
export class FileProblem extends Error {
  constructor(
    readonly code: string,
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

export function kindOf(stat: Stats): string {
  if (stat.isFile()) return 'regular file';
  if (stat.isDirectory()) return 'folder';
  if (stat.isFIFO()) return 'FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'character device';
  if (stat.isBlockDevice()) return 'block device';
  if (stat.isSocket()) return 'socket';
  if (stat.isSymbolicLink()) return 'symbolic link';
  return 'special file';
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'does not exist',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many levels of symbolic links (a link loop, or a link where none may be)',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  EBUSY: 'busy',
  ETXTBSY: 'busy',
  EXDEV: 'on another file system',
};

/** "permission denied (EACCES)" for an errno error; the message otherwise. */
export function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code) return ERRNO_TEXT[code] ? `${ERRNO_TEXT[code]} (${code})` : code;
  return error instanceof Error ? error.message : String(error);
}

/** A FileProblem for an errno error on `path`. */
export function problemFrom(error: unknown, path: string, doing: string): FileProblem {
  if (error instanceof FileProblem) return error;
  const code = (error as NodeJS.ErrnoException)?.code ?? 'EIO';
  return new FileProblem(code, path, `cannot ${doing} ${path}: ${describeError(error)}`);
}

export interface ReadResult {
  readonly bytes: Buffer;
  /** The file's status when it was read (from the open descriptor). */
  readonly stat: Stats;
}

/** The rest of an open file, from its current position, up to `maxBytes` (a file that grows past them is refused). */
export async function readOpen(handle: fs.FileHandle, path: string, maxBytes = MAX_CONFIG_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) throw new FileProblem('too-large', path, `${path} grew past ${maxBytes} bytes while being read`);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Reads the whole of `path`, which must be a regular file: opened without following a symbolic link at the last
 * component (callers resolve links first, deliberately) and without blocking (a FIFO would otherwise wait forever),
 * then checked on the open descriptor, then read up to `maxBytes`.
 */
export async function readRegularFile(path: string, maxBytes = MAX_CONFIG_BYTES, options: { followLinks?: boolean } = {}): Promise<ReadResult> {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (options.followLinks ? 0 : constants.O_NOFOLLOW);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, flags);
  } catch (error) {
    throw problemFrom(error, path, 'read');
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new FileProblem('not-regular', path, `${path} is a ${kindOf(stat)}, not a regular file`);
    if (stat.size > maxBytes)
      throw new FileProblem('too-large', path, `${path} is ${stat.size} bytes; a configuration file is never larger than ${maxBytes} bytes`);
    return { bytes: await readOpen(handle, path, maxBytes), stat };
  } catch (error) {
    throw problemFrom(error, path, 'read');
  } finally {
    await handle.close();
  }
}
