import type { BigIntStats } from 'node:fs';
import type { ObjectInfo, ObjectKey } from './object-store.js';

/**
 * The etag of a local file: size, modification time in nanoseconds and inode number, in hex. A
 * put writes a new file and renames it into place, so a rewrite changes the inode even on file
 * systems whose clock ticks in seconds, and an unchanged file keeps its etag.
 */
export function localEtag(stats: BigIntStats): string {
  return `${stats.size.toString(16)}-${stats.mtimeNs.toString(16)}-${stats.ino.toString(16)}`;
}

/** The {@link ObjectInfo} of the file holding `key`. */
export function localObjectInfo(key: ObjectKey, stats: BigIntStats): ObjectInfo {
  return { key, size: Number(stats.size), etag: localEtag(stats), lastModified: stats.mtime };
}
