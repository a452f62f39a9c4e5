import type { S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { assertObjectKey } from './object-key.js';
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
import { createS3Client } from './s3-client.js';
import { deleteS3, listS3, type S3Root } from './s3-list.js';
import { checkS3Options, normalizePrefix, S3_DEFAULTS, type S3StoreOptions } from './s3-options.js';
import { putS3Object } from './s3-put.js';
import { getS3Object, headS3Object, type S3Object } from './s3-read.js';

/**
 * An {@link ObjectStore} over an S3 bucket (or an S3-compatible store), under an optional key
 * prefix. Puts stream through lib-storage (single PUT or multipart, bounded memory) and become
 * visible only when complete, as S3 guarantees; each request is retried on throttling, 5xx and
 * dropped connections (see {@link JitteredRetryStrategy}). Errors are ferry errors made by
 * {@link s3Error}; their messages name the operation and `s3://bucket/key`, never credentials.
 *
 * Creating one does no I/O, and credentials from the default chain are resolved on the first
 * request. Unlike a {@link LocalStore}, the keys `a` and `a/b` can coexist.
 */
export class S3Store implements ObjectStore {
  /** `s3://bucket/prefix` (no trailing `/`). */
  readonly location: string;
  readonly bucket: string;
  /** The key prefix: `''` or ending in `/`. */
  readonly prefix: string;
  readonly #client: S3Client;
  readonly #options: S3StoreOptions;

  /**
   * @throws InternalError for invalid options (missing bucket, part size under 5 MiB, ...).
   */
  constructor(options: S3StoreOptions) {
    checkS3Options(options);
    this.#options = options;
    this.bucket = options.bucket;
    this.prefix = normalizePrefix(options.prefix);
    this.location = `s3://${this.bucket}/${this.prefix}`.replace(/\/$/, '');
    this.#client = createS3Client(options);
  }

  /** `s3://bucket/prefix/key` (as given, even when invalid: this only serves messages). */
  describe(key: ObjectKey): string {
    return `s3://${this.bucket}/${this.prefix}${key}`;
  }

  /**
   * See {@link ObjectStore.put}. Sends `contentType` and the configured SSE with the object; an
   * aborted or failed multipart upload is aborted on S3 too (see {@link putS3Object}).
   */
  async put(key: ObjectKey, body: ObjectBody, options: PutOptions = {}): Promise<PutResult> {
    const { partSizeBytes = S3_DEFAULTS.partSizeBytes, queueSize = S3_DEFAULTS.queueSize } =
      this.#options;
    const target = { ...this.#object(key), partSizeBytes, queueSize, sse: this.#options.sse };
    return putS3Object({ ...target, contentType: options.contentType }, body, options.signal);
  }

  /** See {@link ObjectStore.get} and {@link getS3Object}. */
  async get(key: ObjectKey, options: GetOptions = {}): Promise<Readable> {
    return getS3Object(this.#object(key), options);
  }

  /** See {@link ObjectStore.head} and {@link headS3Object}. */
  async head(key: ObjectKey): Promise<ObjectInfo | undefined> {
    return headS3Object(this.#object(key));
  }

  /** See {@link ObjectStore.list}; the cursor is S3's continuation token. */
  async list(options: ListOptions = {}): Promise<ListPage> {
    return listS3(this.#root(), options);
  }

  /** See {@link ObjectStore.delete}: DeleteObjects, 1000 keys per request. */
  async delete(keys: readonly ObjectKey[]): Promise<void> {
    const s3Keys = keys.map((key) => this.#object(key).s3Key); // every key checked first
    await deleteS3(this.#root(), s3Keys);
  }

  /** Closes the client's connections; the store must not be used afterwards. */
  destroy(): void {
    this.#client.destroy();
  }

  #root(): S3Root {
    return {
      client: this.#client,
      bucket: this.bucket,
      prefix: this.prefix,
      location: this.location,
    };
  }

  /** @throws InternalError for an invalid key. */
  #object(key: ObjectKey): S3Object {
    assertObjectKey(key, this.location);
    return {
      client: this.#client,
      bucket: this.bucket,
      s3Key: this.prefix + key,
      key,
      where: this.describe(key),
    };
  }
}
