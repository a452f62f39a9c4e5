import { InternalError } from '@ferry/core';
import { walk, type WalkQuery } from './local-walk.js';
import type { ListOptions, ListPage, ObjectInfo } from './object-store.js';

/**
 * Most entries in one page, whatever `limit` asks: S3's own cap, so code that forgets to follow
 * the cursor fails on local test data too, not only in production.
 */
export const MAX_LIST_LIMIT = 1000;

/**
 * One page of a listing of the directory tree at `root`, with S3's semantics: keys in UTF-8 byte
 * order, `prefix` a plain string prefix, `/` as delimiter yielding common prefixes that hold at
 * least one object, at most `limit` entries (capped at {@link MAX_LIST_LIMIT}). The cursor is the
 * last entry of the page (a key, or a common prefix ending in `/`); it is present only when more
 * entries follow. A missing root or prefix directory lists nothing.
 * @throws InternalError for invalid options; a converted file system error when a directory
 * cannot be read.
 */
export async function listLocal(root: string, options: ListOptions = {}): Promise<ListPage> {
  const limit = pageLimit(options, root);
  const prefix = options.prefix ?? '';
  const startDir = prefix.slice(0, prefix.lastIndexOf('/') + 1);
  if (!isSafeDirKey(startDir)) return { objects: [], prefixes: [] }; // no key can match
  const query: WalkQuery = {
    root,
    prefix,
    delimited: options.delimiter !== undefined,
    cursor: options.cursor,
  };
  const objects: ObjectInfo[] = [];
  const prefixes: string[] = [];
  let last: string | undefined;
  for await (const entry of walk(query, startDir)) {
    // One entry past the page tells that more follow, as S3 says only when they do.
    if (last !== undefined && objects.length + prefixes.length === limit) {
      return { objects, prefixes, cursor: last };
    }
    if (entry.kind === 'object') objects.push(entry.info);
    else prefixes.push(entry.prefix);
    last = entry.kind === 'object' ? entry.info.key : entry.prefix;
  }
  return { objects, prefixes };
}

function pageLimit(options: ListOptions, root: string): number {
  const { limit = MAX_LIST_LIMIT, delimiter, prefix = '', cursor = '' } = options;
  const bad = (what: string) => new InternalError(`listing ${root}: ${what}`);
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw bad(`limit must be a positive integer, not ${limit}`);
  if (delimiter !== undefined && (delimiter as string) !== '/') {
    throw bad(`only "/" is supported as delimiter, not ${JSON.stringify(delimiter)}`);
  }
  if (typeof prefix !== 'string' || typeof cursor !== 'string') {
    throw bad('prefix and cursor must be strings');
  }
  return Math.min(limit, MAX_LIST_LIMIT);
}

/** Whether the directory part of a prefix (`''`, or ending in `/`) stays inside the root. */
function isSafeDirKey(dirKey: string): boolean {
  if (dirKey === '') return true;
  if (dirKey.includes('\\') || dirKey.includes('\0')) return false;
  return dirKey
    .slice(0, -1)
    .split('/')
    .every((s) => s !== '' && s !== '.' && s !== '..');
}
