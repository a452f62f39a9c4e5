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
  const directory = await mkdtemp(join(tmpdir(), 'ferry-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
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
      await rm(directory, { recursive: true, force: true });
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
    throw new InternalError(
      `creating bucket ${name} on ${endpoint}: HTTP ${response.status} ${text}`,
    );
  }
}
