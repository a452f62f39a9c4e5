import { InternalError } from '@ferry/core';
import type { S3RetryOptions } from './s3-retry.js';

/** Static credentials; without them the AWS default chain is used. */
export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** For temporary credentials (STS). */
  readonly sessionToken?: string;
}

/** Server-side encryption requested for every object written. */
export type S3Encryption =
  | { readonly type: 'AES256' }
  /** Without `kmsKeyId`, S3 uses the account's default `aws/s3` key. */
  | { readonly type: 'aws:kms'; readonly kmsKeyId?: string };

/** Options of {@link S3Store}. */
export interface S3StoreOptions {
  readonly bucket: string;
  /** Key prefix of the store's root, e.g. `lake/prod`; a trailing `/` is implied. Default none. */
  readonly prefix?: string;
  /** Default: from the environment (`AWS_REGION`) or profile, as the SDK resolves it. */
  readonly region?: string;
  /**
   * An S3-compatible endpoint (MinIO, R2, Ceph): `https://host:port`. With it the SDK sends
   * flexible checksums only when an operation requires them (several such stores reject them).
   */
  readonly endpoint?: string;
  /** Path-style URLs (`endpoint/bucket/key`), needed by most S3-compatible stores. */
  readonly forcePathStyle?: boolean;
  /** Default: the AWS default chain (env, shared profile, web identity, instance/container role). */
  readonly credentials?: S3Credentials;
  /** A profile of the shared config files for the default chain. */
  readonly profile?: string;
  readonly sse?: S3Encryption;
  readonly retry?: S3RetryOptions;
  /** Size of one multipart part, at least 5 MiB (S3's minimum). Default 8 MiB. */
  readonly partSizeBytes?: number;
  /** Parts uploaded in parallel; memory held is about `partSizeBytes * queueSize`. Default 4. */
  readonly queueSize?: number;
  /** Per-request timeouts; see {@link S3Timeouts}. */
  readonly timeouts?: S3Timeouts;
}

/**
 * How long one S3 request may wait. A request that times out fails like a dropped connection: it
 * is retried (see {@link S3RetryOptions}), then fails with a `TransientError`.
 */
export interface S3Timeouts {
  /** Time to open a TCP connection, in milliseconds: a positive integer. Default 10 000. */
  readonly connectMs?: number;
  /**
   * Time a request's connection may stay idle (no byte sent or received: TLS handshake, waiting
   * for the answer, a stalled upload or download), in milliseconds: a positive integer. Default
   * 60 000. Not a total: a large part on a slow link takes as long as it needs while bytes flow.
   * A reader that stops reading a `get` stream for longer than this fails that stream too.
   */
  readonly idleMs?: number;
}

/** Defaults of {@link S3Timeouts}. */
export const DEFAULT_S3_TIMEOUTS = { connectMs: 10_000, idleMs: 60_000 } as const;

/** S3's minimum part size (except the last part). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;

/** Defaults of {@link S3StoreOptions}. */
export const S3_DEFAULTS = { partSizeBytes: 8 * 1024 * 1024, queueSize: 4 } as const;

/**
 * Checks options that would otherwise fail late or silently.
 * @throws InternalError naming the first invalid option.
 */
export function checkS3Options(options: S3StoreOptions): void {
  const bad = (what: string) => new InternalError(`S3 store options: ${what}`);
  if (typeof options.bucket !== 'string' || options.bucket === '') throw bad('bucket is required');
  // The SDK's own check throws a bare error from the client's constructor.
  if (options.region === '') throw bad('region must not be empty (leave it out for the default)');
  const { partSizeBytes, queueSize, retry, sse, timeouts } = options;
  if (
    partSizeBytes !== undefined &&
    !(Number.isSafeInteger(partSizeBytes) && partSizeBytes >= MIN_PART_BYTES)
  ) {
    throw bad(
      `partSizeBytes must be an integer of at least ${MIN_PART_BYTES}, not ${partSizeBytes}`,
    );
  }
  if (queueSize !== undefined && !isPositiveInteger(queueSize)) {
    throw bad(`queueSize must be a positive integer, not ${queueSize}`);
  }
  if (retry?.maxAttempts !== undefined && !isPositiveInteger(retry.maxAttempts)) {
    throw bad(`retry.maxAttempts must be a positive integer, not ${retry.maxAttempts}`);
  }
  if (retry?.baseDelayMs !== undefined && !(retry.baseDelayMs >= 0)) {
    throw bad(`retry.baseDelayMs must be at least 0, not ${retry.baseDelayMs}`);
  }
  for (const name of ['connectMs', 'idleMs'] as const) {
    const value = timeouts?.[name];
    if (value !== undefined && !isPositiveInteger(value)) {
      throw bad(`timeouts.${name} must be a positive integer, not ${value}`);
    }
  }
  const type: unknown = sse?.type;
  if (sse !== undefined && type !== 'AES256' && type !== 'aws:kms') {
    throw bad(`sse.type must be "AES256" or "aws:kms", not ${JSON.stringify(type)}`);
  }
}

function isPositiveInteger(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 1;
}

/** The store's key prefix in S3 form: `''` or ending in exactly one `/`. */
export function normalizePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}
