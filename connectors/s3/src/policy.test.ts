import { validateConfig } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { destinationConfigSchema, type S3DestinationConfig } from './config.js';
import { destinationPolicy } from './policy.js';

function policyOf(config: object): ReturnType<typeof destinationPolicy> {
  const base = { s3_bucket: 'acme-lake', s3_region: 'eu-west-1' };
  return destinationPolicy(
    validateConfig<S3DestinationConfig>(destinationConfigSchema, { ...base, ...config }),
  );
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
        Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        Resource: ['arn:aws:s3:::acme-lake/exports/*'],
      },
    ]);
  });

  it('is the same for every spelling of the prefix and of the bucket', () => {
    const expected = policyOf({ s3_prefix: 'exports' });
    expect(policyOf({ s3_prefix: '/exports/' })).toEqual(expected);
    expect(policyOf({ s3_prefix: 'exports/' })).toEqual(expected);
    expect(policyOf({ s3_prefix: 'exports', s3_bucket: 's3://acme-lake' })).toEqual(expected);
  });

  it('covers the whole bucket without a prefix', () => {
    const [list, objects] = policyOf({});
    expect(list).not.toHaveProperty('Condition');
    expect(objects?.Resource).toEqual(['arn:aws:s3:::acme-lake/*']);
  });

  it('adds the KMS key for aws:kms with a key id, ARN or alias; nothing for the aws/s3 key', () => {
    const kms = (kms_key_id: string) =>
      policyOf({ server_side_encryption: 'aws:kms', kms_key_id })[2];
    const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(kms(arn)).toEqual({
      Sid: 'UseKmsKey',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: [arn],
    });
    expect(kms('1234abcd')?.Resource).toEqual(['arn:aws:kms:eu-west-1:*:key/1234abcd']);
    expect(kms('alias/exports')).toMatchObject({
      Resource: ['arn:aws:kms:eu-west-1:*:key/*'],
      Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/exports'] } },
    });
    expect(kms('')).toBeUndefined();
    expect(policyOf({ server_side_encryption: 'AES256' })).toHaveLength(2);
  });
});
