import { S3Store } from '@ferry/storage';
import { describe, expect, it } from 'vitest';
import { storeOptions } from './store.js';
import { BASE, issues, valid } from './test-config.js';

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

  it('refuses a URL as prefix', () => {
    expect(issues({ ...BASE, s3_prefix: 's3://acme-lake/exports' })).toEqual([
      {
        pointer: '/s3_prefix',
        message: 'is a key prefix inside the bucket, not a URL (put the bucket name in s3_bucket)',
      },
    ]);
  });

  it('refuses a prefix of only whitespace, or with a part padded by whitespace', () => {
    expect(issues({ ...BASE, s3_prefix: '  ' })).toEqual([
      {
        pointer: '/s3_prefix',
        message: 'is only whitespace; leave it empty to write at the root of the bucket',
      },
    ]);
    expect(issues({ ...BASE, s3_prefix: 'exports /2024' })).toEqual([
      {
        pointer: '/s3_prefix',
        message:
          'has whitespace at the start or end of "exports ", which S3 would keep in every key; remove it',
      },
    ]);
    expect(issues({ ...BASE, s3_prefix: '/exports/\n' })[0]?.pointer).toBe('/s3_prefix');
    expect(issues({ ...BASE, s3_prefix: 'ferry exports/2024' })).toEqual([]);
  });

  it('takes a region name of lowercase letters, digits and hyphens', () => {
    for (const region of ['us-east-1', 'cn-north-1', 'auto', 'default']) {
      expect(issues({ ...BASE, s3_region: region }), region).toEqual([]);
    }
    const message =
      's3_region is a region name of lowercase letters, digits and hyphens, such as "eu-west-1" (or "auto" for R2)';
    // The SDK refuses "_" in a region; AWS signs lowercase names.
    const bad = [
      'eu west 1',
      '',
      'eu-west-1 ',
      'https://s3.eu-west-1.amazonaws.com',
      'my_region',
      'US-EAST-1',
    ];
    for (const region of bad) {
      expect(issues({ ...BASE, s3_region: region }), region).toEqual([
        { pointer: '/s3_region', message },
      ]);
    }
  });

  it('lets an unset variable through in the region, where ferry policy leaves its reference', () => {
    // ferry policy validates with `${env:NAME}` kept for unset variables, then asks for those its
    // policy depends on (the region picks the partition); the same holds for the endpoint.
    expect(issues({ ...BASE, s3_region: '${env:AWS_REGION}' })).toEqual([]);
    expect(issues({ ...BASE, endpoint: '${env:S3_ENDPOINT}' })).toEqual([]);
    expect(issues({ ...BASE, s3_region: '${env:AWS_REGION' })[0]?.pointer).toBe('/s3_region');
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

  it('needs the session token of temporary (ASIA) credentials', () => {
    const temporary = { aws_access_key_id: 'ASIAIOSFODNN7EXAMPLE', aws_secret_access_key: 's' };
    const message =
      'Temporary credentials (an aws_access_key_id starting with ASIA) need their aws_session_token';
    expect(issues({ ...BASE, ...temporary })).toEqual([{ pointer: '/aws_session_token', message }]);
    expect(issues({ ...BASE, ...temporary, aws_session_token: '' })).toEqual([
      { pointer: '/aws_session_token', message },
    ]);
    expect(
      storeOptions(valid({ ...BASE, ...temporary, aws_session_token: 't' })).credentials,
    ).toEqual({ accessKeyId: 'ASIAIOSFODNN7EXAMPLE', secretAccessKey: 's', sessionToken: 't' });
    // Long-lived keys (AKIA) need none; a key id from a variable is checked once substituted.
    expect(
      issues({ ...BASE, aws_access_key_id: 'AKIAIOSFODNN7EXAMPLE', aws_secret_access_key: 's' }),
    ).toEqual([]);
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

  it('passes an endpoint and path-style addressing through', () => {
    const options = storeOptions(
      valid({ ...BASE, endpoint: 'http://localhost:9000', force_path_style: true }),
    );
    expect(options).toMatchObject({ endpoint: 'http://localhost:9000', forcePathStyle: true });
    expect(storeOptions(valid(BASE)).endpoint).toBeUndefined();
  });

  it('explains an endpoint that is not an http(s) URL', () => {
    const endpoint = (value: string) => issues({ ...BASE, endpoint: value });
    expect(endpoint('127.0.0.1:9000')).toEqual([
      {
        pointer: '/endpoint',
        message:
          'needs http:// or https:// in front ("http://127.0.0.1:9000" for a server without TLS)',
      },
    ]);
    expect(endpoint('s3://minio:9000')).toEqual([
      {
        pointer: '/endpoint',
        message: 'starts with s3://; an endpoint is an http:// or https:// URL',
      },
    ]);
    expect(endpoint('http://minio :9000')).toEqual([
      { pointer: '/endpoint', message: 'is not a URL: it contains whitespace' },
    ]);
    expect(endpoint('http://')).toEqual([{ pointer: '/endpoint', message: 'is not a valid URL' }]);
    expect(endpoint('HTTPS://minio.internal:9000')).toEqual([]);
  });
});
