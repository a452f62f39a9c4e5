import type { IamStatement } from '@ferry/core';
import { bucketName, type S3DestinationConfig } from './config.js';

/**
 * The least IAM permissions the `s3` destination needs for `config`, scoped to its bucket and
 * prefix: list the prefix (the lake lists its files and manifests; check confirms the bucket),
 * write, read back, delete (recovery after a crash, replaced snapshots, the check probe) and abort
 * multipart uploads of objects under it; and, with `aws:kms` and a key, use that key.
 */
export function destinationPolicy(config: S3DestinationConfig): IamStatement[] {
  const bucket = bucketName(config.s3_bucket);
  const prefix = objectPrefix(config.s3_prefix);
  const list: IamStatement = {
    Sid: 'ListPrefix',
    Effect: 'Allow',
    Action: ['s3:ListBucket'],
    Resource: [`arn:aws:s3:::${bucket}`],
    // Without a prefix the whole bucket is the lake; with one, listing stays inside it.
    ...(prefix === '' ? {} : { Condition: { StringLike: { 's3:prefix': [`${prefix}*`] } } }),
  };
  const objects: IamStatement = {
    Sid: 'WriteObjects',
    Effect: 'Allow',
    Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
    Resource: [`arn:aws:s3:::${bucket}/${prefix}*`],
  };
  const kms = kmsStatement(config);
  return kms === undefined ? [list, objects] : [list, objects, kms];
}

/** `exports/` for `/exports/`, `exports` or `exports/`; `''` for none. */
function objectPrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/**
 * SSE-KMS with a customer key needs GenerateDataKey to write and Decrypt to read back (multipart
 * uploads and the lake's manifests). Without `kms_key_id` S3 uses the AWS-managed `aws/s3` key,
 * which needs no statement.
 */
function kmsStatement(config: S3DestinationConfig): IamStatement | undefined {
  const key = config.kms_key_id;
  if (config.server_side_encryption !== 'aws:kms' || key === '') return undefined;
  const actions = ['kms:GenerateDataKey', 'kms:Decrypt'];
  if (key.startsWith('arn:')) {
    return { Sid: 'UseKmsKey', Effect: 'Allow', Action: actions, Resource: [key] };
  }
  const region = config.s3_region;
  if (key.startsWith('alias/')) {
    // IAM grants on keys, not aliases: allow the keys that carry this alias.
    return {
      Sid: 'UseKmsKey',
      Effect: 'Allow',
      Action: actions,
      Resource: [`arn:aws:kms:${region}:*:key/*`],
      Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [key] } },
    };
  }
  return {
    Sid: 'UseKmsKey',
    Effect: 'Allow',
    Action: actions,
    Resource: [`arn:aws:kms:${region}:*:key/${key}`],
  };
}
