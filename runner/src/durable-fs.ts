import { open } from 'node:fs/promises';
import { errnoCode } from '@ferry/storage';

/**
 * Creates `file` (failing with EEXIST if it exists) holding `text`, flushed to disk before this
 * resolves, so that a rename or link of it never exposes a partial or empty file after a crash.
 */
export async function writeSynced(file: string, text: string): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Codes of a directory fsync that only mean the platform cannot do it: Windows cannot open a
 * directory (EISDIR, or EPERM there), some file systems refuse fsync on a directory (EINVAL,
 * ENOTSUP), some systems refuse it on a read-only descriptor (EBADF). The rename is then as
 * durable as the platform makes it.
 */
const UNSUPPORTED = new Set(['EISDIR', 'EINVAL', 'ENOTSUP', 'EBADF']);

/**
 * Flushes a directory's entries, so that a file renamed or linked into it survives a power loss.
 * @throws the Node error of opening or flushing the directory, unless it only means the platform
 *   cannot flush directories.
 */
export async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = errnoCode(error) ?? '';
    const windows = process.platform === 'win32' && code === 'EPERM';
    if (!UNSUPPORTED.has(code) && !windows) throw error;
  } finally {
    await handle?.close();
  }
}
