import { ConfigError, validateConfig } from '@ferry/core';
import { S3Store } from '@ferry/storage';
import { describe, expect, it } from 'vitest';
import {
  bucketName,
  destinationConfigSchema,
  validateDestinationConfig,
  type S3DestinationConfig,
} from './config.js';
import { storeOptions } from './store.js';

const BASE = { s3_bucket: 'acme-lake', s3_region: 'eu-west-1' };

/** Validates as the runner does: schema (defaults applied), then the `validate` hook. */
function valid(config: Record<string, unknown>): S3DestinationConfig {
  const result = validateConfig<S3DestinationConfig>(destinationConfigSchema, config);
  validateDestinationConfig(result);
  return result;
}

function issues(config: unknown): { pointer: string; message: string }[] {
  try {
    valid(config as Record<string, unknown>);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  return [];
}

describe('s3 destination config', () => {
  it('needs a bucket and a region; everything else has a default', () => {
    expect(valid(BASE)).toEqual({
      ...BASE,
      s3_prefix: '',
      aws_access_key_id: '',
      aws_secret_access_key: '',
      aws_session_token: '',
      endpoint: '',
      force_path_style: false,
      server_side_encryption: 'none',
      kms_key_id: '',
      layout: 'pontoon',
      format: 'parquet',
      compression: 'auto',
      max_rows_per_file: 10_000_000,
      max_bytes_per_file: 268_435_456,
      flush_interval_s: 300,
    });
    expect(issues({})).toEqual([
      { pointer: '/s3_bucket', message: 'is required' },
      { pointer: '/s3_region', message: 'is required' },
    ]);
  });

  it('reads "/exports/", "exports/" and "exports" as one prefix', () => {
    const locations = ['/exports/', 'exports/', 'exports', '//exports//'].map(
      (prefix) => new S3Store(storeOptions(valid({ ...BASE, s3_prefix: prefix }))).location,
    );
    expect(new Set(locations)).toEqual(new Set(['s3://acme-lake/exports']));
    expect(new S3Store(storeOptions(valid(BASE))).location).toBe('s3://acme-lake');
  });

  it('accepts s3://name as the bucket name, and only strips the scheme', () => {
    expect(bucketName('s3://acme-lake')).toBe('acme-lake');
    expect(bucketName('acme-lake')).toBe('acme-lake');
    expect(storeOptions(valid({ ...BASE, s3_bucket: 's3://acme-lake' })).bucket).toBe('acme-lake');
  });

  it('refuses a path after the bucket, pointing to s3_prefix', () => {
    expect(issues({ ...BASE, s3_bucket: 's3://acme-lake/exports/2024' })).toEqual([
      {
        pointer: '/s3_bucket',
        message:
          'names the bucket only; put the path in s3_prefix ("s3_bucket": "acme-lake", "s3_prefix": "exports/2024")',
      },
    ]);
    expect(issues({ ...BASE, s3_bucket: 'acme-lake/exports' })[0]?.pointer).toBe('/s3_bucket');
  });

  it('refuses bucket names S3 refuses', () => {
    for (const bad of ['Acme', 'ab', 'a_b_c', '-acme', 'acme-', 's3:/acme', 'a..b', '10.0.0.1']) {
      expect(issues({ ...BASE, s3_bucket: bad }), bad).toMatchObject([{ pointer: '/s3_bucket' }]);
    }
  });

  it('refuses a URL as prefix', () => {
    expect(issues({ ...BASE, s3_prefix: 's3://acme-lake/exports' })).toMatchObject([
      { pointer: '/s3_prefix' },
    ]);
  });

  it('takes static credentials only as key id and secret together', () => {
    expect(issues({ ...BASE, aws_access_key_id: 'AKIA' })).toMatchObject([
      { pointer: '/aws_secret_access_key' },
    ]);
    expect(issues({ ...BASE, aws_secret_access_key: 's' })).toMatchObject([
      { pointer: '/aws_secret_access_key' },
    ]);
    expect(issues({ ...BASE, aws_session_token: 't' })).toMatchObject([
      { pointer: '/aws_session_token' },
    ]);
    const credentials = { aws_access_key_id: 'AKIA', aws_secret_access_key: 's' };
    expect(storeOptions(valid({ ...BASE, ...credentials })).credentials).toEqual({
      accessKeyId: 'AKIA',
      secretAccessKey: 's',
    });
    expect(storeOptions(valid(BASE)).credentials).toBeUndefined();
  });

  it('maps encryption, and takes kms_key_id only with aws:kms', () => {
    expect(storeOptions(valid(BASE)).sse).toBeUndefined();
    expect(storeOptions(valid({ ...BASE, server_side_encryption: 'AES256' })).sse).toEqual({
      type: 'AES256',
    });
    const kms = { server_side_encryption: 'aws:kms', kms_key_id: 'alias/ferry' };
    expect(storeOptions(valid({ ...BASE, ...kms })).sse).toEqual({
      type: 'aws:kms',
      kmsKeyId: 'alias/ferry',
    });
    expect(issues({ ...BASE, kms_key_id: 'alias/ferry' })).toMatchObject([
      { pointer: '/kms_key_id' },
    ]);
  });

  it('passes an endpoint and path-style addressing through, and refuses a non-URL', () => {
    const options = storeOptions(
      valid({ ...BASE, endpoint: 'http://localhost:9000', force_path_style: true }),
    );
    expect(options).toMatchObject({ endpoint: 'http://localhost:9000', forcePathStyle: true });
    expect(storeOptions(valid(BASE)).endpoint).toBeUndefined();
    expect(issues({ ...BASE, endpoint: 'localhost:9000' })).toMatchObject([
      { pointer: '/endpoint' },
    ]);
  });
});
