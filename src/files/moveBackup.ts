/** Moving the backup (it holds the plaintext password) off the instance, where the user chose. */
import { promises as fs } from 'fs';
import { problemFrom } from './read';
import { writeAll } from './commit';

/**
 * Moves a backup to where the user chose (outside the instance): owner-only, complete at the destination before the
 * source is removed, so that a failure leaves the backup where it was, never nowhere.
 */
export async function moveBackup(from: string, to: string): Promise<void> {
  try {
    await fs.rename(from, to);
    await fs.chmod(to, 0o600);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw problemFrom(error, to, 'move the backup');
  }
  // Another file system: copy (exclusive, owner-only, synced), then remove the original.
  const bytes = await fs.readFile(from);
  const handle = await fs.open(to, 'w', 0o600).catch((error: unknown) => {
    throw problemFrom(error, to, 'move the backup');
  });
  try {
    await writeAll(handle, bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.chmod(to, 0o600);
  await fs.rm(from);
}
