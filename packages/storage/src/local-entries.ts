import type { Dir, Dirent } from 'node:fs';
import { lstat, opendir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, fsError } from './fs-errors.js';
import { isTempName } from './local-temp.js';
import { objectKeyProblem } from './object-key.js';
import { compareUtf8 } from './utf8-order.js';

/** One entry of a directory as the listing sees it. */
export interface DirEntry {
  /** The key of a file, or the key prefix of a directory (ending in `/`). */
  readonly key: string;
  readonly isDir: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The entries of the directory holding keys that start with `dirKey` (`''` for the root, else
 * ending in `/`), sorted by the UTF-8 bytes of `key`. Because a directory's key ends in `/`, this
 * is exactly the order in which S3 would list the keys beneath, so a depth-first walk in this
 * order yields keys in S3 order (`a-b` < `a.b` < `a/b` < `a0`, as `-` < `.` < `/` < `0`).
 *
 * Leaves out what no key can name: temporary files of puts in progress, names that are not UTF-8
 * or hold a backslash, special files, and symbolic links to directories (not followed, as they
 * may form cycles; links to files are objects). A missing directory has no entries.
 * @throws a converted file system error (e.g. `AuthError` when the directory is not readable).
 */
export async function readEntries(root: string, dirKey: string): Promise<DirEntry[]> {
  const dir = join(root, dirKey);
  let dirents: Dirent<Buffer>[];
  try {
    dirents = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw fsError(error, 'listing', dir);
  }
  const entries: DirEntry[] = [];
  for (const dirent of dirents) {
    const name = keySegment(dirent.name);
    if (name === undefined) continue;
    const kind = await entryKind(dirent, join(dir, name));
    if (kind === 'dir') {
      entries.push({ key: `${dirKey}${name}/`, isDir: true });
    } else if (kind === 'file' && !isTempName(name)) {
      entries.push({ key: dirKey + name, isDir: false });
    }
  }
  return entries.sort((a, b) => compareUtf8(a.key, b.key));
}

/**
 * Whether any object lies under `dirKey` (S3 has no empty "directories" to list). Reads lazily
 * and stops at the first object, so a common prefix over a partition of thousands of files costs
 * one small read, not a listing of it.
 */
export async function holdsObject(root: string, dirKey: string): Promise<boolean> {
  const path = join(root, dirKey);
  let dir: Dir;
  try {
    dir = await opendir(path);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw fsError(error, 'listing', path);
  }
  const subdirs: string[] = [];
  try {
    for await (const dirent of dir) {
      if (dirent.name.includes('\\')) continue;
      const kind = await entryKind(dirent, join(path, dirent.name));
      if (kind === 'dir') subdirs.push(`${dirKey}${dirent.name}/`);
      else if (kind === 'file' && (await isObjectFile(dirKey, dirent.name, path))) return true;
    }
  } catch (error) {
    throw fsError(error, 'listing', path);
  }
  for (const subdir of subdirs) if (await holdsObject(root, subdir)) return true;
  return false;
}

async function isObjectFile(dirKey: string, name: string, dir: string): Promise<boolean> {
  if (isTempName(name) || objectKeyProblem(dirKey + name) !== undefined) return false;
  if (!name.includes('\uFFFD')) return true;
  // The name may have been decoded lossily from bytes that are not UTF-8: no key reaches it then.
  return lstat(join(dir, name)).then(
    () => true,
    () => false,
  );
}

function keySegment(raw: Buffer): string | undefined {
  try {
    const name = utf8.decode(raw);
    return name.includes('\\') ? undefined : name;
  } catch {
    return undefined;
  }
}

/** The type tests of a directory entry, whatever the encoding of its name. */
type EntryType = Pick<
  Dirent,
  'isFile' | 'isDirectory' | 'isFIFO' | 'isSocket' | 'isBlockDevice' | 'isCharacterDevice'
>;

async function entryKind(dirent: EntryType, path: string): Promise<'file' | 'dir' | undefined> {
  if (dirent.isFile()) return 'file';
  if (dirent.isDirectory()) return 'dir';
  if (
    dirent.isFIFO() ||
    dirent.isSocket() ||
    dirent.isBlockDevice() ||
    dirent.isCharacterDevice()
  ) {
    return undefined;
  }
  // A symbolic link, or a file system that does not report types in readdir.
  try {
    const link = await lstat(path);
    if (link.isFile()) return 'file';
    if (link.isDirectory()) return 'dir';
    return link.isSymbolicLink() && (await stat(path)).isFile() ? 'file' : undefined;
  } catch {
    return undefined; // gone meanwhile, or a dangling link: not an object
  }
}
