import { open, rmdir } from 'node:fs/promises';
import { dirname, sep } from 'node:path';
import { errnoCode, fsError } from './fs-errors.js';

// rmdir's answers that mean "this directory stays": it holds something (ENOTEMPTY, or EEXIST on
// some systems), is a mount point (EBUSY), or is not a directory after all.
const KEEP = new Set(['ENOTEMPTY', 'EEXIST', 'EBUSY', 'ENOTDIR']);

// fsync on a directory is not supported everywhere (Windows refuses to open one, some file
// systems refuse to sync one); the rename is then as durable as the platform makes it.
const SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'ENOTSUP', 'EBADF']);

/** Whether `path` lies strictly inside `root` (both absolute and normalized). */
export function isInside(path: string, root: string): boolean {
  const base = root.endsWith(sep) ? root : root + sep;
  return path.startsWith(base) && path.length > base.length;
}

/**
 * Removes each of `dirs` if empty, then its parents while they become empty, up to but not
 * including `root`: a deleted snapshot leaves no empty `dt=` directories behind. Directories that
 * still hold anything stay; directories already gone are skipped.
 * @throws a converted file system error for other failures (e.g. permission denied).
 */
export async function pruneEmptyDirs(dirs: Iterable<string>, root: string): Promise<void> {
  // Deepest first, so a parent is tried after all of its children went.
  const ordered = [...new Set(dirs)].sort((a, b) => b.length - a.length);
  for (const dir of ordered) {
    for (let d = dir; isInside(d, root); d = dirname(d)) {
      try {
        await rmdir(d);
      } catch (error) {
        const code = errnoCode(error);
        if (code === 'ENOENT') continue;
        if (code !== undefined && KEEP.has(code)) break;
        throw fsError(error, 'deleting', d);
      }
    }
  }
}

/**
 * Fsyncs directories so that the entries just created in them (a renamed file, a new
 * subdirectory) survive a crash.
 * @param path - The object being written, named in messages.
 */
export async function syncDirs(dirs: readonly string[], path: string): Promise<void> {
  for (const dir of dirs) {
    try {
      const handle = await open(dir, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      const code = errnoCode(error);
      if (code !== undefined && SYNC_UNSUPPORTED.has(code)) continue;
      throw fsError(error, 'writing', path);
    }
  }
}
