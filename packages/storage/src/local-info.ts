import type { BigIntStats } from 'node:fs';
import type { ObjectInfo, ObjectKey } from './object-store.js';

/**
 * The etag of a local file: its size and modification time in nanoseconds, in hex. Not its inode
 * number: copying a lake with `cp -a` or `rsync -a` keeps sizes and modification times but gives
 * every file a new inode, and an etag that changed with it would make every file look rewritten
 * (and be imported again: duplicate rows). What this gives up: a rewrite to the same size within
 * the same tick of the file system's clock (a second on some, a few milliseconds on others) is
 * not seen.
 */
export function localEtag(stats: BigIntStats): string {
  return `${stats.size.toString(16)}-${stats.mtimeNs.toString(16)}`;
}

/** The {@link ObjectInfo} of the file holding `key`. */
export function localObjectInfo(key: ObjectKey, stats: BigIntStats): ObjectInfo {
  return { key, size: Number(stats.size), etag: localEtag(stats), lastModified: stats.mtime };
}
