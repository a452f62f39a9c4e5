import { lstat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errnoCode, fsError } from './fs-errors.js';
import { pruneEmptyDirs } from './local-dirs.js';

// Unlinks in flight at once: enough to overlap the thread pool's work, few enough for EMFILE.
const CONCURRENCY = 16;

/**
 * Deletes the files at `paths` (missing ones, and paths that are directories, are ignored: they
 * hold no object), then removes the directories left empty, up to but not including `root`.
 * @throws a converted file system error (e.g. `AuthError` for permission denied); files deleted
 * before it stay deleted, so repeating the call is safe.
 */
export async function deleteLocalFiles(root: string, paths: readonly string[]): Promise<void> {
  for (let i = 0; i < paths.length; i += CONCURRENCY) {
    await Promise.all(paths.slice(i, i + CONCURRENCY).map(removeFile));
  }
  await pruneEmptyDirs(
    paths.map((p) => dirname(p)),
    root,
  );
}

async function removeFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return;
    // macOS answers EPERM for unlinking a directory.
    if (code === 'EPERM' && (await isDirectory(path))) return;
    throw fsError(error, 'deleting', path);
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch {
    return false;
  }
}
