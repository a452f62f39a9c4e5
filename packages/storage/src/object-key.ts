import { InternalError } from '@ferry/core';
import type { ObjectKey } from './object-store.js';

/** S3's limit on a key, applied everywhere so that a key accepted locally also works on S3. */
export const MAX_KEY_BYTES = 1024;

// With the `u` flag a well-formed surrogate pair is one code point, so this finds only lone halves,
// which have no UTF-8 form (a file name would silently get U+FFFD instead).
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Why `key` is not a valid object key, or `undefined` when it is. A valid key is a non-empty,
 * `/`-separated relative path of at most {@link MAX_KEY_BYTES} UTF-8 bytes whose segments are
 * neither empty nor `.` or `..`, without backslashes, NUL characters or lone surrogates: nothing
 * that could escape a store's root or mean different things on S3 and on a disk.
 */
export function objectKeyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string') return 'it is not a string';
  if (key === '') return 'it is empty';
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) return `it is longer than ${MAX_KEY_BYTES} bytes`;
  if (key.includes('\0')) return 'it contains a NUL character';
  if (key.includes('\\')) return 'it contains a backslash';
  if (LONE_SURROGATE.test(key)) return 'it is not well-formed Unicode (lone surrogate)';
  if (key.startsWith('/')) return 'it is absolute (starts with "/")';
  for (const segment of key.split('/')) {
    if (segment === '') return 'it has an empty segment ("//" or a trailing "/")';
    if (segment === '.' || segment === '..') return `it has a "${segment}" segment`;
  }
  return undefined;
}

/**
 * Checks `key` with {@link objectKeyProblem}.
 * @param where - The store's location, named in the message.
 * @throws InternalError for an invalid key: keys are built by ferry code (layouts) from validated
 * names, so an invalid one is a broken invariant, never something to retry or skip as bad data.
 */
export function assertObjectKey(key: unknown, where: string): asserts key is ObjectKey {
  const problem = objectKeyProblem(key);
  if (problem !== undefined) throw invalidKey(key, where, problem);
}

/** The error for an invalid key, with the key quoted (and shortened when very long). */
export function invalidKey(key: unknown, where: string, problem: string): InternalError {
  const text = typeof key === 'string' ? key : String(key);
  const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return new InternalError(`invalid object key ${JSON.stringify(shown)} in ${where}: ${problem}`);
}
