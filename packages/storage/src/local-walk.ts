import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, fsError } from './fs-errors.js';
import { localObjectInfo } from './local-info.js';
import { holdsObject, readEntries, type DirEntry } from './local-entries.js';
import { objectKeyProblem } from './object-key.js';
import type { ObjectInfo } from './object-store.js';
import { compareUtf8 } from './utf8-order.js';

/** What a listing walks over. */
export interface WalkQuery {
  readonly root: string;
  readonly prefix: string;
  /** Group keys by the first `/` after the prefix into common prefixes. */
  readonly delimited: boolean;
  /** Only entries after this one (a key, or a common prefix ending in `/`). */
  readonly cursor: string | undefined;
}

/** One entry of a listing. */
export type ListEntry =
  | { readonly kind: 'object'; readonly info: ObjectInfo }
  | { readonly kind: 'prefix'; readonly prefix: string };

// Files statted at once while walking: overlaps the thread pool's work; at most this many are
// statted beyond the end of a page.
const STAT_BATCH = 32;

/**
 * Yields the objects (and, when delimited, common prefixes) under `dirKey` that match the query,
 * in S3 order. Depth-first over sorted directories (see {@link readEntries}), reading only the
 * directories that can hold a match after the cursor and statting only the files it yields (in
 * small concurrent batches), so a page costs the directories on its path, not the whole tree.
 */
export async function* walk(query: WalkQuery, dirKey: string): AsyncGenerator<ListEntry> {
  for (const item of matchingItems(query, await readEntries(query.root, dirKey))) {
    if (Array.isArray(item)) {
      const infos = await Promise.all(item.map((key) => objectInfo(query.root, key)));
      for (const info of infos) if (info !== undefined) yield { kind: 'object', info };
    } else if (query.delimited && isCommonPrefix(item.key, query.prefix)) {
      if (isAfter(item.key, query.cursor) && (await holdsObject(query.root, item.key))) {
        yield { kind: 'prefix', prefix: item.key };
      }
    } else {
      yield* walk(query, item.key);
    }
  }
}

/**
 * The entries of one directory that can hold matches, in order: each directory on its own, runs
 * of matching files in batches of keys.
 */
function* matchingItems(query: WalkQuery, entries: readonly DirEntry[]) {
  let files: string[] = [];
  for (const entry of entries) {
    if (!entry.isDir) {
      if (!entry.key.startsWith(query.prefix) || !isAfter(entry.key, query.cursor)) continue;
      files.push(entry.key);
      if (files.length < STAT_BATCH) continue;
    } else if (!mayHoldMatches(entry.key, query)) {
      continue;
    }
    if (files.length > 0) yield files;
    files = [];
    if (entry.isDir) yield entry;
  }
  if (files.length > 0) yield files;
}

/**
 * Whether `key` (an object key or a common prefix) comes after `cursor`. Past a common prefix,
 * everything starting with it was covered by it, as with S3's continuation.
 */
export function isAfter(key: string, cursor: string | undefined): boolean {
  if (cursor === undefined) return true;
  if (cursor.endsWith('/') && key.startsWith(cursor)) return false;
  return compareUtf8(key, cursor) > 0;
}

/** Whether the subtree of `dirKey` (ending in `/`) can hold an entry of the listing. */
function mayHoldMatches(dirKey: string, query: WalkQuery): boolean {
  const { prefix, cursor } = query;
  if (!dirKey.startsWith(prefix) && !prefix.startsWith(dirKey)) return false;
  if (cursor === undefined) return true;
  if (cursor.endsWith('/') && dirKey.startsWith(cursor)) return false;
  // Every key under dirKey starts with it: if the cursor is past dirKey without being inside
  // it, all of them sort before the cursor.
  return cursor.startsWith(dirKey) || compareUtf8(dirKey, cursor) > 0;
}

/** With a delimiter, the first directory past the prefix is a common prefix. */
function isCommonPrefix(dirKey: string, prefix: string): boolean {
  return dirKey.startsWith(prefix) && dirKey.length > prefix.length;
}

async function objectInfo(root: string, key: string): Promise<ObjectInfo | undefined> {
  if (objectKeyProblem(key) !== undefined) return undefined; // a name no key can reach
  const path = join(root, key);
  try {
    const stats = await stat(path, { bigint: true });
    return stats.isFile() ? localObjectInfo(key, stats) : undefined;
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined; // deleted meanwhile
    throw fsError(error, 'listing', path);
  }
}
