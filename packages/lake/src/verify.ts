import { ConnectionError, isFerryError } from '@ferry/core';
import type { ObjectInfo, ObjectStore } from '@ferry/storage';
import pLimit from 'p-limit';
import type { CommittedFile } from './manifest.js';

/**
 * HEAD requests in flight at once. A commit usually closes one file, but rotation can close many
 * between two checkpoints; 8 keeps a burst short without crowding the uploads of other streams.
 */
const VERIFY_CONCURRENCY = 8;

/**
 * Checks that the store holds every file in `files`, each with the size its upload reported:
 * one HEAD request per file.
 *
 * @throws ConnectionError naming the object's full location and both sizes, when an object is
 * missing or holds another size. The store acknowledged the write and then did not keep it (a
 * lifecycle rule, another writer, an S3-compatible server that drops data): a resource the store
 * should have is not there, which the `ObjectStore` contract calls a `ConnectionError` (as for
 * `get` of a missing object), and the run fails. Not an `InternalError` (no ferry bug to report)
 * nor a `TransientError` (retrying would hide a store that loses acknowledged data). Nothing is
 * changed in the store.
 */
export async function verifyStored(
  store: ObjectStore,
  files: readonly CommittedFile[],
): Promise<void> {
  const limit = pLimit(VERIFY_CONCURRENCY);
  await limit.map(files, (file) => verifyOne(store, file));
}

async function verifyOne(store: ObjectStore, file: CommittedFile): Promise<void> {
  const info = await headOrListed(store, file.key);
  if (info?.size === file.bytes) return;
  const doing = `verifying ${store.describe(file.key)} after writing`;
  const problem =
    info === undefined
      ? `the object is missing (expected ${bytes(file.bytes)})`
      : `it holds ${bytes(info.size)}, expected ${count(file.bytes)}`;
  throw new ConnectionError(`${doing}: ${problem}`);
}

/**
 * The object's metadata by HEAD; when that is refused (`AuthError`), by a listing of its key:
 * S3 answers a HEAD of a missing key with 403 when the caller's `s3:ListBucket` does not cover
 * it (the least policy limits ListBucket to the prefix, which a HEAD does not carry), so a
 * refusal may mean "missing". Only a listing that shows the object rethrows the refusal.
 */
async function headOrListed(store: ObjectStore, key: string): Promise<ObjectInfo | undefined> {
  try {
    return await store.head(key);
  } catch (error) {
    if (!isFerryError(error) || error.code !== 'auth') throw error;
    const listed = (await store.list({ prefix: key, limit: 1 })).objects[0];
    if (listed?.key === key) throw error;
    return undefined;
  }
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function bytes(n: number): string {
  return `${count(n)} bytes`;
}
