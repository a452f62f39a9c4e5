import { InternalError } from '@ferry/core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** s3rver's built-in account: it accepts any secret for this key id (see TOOLING.md). */
export const S3RVER_CREDENTIALS = {
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
} as const;

/** Options of {@link startS3Server}. */
export interface S3ServerOptions {
  /** Buckets to create before the server answers. Default none. */
  readonly buckets?: readonly string[];
  /** Port on 127.0.0.1; default a free one. */
  readonly port?: number;
  /**
   * Directory keeping the objects, kept on close; default a fresh temporary directory, removed
   * on close.
   */
  readonly directory?: string;
}

/** A running in-process S3 server (s3rver) for tests. */
export interface S3Server {
  /** `http://127.0.0.1:<port>`: use with path-style addressing (`forcePathStyle`). */
  readonly endpoint: string;
  /** Any region works; this is the one to pass to clients. */
  readonly region: string;
  /** Credentials the server accepts. */
  readonly credentials: typeof S3RVER_CREDENTIALS;
  /**
   * Creates a bucket (idempotent) through the S3 API.
   * @throws InternalError when the server refuses it (e.g. an invalid bucket name).
   */
  createBucket(name: string): Promise<void>;
  /** Stops the server and removes its directory. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts s3rver in this process on 127.0.0.1 and a free port, storing objects in a fresh
 * temporary directory, without logging. Know its gaps (TOOLING.md): listings past 1000 keys need
 * `--openssl-legacy-provider`, abort of multipart uploads answers 405, auth only checks the key id,
 * SSE and conditional headers are ignored; use {@link startS3Proxy} to cover those.
 * @throws InternalError when a bucket in `options.buckets` cannot be created.
 */
export async function startS3Server(options: S3ServerOptions = {}): Promise<S3Server> {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'ferry-s3rver-')));
  const port = options.port ?? 0;
  const server = new S3rver({ address: '127.0.0.1', port, directory, silent: true });
  groupListingsLikeS3(server);
  const endpoint = `http://127.0.0.1:${(await server.run()).port}`;
  let closed = false;
  const s3: S3Server = {
    endpoint,
    region: 'us-east-1',
    credentials: S3RVER_CREDENTIALS,
    createBucket: (name) => createBucket(endpoint, name),
    close: async () => {
      if (closed) return;
      closed = true;
      await server.close();
      if (options.directory === undefined) await rm(directory, { recursive: true, force: true });
    },
  };
  try {
    for (const name of options.buckets ?? []) await s3.createBucket(name);
  } catch (error) {
    await s3.close();
    throw error;
  }
  return s3;
}

// s3rver lets unsigned requests through, so a bucket needs no SDK (and testkit no S3 dependency).
// It answers an existing bucket with 409 BucketAlreadyExists (S3 itself: BucketAlreadyOwnedByYou).
async function createBucket(endpoint: string, name: string): Promise<void> {
  const response = await fetch(`${endpoint}/${encodeURIComponent(name)}`, { method: 'PUT' });
  const text = await response.text();
  if (!response.ok && !/BucketAlready(Exists|OwnedByYou)/.test(text)) {
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? `HTTP ${response.status}`;
    const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? text.slice(0, 200);
    throw new InternalError(`creating bucket "${name}" on ${endpoint}: ${message} (${code})`);
  }
}

/**
 * Makes s3rver group a listing by delimiter as S3 does. s3rver walks its directory tree and never
 * enters a directory below a common prefix, so a prefix whose objects all lie two or more levels
 * deeper (`table/` of `table/dt=1/x.parquet`, listed from the root) is missing from its answer.
 * Here the listing is taken without delimiter and grouped: each common prefix once, in key order,
 * `maxKeys` counting objects and prefixes. A page ends only after an object (s3rver's
 * continuation token is the last object's key), so a page may hold a few prefixes more than
 * `maxKeys`; the next page starts after that object, past every key of the prefixes before it.
 */
function groupListingsLikeS3(server: S3rver): void {
  const store = server.store;
  const list = store.listObjects.bind(store);
  store.listObjects = async (bucket, options) => {
    const delimiter = options.delimiter ?? '';
    if (delimiter === '') return list(bucket, options);
    const everything = await list(bucket, { ...options, delimiter: '', maxKeys: Infinity });
    const prefix = options.prefix ?? '';
    const maxKeys = options.maxKeys ?? 1000;
    const objects: (typeof everything.objects)[number][] = [];
    const commonPrefixes: string[] = [];
    let entries = 0;
    const sorted = [...everything.objects].sort((a, b) => (a.key < b.key ? -1 : 1));
    for (const [index, object] of sorted.entries()) {
      const cut = object.key.indexOf(delimiter, prefix.length);
      if (cut === -1) {
        objects.push(object);
        entries += 1;
        if (entries >= maxKeys && index < sorted.length - 1) {
          return { objects, commonPrefixes, isTruncated: true };
        }
        continue;
      }
      const common = object.key.slice(0, cut + delimiter.length);
      if (commonPrefixes.at(-1) !== common) {
        commonPrefixes.push(common);
        entries += 1;
      }
    }
    return { objects, commonPrefixes, isTruncated: false };
  };
}
