import { validateConfig } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { partitionOf } from './arn.js';
import { destinationConfigSchema, type S3DestinationConfig } from './config.js';
import { destinationPolicy, sourcePolicy } from './policy.js';

function policyOf(config: object): ReturnType<typeof destinationPolicy> {
  const base = { s3_bucket: 'acme-lake', s3_region: 'eu-west-1' };
  return destinationPolicy(
    validateConfig<S3DestinationConfig>(destinationConfigSchema, { ...base, ...config }),
  );
}

const OBJECT_ACTIONS = [
  's3:PutObject',
  's3:GetObject',
  's3:DeleteObject',
  's3:AbortMultipartUpload',
];
const KMS_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/** The statement for SSE-KMS with `kms_key_id`, in `s3_region` (eu-west-1 unless given). */
function kmsOf(kms_key_id: string, s3_region = 'eu-west-1') {
  return policyOf({ server_side_encryption: 'aws:kms', kms_key_id, s3_region })[2];
}

describe('iamPolicy of the s3 destination', () => {
  it('lists only under the prefix and writes only objects under it', () => {
    expect(policyOf({ s3_prefix: 'exports' })).toEqual([
      {
        Sid: 'ListPrefix',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: ['arn:aws:s3:::acme-lake'],
        Condition: { StringLike: { 's3:prefix': ['exports/*'] } },
      },
      {
        Sid: 'WriteObjects',
        Effect: 'Allow',
        Action: OBJECT_ACTIONS,
        Resource: ['arn:aws:s3:::acme-lake/exports/*'],
      },
    ]);
  });

  it('is the same for every spelling of the prefix and of the bucket', () => {
    const expected = policyOf({ s3_prefix: 'exports' });
    expect(policyOf({ s3_prefix: '/exports/' })).toEqual(expected);
    expect(policyOf({ s3_prefix: 'exports/' })).toEqual(expected);
    expect(policyOf({ s3_prefix: 'exports', s3_bucket: 's3://acme-lake' })).toEqual(expected);
    expect(policyOf({ s3_prefix: 'exports', s3_bucket: 's3://acme-lake/' })).toEqual(expected);
  });

  it('covers the whole bucket without a prefix', () => {
    const [list, objects] = policyOf({});
    expect(list).not.toHaveProperty('Condition');
    expect(objects?.Resource).toEqual(['arn:aws:s3:::acme-lake/*']);
  });

  it("takes IAM's wildcards and variables in the prefix literally", () => {
    // S3 keys may hold *, ? and $; unescaped, "ex*ports" would also grant "exfiltrated-ports".
    expect(policyOf({ s3_prefix: '/ex*ports/a?b$c/' })).toEqual([
      {
        Sid: 'ListPrefix',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: ['arn:aws:s3:::acme-lake'],
        Condition: { StringLike: { 's3:prefix': ['ex${*}ports/a${?}b${$}c/*'] } },
      },
      {
        Sid: 'WriteObjects',
        Effect: 'Allow',
        Action: OBJECT_ACTIONS,
        Resource: ['arn:aws:s3:::acme-lake/ex${*}ports/a${?}b${$}c/*'],
      },
    ]);
    expect(policyOf({ s3_prefix: 'tenants/${aws:username}' })[1]?.Resource).toEqual([
      'arn:aws:s3:::acme-lake/tenants/${$}{aws:username}/*',
    ]);
  });

  it('keeps the reference of an unset variable, so that ferry policy can name the variable', () => {
    // ferry policy leaves `${env:NAME}` for unset variables and refuses a policy that names one.
    expect(policyOf({ s3_prefix: '${env:FERRY_PREFIX}/x*' })[1]?.Resource).toEqual([
      'arn:aws:s3:::acme-lake/${env:FERRY_PREFIX}/x${*}/*',
    ]);
  });

  it('puts an unset region in the ARNs, since their partition depends on it', () => {
    expect(policyOf({ s3_region: '${env:AWS_REGION}' })[0]?.Resource).toEqual([
      'arn:${env:AWS_REGION}:s3:::acme-lake',
    ]);
  });

  it('writes ARNs in the partition of s3_region', () => {
    expect(policyOf({ s3_prefix: 'exports', s3_region: 'cn-north-1' })).toEqual([
      {
        Sid: 'ListPrefix',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: ['arn:aws-cn:s3:::acme-lake'],
        Condition: { StringLike: { 's3:prefix': ['exports/*'] } },
      },
      {
        Sid: 'WriteObjects',
        Effect: 'Allow',
        Action: OBJECT_ACTIONS,
        Resource: ['arn:aws-cn:s3:::acme-lake/exports/*'],
      },
    ]);
    const partitions = {
      'us-east-1': 'aws',
      'eu-west-1': 'aws',
      'cn-northwest-1': 'aws-cn',
      'us-gov-west-1': 'aws-us-gov',
      'us-iso-east-1': 'aws-iso',
      'us-isob-east-1': 'aws-iso-b',
      'eu-isoe-west-1': 'aws-iso-e',
      'us-isof-south-1': 'aws-iso-f',
      'eusc-de-east-1': 'aws-eusc',
      auto: 'aws',
      default: 'aws',
    };
    for (const [region, partition] of Object.entries(partitions)) {
      expect(partitionOf(region), region).toBe(partition);
    }
  });

  it('adds the KMS key for aws:kms with a key id or key ARN; nothing for the aws/s3 key', () => {
    const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(kmsOf(arn)).toEqual({
      Sid: 'UseKmsKey',
      Effect: 'Allow',
      Action: KMS_ACTIONS,
      Resource: [arn],
    });
    expect(kmsOf('1234abcd')).toEqual({
      Sid: 'UseKmsKey',
      Effect: 'Allow',
      Action: KMS_ACTIONS,
      Resource: ['arn:aws:kms:eu-west-1:*:key/1234abcd'],
    });
    expect(kmsOf('')).toBeUndefined();
    expect(policyOf({ server_side_encryption: 'AES256' })).toHaveLength(2);
  });

  it('allows the keys carrying an alias, given as alias name or alias ARN', () => {
    expect(kmsOf('alias/exports')).toEqual({
      Sid: 'UseKmsKey',
      Effect: 'Allow',
      Action: KMS_ACTIONS,
      Resource: ['arn:aws:kms:eu-west-1:*:key/*'],
      Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/exports'] } },
    });
    // An alias ARN as Resource would match the alias, not its key: AWS would deny the writes.
    expect(kmsOf('arn:aws:kms:eu-central-1:111122223333:alias/ferry')).toEqual({
      Sid: 'UseKmsKey',
      Effect: 'Allow',
      Action: KMS_ACTIONS,
      Resource: ['arn:aws:kms:eu-central-1:111122223333:key/*'],
      Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/ferry'] } },
    });
  });

  it('puts a key id or alias name in the partition of s3_region; a key ARN keeps its own', () => {
    expect(kmsOf('1234abcd', 'cn-north-1')?.Resource).toEqual([
      'arn:aws-cn:kms:cn-north-1:*:key/1234abcd',
    ]);
    expect(kmsOf('alias/ferry', 'us-gov-west-1')?.Resource).toEqual([
      'arn:aws-us-gov:kms:us-gov-west-1:*:key/*',
    ]);
    const govKey = 'arn:aws-us-gov:kms:us-gov-east-1:111122223333:key/1234abcd';
    expect(kmsOf(govKey, 'us-east-1')?.Resource).toEqual([govKey]);
    const govAlias = 'arn:aws-us-gov:kms:us-gov-east-1:111122223333:alias/ferry';
    expect(kmsOf(govAlias, 'us-east-1')?.Resource).toEqual([
      'arn:aws-us-gov:kms:us-gov-east-1:111122223333:key/*',
    ]);
  });

  it('gives the source list and read permissions on its schema prefix only', () => {
    const config = validateConfig<S3DestinationConfig>(destinationConfigSchema, {
      s3_bucket: 's3://acme-lake',
      s3_prefix: '/warehouse/',
      s3_region: 'eu-west-1',
    });
    expect(sourcePolicy(config)).toEqual([
      {
        Sid: 'ListPrefix',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: ['arn:aws:s3:::acme-lake'],
        Condition: { StringLike: { 's3:prefix': ['warehouse/*'] } },
      },
      {
        Sid: 'ReadObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: ['arn:aws:s3:::acme-lake/warehouse/*'],
      },
    ]);
  });
});
