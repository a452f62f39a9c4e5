import {
  DeleteObjectsCommand,
  ListObjectsV2Command,
  type S3Client,
  type _Object,
} from '@aws-sdk/client-s3';
import { AuthError, ConnectionError, InternalError } from '@ferry/core';
import { MAX_LIST_LIMIT } from './local-list.js';
import type { ListOptions, ListPage, ObjectInfo } from './object-store.js';
import { s3Call } from './s3-errors.js';

/** A store's place in a bucket. */
export interface S3Root {
  readonly client: S3Client;
  readonly bucket: string;
  /** `''` or ending in `/`. */
  readonly prefix: string;
  /** `s3://bucket/prefix`, for messages. */
  readonly location: string;
}

/**
 * One page of ListObjectsV2 under the store's prefix, with keys made relative to it. The cursor
 * is S3's continuation token, present only when more entries follow.
 * @throws InternalError for invalid options; converted SDK errors ({@link s3Call}).
 */
export async function listS3(root: S3Root, options: ListOptions = {}): Promise<ListPage> {
  const limit = pageLimit(options, root.location);
  const command = new ListObjectsV2Command({
    Bucket: root.bucket,
    Prefix: root.prefix + (options.prefix ?? ''),
    MaxKeys: limit,
    ...(options.delimiter === undefined ? {} : { Delimiter: options.delimiter }),
    ...(options.cursor === undefined ? {} : { ContinuationToken: options.cursor }),
  });
  const where = root.location + (options.prefix ?? '');
  const output = await s3Call(() => root.client.send(command), { action: 'listing', where });
  const strip = (key: string) => key.slice(root.prefix.length);
  const objects = (output.Contents ?? []).map((o) => objectInfo(o, strip));
  const prefixes = (output.CommonPrefixes ?? []).flatMap((p) =>
    p.Prefix === undefined ? [] : [strip(p.Prefix)],
  );
  const cursor = output.IsTruncated === true ? output.NextContinuationToken : undefined;
  return cursor === undefined ? { objects, prefixes } : { objects, prefixes, cursor };
}

function objectInfo(object: _Object, strip: (key: string) => string): ObjectInfo {
  return {
    key: strip(object.Key ?? ''),
    size: object.Size ?? 0,
    etag: object.ETag ?? '',
    lastModified: object.LastModified ?? new Date(0),
  };
}

function pageLimit(options: ListOptions, where: string): number {
  const { limit = MAX_LIST_LIMIT, delimiter } = options;
  const bad = (what: string) => new InternalError(`listing ${where}: ${what}`);
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw bad(`limit must be a positive integer, not ${limit}`);
  }
  if (delimiter !== undefined && (delimiter as string) !== '/') {
    throw bad(`only "/" is supported as delimiter, not ${JSON.stringify(delimiter)}`);
  }
  return Math.min(limit, MAX_LIST_LIMIT);
}

// DeleteObjects takes at most 1000 keys per request.
const DELETE_BATCH = 1000;

/**
 * Deletes full S3 keys in batches of 1000 (missing keys are no error on S3).
 * @throws the converted error of a failed request; AuthError or ConnectionError naming the first
 * key S3 refused to delete.
 */
export async function deleteS3(root: S3Root, s3Keys: readonly string[]): Promise<void> {
  for (let i = 0; i < s3Keys.length; i += DELETE_BATCH) {
    const batch = s3Keys.slice(i, i + DELETE_BATCH);
    const command = new DeleteObjectsCommand({
      Bucket: root.bucket,
      Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
    });
    const where = `s3://${root.bucket}/${batch[0] ?? ''}`;
    const output = await s3Call(() => root.client.send(command), { action: 'deleting', where });
    const failed = output.Errors?.[0];
    if (failed !== undefined) {
      const message = `deleting s3://${root.bucket}/${failed.Key ?? ''}: ${failed.Code ?? 'error'}`;
      throw failed.Code === 'AccessDenied' ? new AuthError(message) : new ConnectionError(message);
    }
  }
}
