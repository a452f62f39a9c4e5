import type { IamStatement } from '@ferry/core';
import { bucketArn, iamLiteral, objectsArn, partitionOf } from './arn.js';
import { bucketName } from './bucket.js';
import type { S3ConnectionConfig, S3DestinationConfig } from './config.js';

/**
 * The least IAM permissions the `s3` destination needs for `config`, scoped to its bucket and
 * prefix: list the prefix (the lake lists its files and manifests; check confirms the bucket),
 * write, read back, delete (recovery after a crash, replaced snapshots, the check probe) and abort
 * multipart uploads of objects under it; and, with `aws:kms` and a key, use that key. ARNs are in
 * the partition of `s3_region`; the prefix is matched literally (its `*`, `?` and `$` escaped).
 */
export function destinationPolicy(config: S3DestinationConfig): IamStatement[] {
  const partition = partitionOf(config.s3_region);
  const bucket = bucketName(config.s3_bucket);
  const prefix = objectPrefix(config.s3_prefix);
  const list = listStatement(partition, bucket, prefix);
  const objects: IamStatement = {
    Sid: 'WriteObjects',
    Effect: 'Allow',
    Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
    Resource: [objectsArn(partition, bucket, prefix)],
  };
  const kms = kmsStatement(config);
  return kms === undefined ? [list, objects] : [list, objects, kms];
}

/**
 * The least IAM permissions the `s3` source needs for `config`: list the schema prefix (tables,
 * their files) and read the objects under it. Objects encrypted with a customer KMS key also need
 * `kms:Decrypt` on that key, which the source's config does not name: add it to the policy.
 */
export function sourcePolicy(config: S3ConnectionConfig): IamStatement[] {
  const partition = partitionOf(config.s3_region);
  const bucket = bucketName(config.s3_bucket);
  const prefix = objectPrefix(config.s3_prefix);
  return [
    listStatement(partition, bucket, prefix),
    {
      Sid: 'ReadObjects',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: [objectsArn(partition, bucket, prefix)],
    },
  ];
}

function listStatement(partition: string, bucket: string, prefix: string): IamStatement {
  return {
    Sid: 'ListPrefix',
    Effect: 'Allow',
    Action: ['s3:ListBucket'],
    Resource: [bucketArn(partition, bucket)],
    // Without a prefix the whole bucket is the lake; with one, listing stays inside it.
    ...(prefix === ''
      ? {}
      : { Condition: { StringLike: { 's3:prefix': [`${iamLiteral(prefix)}*`] } } }),
  };
}

/** `exports/` for `/exports/`, `exports` or `exports/`; `''` for none. */
function objectPrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

// arn:<partition>:kms:<region>:<account>:alias/<name>
const ALIAS_ARN = /^arn:([^:]+):kms:([^:]+):([^:]+):(alias\/.+)$/;
const KMS_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/**
 * SSE-KMS with a customer key needs GenerateDataKey to write and Decrypt to read back (multipart
 * uploads and the lake's manifests). Without `kms_key_id` S3 uses the AWS-managed `aws/s3` key,
 * which needs no statement. A key ARN keeps its own partition; a key id or alias name is in
 * `s3_region` and its partition.
 */
function kmsStatement(config: S3DestinationConfig): IamStatement | undefined {
  const key = config.kms_key_id;
  if (config.server_side_encryption !== 'aws:kms' || key === '') return undefined;
  const region = config.s3_region;
  const partition = partitionOf(region);
  const alias = ALIAS_ARN.exec(key);
  if (alias !== null) {
    const [, aliasPartition = '', aliasRegion = '', account = '', name = ''] = alias;
    return aliasStatement(`arn:${aliasPartition}:kms:${aliasRegion}:${account}:key/*`, name);
  }
  if (key.startsWith('alias/'))
    return aliasStatement(`arn:${partition}:kms:${region}:*:key/*`, key);
  const resource = key.startsWith('arn:') ? key : `arn:${partition}:kms:${region}:*:key/${key}`;
  return { Sid: 'UseKmsKey', Effect: 'Allow', Action: KMS_ACTIONS, Resource: [resource] };
}

/**
 * An alias names no key in IAM (an alias ARN as Resource matches the alias itself, not its key):
 * allow the keys under `keys` that carry the alias `name` (`alias/ferry`).
 */
function aliasStatement(keys: string, name: string): IamStatement {
  return {
    Sid: 'UseKmsKey',
    Effect: 'Allow',
    Action: KMS_ACTIONS,
    Resource: [keys],
    Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [name] } },
  };
}
