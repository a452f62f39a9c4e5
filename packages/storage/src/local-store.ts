import { ConnectionError, InternalError } from '@ferry/core';
import { mkdir, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { errnoCode, fsCall, fsError } from './fs-errors.js';
import { deleteLocalFiles } from './local-delete.js';
import { localObjectInfo } from './local-info.js';
import { listLocal } from './local-list.js';
import { putLocalFile } from './local-put.js';
import { readLocalFile } from './local-read.js';
import { isTempName, TEMP_SUFFIX } from './local-temp.js';
import { assertObjectKey, invalidKey } from './object-key.js';
import type {
  GetOptions,
  ListOptions,
  ListPage,
  ObjectBody,
  ObjectInfo,
  ObjectKey,
  ObjectStore,
  PutOptions,
  PutResult,
} from './object-store.js';

/**
 * An {@link ObjectStore} over a local directory, behaving like S3 as seen through the interface:
 * keys are `/`-separated paths under the root, puts are atomic (temp file, fsync, rename), and
 * listings come in S3's order with its prefix, delimiter and pagination semantics.
 *
 * Creating one does no I/O; the root is created by the first put (use {@link openLocalStore} to
 * check it first). `location` and `describe` give plain absolute paths, which users can paste
 * into a shell or a DuckDB query. A directory cannot be both an object and a prefix, so unlike S3
 * the keys `a` and `a/b` cannot coexist (the second put fails with a `ConnectionError`).
 */
export class LocalStore implements ObjectStore {
  /** The root directory, absolute. */
  readonly root: string;
  /** The root directory, absolute: `/data/lake`. */
  readonly location: string;

  /**
   * @param rootDir - The directory holding the objects; a relative path is resolved against the
   * working directory now.
   * @throws InternalError when `rootDir` is empty.
   */
  constructor(rootDir: string) {
    if (typeof rootDir !== 'string' || rootDir === '') {
      throw new InternalError('a local store needs a root directory');
    }
    this.root = resolve(rootDir);
    this.location = this.root;
  }

  /** The absolute path of `key` (as given, even when invalid: this only serves messages). */
  describe(key: ObjectKey): string {
    return this.root.endsWith(sep) ? this.root + key : this.root + sep + key;
  }

  /**
   * See {@link ObjectStore.put}. Creates the root and parent directories as needed; ignores
   * `contentType`.
   */
  async put(key: ObjectKey, body: ObjectBody, options: PutOptions = {}): Promise<PutResult> {
    return putLocalFile({ root: this.root, key, path: this.#path(key) }, body, options.signal);
  }

  /** See {@link ObjectStore.get}. */
  async get(key: ObjectKey, options: GetOptions = {}): Promise<Readable> {
    return readLocalFile(this.#path(key), options);
  }

  /** See {@link ObjectStore.head}. A directory at the key's path is no object. */
  async head(key: ObjectKey): Promise<ObjectInfo | undefined> {
    const path = this.#path(key);
    try {
      const stats = await stat(path, { bigint: true });
      return stats.isFile() ? localObjectInfo(key, stats) : undefined;
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw fsError(error, 'reading metadata of', path);
    }
  }

  /** See {@link ObjectStore.list} and {@link listLocal}. */
  async list(options: ListOptions = {}): Promise<ListPage> {
    return listLocal(this.root, options);
  }

  /** See {@link ObjectStore.delete}; also removes directories left empty, except the root. */
  async delete(keys: readonly ObjectKey[]): Promise<void> {
    const paths = keys.map((key) => this.#path(key)); // every key checked before any deletion
    await deleteLocalFiles(this.root, paths);
  }

  /** The absolute path of a valid key. @throws InternalError for an invalid or reserved key. */
  #path(key: ObjectKey): string {
    assertObjectKey(key, this.location);
    const name = key.slice(key.lastIndexOf('/') + 1);
    if (isTempName(name)) {
      throw invalidKey(key, this.location, `names ending in ${TEMP_SUFFIX} are reserved`);
    }
    return join(this.root, key);
  }
}

/** Options of {@link openLocalStore}. */
export interface OpenLocalStoreOptions {
  /** Create the root directory (and its parents) when missing. Default `false`. */
  readonly create?: boolean;
}

/**
 * A {@link LocalStore} whose root is checked to be an existing directory (or created, with
 * `create`): the local counterpart of checking that a bucket exists.
 * @throws ConnectionError when the root is missing (without `create`) or is not a directory;
 * AuthError when it cannot be reached for lack of permission.
 */
export async function openLocalStore(
  rootDir: string,
  options: OpenLocalStoreOptions = {},
): Promise<LocalStore> {
  const store = new LocalStore(rootDir);
  const { root } = store;
  if (options.create === true)
    await fsCall(() => mkdir(root, { recursive: true }), 'opening', root);
  try {
    const stats = await stat(root);
    if (!stats.isDirectory()) throw new ConnectionError(`opening ${root}: not a directory`);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') {
      throw new ConnectionError(`opening ${root}: no such directory`, { cause: error });
    }
    throw fsError(error, 'opening', root);
  }
  return store;
}
