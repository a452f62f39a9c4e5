import type { Readable } from 'node:stream';

/**
 * Keys are `/`-separated paths relative to the store's root (an S3 bucket + prefix, or a local
 * directory), without a leading `/`, e.g. `pageview_events/dt=2025-01-01/x.parquet`. Every store
 * accepts exactly the keys `objectKeyProblem` accepts (non-empty, at most 1024 UTF-8 bytes, no
 * empty, `.` or `..` segment, no backslash, NUL or lone surrogate) and throws `InternalError` for
 * others, so a key that works on one store works on all.
 */
export type ObjectKey = string;

/** Metadata of one stored object. */
export interface ObjectInfo {
  readonly key: ObjectKey;
  /** Size in bytes. */
  readonly size: number;
  /** Opaque version tag; changes when the object is rewritten (S3 ETag, or size+mtime locally). */
  readonly etag: string;
  readonly lastModified: Date;
}

/** A body to store: bytes, a Node stream, or any async iterable of byte chunks. */
export type ObjectBody = Uint8Array | Readable | AsyncIterable<Uint8Array>;

/** Options of {@link ObjectStore.put}. */
export interface PutOptions {
  readonly contentType?: string;
  /**
   * Aborting rejects the put and leaves no object (and no partial object) behind. It rejects with
   * the signal's reason when that is a ferry error, else with a `TransientError` caused by it.
   */
  readonly signal?: AbortSignal;
}

/** The result of a completed put. */
export interface PutResult {
  readonly key: ObjectKey;
  /** Bytes stored. */
  readonly size: number;
  readonly etag: string;
}

/** Options of {@link ObjectStore.list}. */
export interface ListOptions {
  /** Only keys starting with this string (not necessarily a whole path segment). */
  readonly prefix?: string;
  /**
   * Groups keys by the first `delimiter` after the prefix into `prefixes` (like S3's
   * CommonPrefixes); only `/` must be supported.
   */
  readonly delimiter?: '/';
  /**
   * Continue after the page that returned this cursor. Opaque: pass back only a cursor from the
   * same listing (same prefix and delimiter).
   */
  readonly cursor?: string;
  /**
   * Most entries (objects + prefixes) in one page: a positive integer, default and cap 1000 (S3's
   * cap, so code that ignores `cursor` fails locally too); stores may return fewer.
   */
  readonly limit?: number;
}

/** One page of a listing, in ascending key order (byte order of the UTF-8 keys). */
export interface ListPage {
  readonly objects: readonly ObjectInfo[];
  /**
   * With a delimiter: the distinct "directories" directly under the prefix, ending in `/`, each
   * holding at least one object (an empty local directory is no prefix, as on S3).
   */
  readonly prefixes: readonly string[];
  /** Present when more entries follow; pass it back as `cursor`. */
  readonly cursor?: string;
}

/** Options of {@link ObjectStore.get}. */
export interface GetOptions {
  /**
   * Inclusive byte range, like HTTP Range. `end` is clamped to the object's size; a range that is
   * inverted or starts at or past the end throws `InternalError` (S3 answers 416).
   */
  readonly range?: { readonly start: number; readonly end: number };
  /** Aborting destroys the stream with the error of an aborted put ({@link PutOptions}). */
  readonly signal?: AbortSignal;
  /**
   * The etag the object had when listed ({@link ObjectInfo.etag}). When given, the read fails
   * with a `TransientError` when the object now has another etag (it was rewritten since it was
   * listed: `reading <location>: the object changed since it was listed; run again to read its new
   * version`) or is gone (deleted since it was listed: `reading <location>: the object was deleted
   * since it was listed; run again`), so the bytes always come from the version that was listed.
   * Without it, a missing object is a `ConnectionError`. ETags compare as opaque values (quotes
   * and a weak `W/` aside, which some S3-compatible stores list differently than they answer);
   * an empty one (a listing that had none) pins nothing.
   */
  readonly etag?: string;
}

/**
 * Object storage as the lake sees it: a flat namespace of immutable objects written whole.
 * Implementations: the local filesystem (here) and S3. Every method throws ferry errors only, and
 * streams it returns fail with ferry errors only (`ConnectionError` for a missing root or object,
 * `AuthError` for denied access, `TransientError` for what may pass on retry, `InternalError` for
 * an invalid key or option).
 */
export interface ObjectStore {
  /** Where the store points, for messages: `/abs/dir` (local) or `s3://bucket/prefix`. */
  readonly location: string;
  /**
   * A human form of one key's full location, for messages: `/abs/dir/key` or
   * `s3://bucket/prefix/key`.
   */
  describe(key: ObjectKey): string;
  /**
   * Stores `body` under `key`, streaming it (memory stays bounded whatever its size). The object
   * becomes visible only once complete; an existing object is replaced. On failure or abort
   * nothing is left behind. A body should fail with ferry errors; other failures of the body
   * become an `InternalError` whose `cause` is the original.
   */
  put(key: ObjectKey, body: ObjectBody, options?: PutOptions): Promise<PutResult>;
  /**
   * Reads an object as a stream.
   * @throws ConnectionError when it does not exist; TransientError when it is not (or no longer)
   * the version of `options.etag`.
   */
  get(key: ObjectKey, options?: GetOptions): Promise<Readable>;
  /** Metadata of an object, or `undefined` when it does not exist (a "directory" is no object). */
  head(key: ObjectKey): Promise<ObjectInfo | undefined>;
  /** One page of keys (see {@link ListOptions}). */
  list(options?: ListOptions): Promise<ListPage>;
  /** Deletes objects; missing ones are ignored. */
  delete(keys: readonly ObjectKey[]): Promise<void>;
}

/** Every object under `prefix`, page after page (no delimiter). */
export async function* listAll(store: ObjectStore, prefix = ''): AsyncIterable<ObjectInfo> {
  let cursor: string | undefined;
  do {
    const page = await store.list(cursor === undefined ? { prefix } : { prefix, cursor });
    yield* page.objects;
    cursor = page.cursor;
  } while (cursor !== undefined);
}
