import {
  GetObjectCommand,
  HeadObjectCommand,
  type GetObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ConnectionError, InternalError } from '@ferry/core';
import { Readable } from 'node:stream';
import { abortError } from './fs-errors.js';
import type { GetOptions, ObjectInfo } from './object-store.js';
import { objectChanged } from './object-version.js';
import { isNotFound, s3Error, versionError } from './s3-errors.js';

/** One object of a bucket. */
export interface S3Object {
  readonly client: S3Client;
  readonly bucket: string;
  /** The full S3 key (store prefix included). */
  readonly s3Key: string;
  /** The store-relative key. */
  readonly key: string;
  /** `s3://bucket/key`, for messages. */
  readonly where: string;
}

/**
 * Streams an object (or the inclusive `range` of it; S3 clamps `end` to the size). Resolves once
 * S3 has answered, so a missing object fails here. Errors while streaming are ferry errors too;
 * aborting cancels the request and destroys the stream with {@link abortError}.
 *
 * With `etag`, the request carries `If-Match` (S3 answers 412 when the object is another version)
 * and the answer's ETag is compared with it too (for S3-compatible stores that ignore `If-Match`),
 * so every read, ranged ones of one file included, returns that version or fails.
 * @throws ConnectionError for a missing object (without `etag`) or bucket; TransientError when
 * the object was rewritten or deleted since it had `etag`; InternalError for an invalid range or
 * one starting at or past the end (S3's 416); other converted SDK errors.
 */
export async function getS3Object(target: S3Object, options: GetOptions = {}): Promise<Readable> {
  const { signal } = options;
  // A listing without ETags gives nothing to pin to.
  const etag = options.etag === '' ? undefined : options.etag;
  if (signal?.aborted === true) throw abortError(signal, 'reading', target.where);
  const output = await sendGet(target, options, etag);
  if (!(output.Body instanceof Readable)) {
    throw new ConnectionError(`reading ${target.where}: S3 sent no body`);
  }
  const source = output.Body;
  // A store without an ETag in its answer is trusted to have honoured If-Match.
  if (etag !== undefined && output.ETag !== undefined && !sameEtag(output.ETag, etag)) {
    source.destroy();
    throw objectChanged(target.where);
  }
  const op = { action: 'reading', where: target.where, signal };
  const stream = Readable.from(convertErrors(source, op), { objectMode: false });
  stream.once('close', () => source.destroy());
  if (signal !== undefined) {
    const onAbort = () => stream.destroy(abortError(signal, 'reading', target.where));
    signal.addEventListener('abort', onAbort, { once: true });
    stream.once('close', () => {
      signal.removeEventListener('abort', onAbort);
    });
  }
  return stream;
}

/** Sends the GetObject request; a failure becomes {@link versionError} or {@link s3Error}. */
async function sendGet(
  target: S3Object,
  options: GetOptions,
  etag: string | undefined,
): Promise<GetObjectCommandOutput> {
  const { signal, range } = options;
  const command = new GetObjectCommand({
    Bucket: target.bucket,
    Key: target.s3Key,
    ...(range === undefined ? {} : { Range: rangeHeader(range, target.where) }),
    // Only a strong, quoted ETag as listed: a weak one never matches If-Match, and some stores
    // list ETags unquoted (Ceph, NetApp ONTAP); the answer's ETag is compared either way.
    ...(etag !== undefined && STRONG_ETAG.test(etag) ? { IfMatch: etag } : {}),
  });
  try {
    return await target.client.send(command, signal === undefined ? {} : { abortSignal: signal });
  } catch (error) {
    const pinned = etag !== undefined && signal?.aborted !== true;
    throw (
      (pinned ? versionError(error, target.where) : undefined) ??
      s3Error(error, { action: 'reading', where: target.where, signal })
    );
  }
}

const STRONG_ETAG = /^"[^"]*"$/;

/**
 * Whether two ETags name the same version, compared as opaque values: without a weak `W/`
 * prefix and surrounding quotes, which stores add or leave out between listing and GET.
 */
export function sameEtag(a: string, b: string): boolean {
  return opaque(a) === opaque(b);
}

function opaque(etag: string): string {
  const strong = etag.startsWith('W/') ? etag.slice(2) : etag;
  return strong.length >= 2 && strong.startsWith('"') && strong.endsWith('"')
    ? strong.slice(1, -1)
    : strong;
}

async function* convertErrors(
  source: Readable,
  op: { action: string; where: string; signal: AbortSignal | undefined },
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of source) yield chunk as Uint8Array;
  } catch (error) {
    throw s3Error(error, op);
  }
}

function rangeHeader(range: NonNullable<GetOptions['range']>, where: string): string {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new InternalError(`reading ${where}: invalid byte range ${start}-${end}`);
  }
  return `bytes=${start}-${end}`;
}

/**
 * Metadata of an object, or `undefined` when there is none. HEAD answers carry no error code, so
 * a missing bucket also reads as a missing object here (the next put or list names it).
 * @throws converted SDK errors other than 404.
 */
export async function headS3Object(target: S3Object): Promise<ObjectInfo | undefined> {
  const command = new HeadObjectCommand({ Bucket: target.bucket, Key: target.s3Key });
  try {
    const output = await target.client.send(command);
    return {
      key: target.key,
      size: output.ContentLength ?? 0,
      etag: output.ETag ?? '',
      lastModified: output.LastModified ?? new Date(0),
    };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw s3Error(error, { action: 'reading metadata of', where: target.where });
  }
}
