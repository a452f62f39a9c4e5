import { AbortMultipartUploadCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { InternalError, isFerryError } from '@ferry/core';
import { Readable } from 'node:stream';
import { abortError } from './fs-errors.js';
import type { ObjectBody, PutResult } from './object-store.js';
import { s3Error } from './s3-errors.js';
import type { S3Encryption } from './s3-options.js';

/** Where and how one put goes. */
export interface S3PutTarget {
  readonly client: S3Client;
  readonly bucket: string;
  /** The full S3 key (store prefix included). */
  readonly s3Key: string;
  /** The store-relative key, returned in the result. */
  readonly key: string;
  /** `s3://bucket/key`, for messages. */
  readonly where: string;
  readonly partSizeBytes: number;
  readonly queueSize: number;
  readonly sse?: S3Encryption | undefined;
  readonly contentType?: string | undefined;
}

/**
 * Streams `body` to S3 with lib-storage's `Upload`: a single PutObject when it fits in one part,
 * else a multipart upload holding at most about `partSizeBytes * queueSize` bytes in memory. The
 * SSE headers go on PutObject and CreateMultipartUpload (S3 takes them there for the whole object).
 * A failed or aborted multipart upload is aborted (AbortMultipartUpload) so that no parts are left
 * billed; that cleanup is best effort and never hides the original error.
 * @throws the body's own ferry error; `InternalError` for another body failure; a converted SDK
 * error ({@link s3Error}); on abort, {@link abortError}.
 */
export async function putS3Object(
  target: S3PutTarget,
  body: ObjectBody,
  signal?: AbortSignal,
): Promise<PutResult> {
  const op = { action: 'writing', where: target.where, signal };
  if (signal?.aborted === true) throw abortError(signal, 'writing', target.where);
  const counted = countingBody(body);
  const controller = new AbortController();
  const onAbort = () => {
    controller.abort(signal?.reason);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const upload = newUpload(target, counted.stream, controller);
  try {
    const result = await upload.done();
    return { key: target.key, size: counted.size(), etag: result.ETag ?? '' };
  } catch (error) {
    await abortMultipart(target, upload.uploadId);
    const bodyFailure = counted.failure();
    if (bodyFailure !== undefined) throw bodyError(bodyFailure, target.where);
    throw s3Error(error, op);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

function newUpload(target: S3PutTarget, stream: Readable, controller: AbortController): Upload {
  const { sse } = target;
  return new Upload({
    client: target.client,
    partSize: target.partSizeBytes,
    queueSize: target.queueSize,
    // We abort the multipart upload ourselves: lib-storage would report a failed abort instead
    // of the failure that caused it.
    leavePartsOnError: true,
    abortController: controller,
    params: {
      Bucket: target.bucket,
      Key: target.s3Key,
      Body: stream,
      ...(target.contentType === undefined ? {} : { ContentType: target.contentType }),
      ...(sse === undefined ? {} : { ServerSideEncryption: sse.type }),
      ...(sse?.type === 'aws:kms' && sse.kmsKeyId !== undefined
        ? { SSEKMSKeyId: sse.kmsKeyId }
        : {}),
    },
  });
}

async function abortMultipart(target: S3PutTarget, uploadId: string | undefined): Promise<void> {
  if (uploadId === undefined) return;
  const command = new AbortMultipartUploadCommand({
    Bucket: target.bucket,
    Key: target.s3Key,
    UploadId: uploadId,
  });
  // Best effort: the caller's error matters more; a lifecycle rule catches what is left.
  await target.client.send(command).catch(() => undefined);
}

function bodyError(failure: unknown, where: string) {
  if (isFerryError(failure)) return failure;
  const detail = failure instanceof Error ? failure.message : String(failure);
  return new InternalError(`writing ${where}: the body failed: ${detail}`, { cause: failure });
}

/** The body as a Readable that counts its bytes and remembers its own failure. */
function countingBody(body: ObjectBody) {
  let size = 0;
  let failure: unknown;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of toIterable(body)) {
        size += chunk.byteLength;
        yield chunk;
      }
    } catch (error) {
      failure = error ?? new InternalError('the body failed without an error');
      throw error;
    }
  }
  return {
    stream: Readable.from(chunks(), { objectMode: false }),
    size: () => size,
    failure: () => failure,
  };
}

function toIterable(body: ObjectBody): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  return body instanceof Uint8Array ? [body] : (body as AsyncIterable<Uint8Array>);
}
