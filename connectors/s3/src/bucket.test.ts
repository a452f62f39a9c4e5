import { describe, expect, it } from 'vitest';
import { bucketName } from './bucket.js';
import { storeOptions } from './store.js';
import { BASE, issues, valid } from './test-config.js';

/** The issues of a config whose s3_bucket is `bucket`. */
function bucketIssues(bucket: string): ReturnType<typeof issues> {
  return issues({ ...BASE, s3_bucket: bucket });
}

const RULES = 'S3 bucket names have 3 to 63 lowercase letters, digits, dots and hyphens';

describe('s3_bucket', () => {
  it('accepts s3://name and a trailing slash, and strips only those', () => {
    expect(bucketName('s3://acme-lake')).toBe('acme-lake');
    expect(bucketName('s3://acme-lake/')).toBe('acme-lake');
    expect(bucketName('acme-lake')).toBe('acme-lake');
    for (const given of ['s3://acme-lake', 's3://acme-lake/', 'acme-lake/', 'acme.lake.2024']) {
      expect(bucketIssues(given), given).toEqual([]);
    }
    expect(storeOptions(valid({ ...BASE, s3_bucket: 's3://acme-lake/' })).bucket).toBe('acme-lake');
  });

  it('refuses a path after the bucket, pointing to s3_prefix', () => {
    expect(bucketIssues('s3://acme-lake/exports/2024')).toEqual([
      {
        pointer: '/s3_bucket',
        message:
          'names the bucket only; put the path in s3_prefix ("s3_bucket": "acme-lake", "s3_prefix": "exports/2024")',
      },
    ]);
    expect(bucketIssues('acme-lake/exports/')[0]?.message).toBe(
      'names the bucket only; put the path in s3_prefix ("s3_bucket": "acme-lake", "s3_prefix": "exports")',
    );
  });

  it('says which of S3 naming rules a name breaks, in one issue without the schema pattern', () => {
    const invalid = (reason: string) => [
      { pointer: '/s3_bucket', message: `is not a valid bucket name: ${reason}` },
    ];
    expect(bucketIssues('Ferry-Demo')).toEqual(invalid(`it has uppercase letters (${RULES})`));
    expect(bucketIssues('ferry_demo')).toEqual(invalid(`it has "_" (${RULES})`));
    expect(bucketIssues('Ferry_Demo 2')).toEqual(
      invalid(`it has uppercase letters, "_" and spaces (${RULES})`),
    );
    expect(bucketIssues('ab')).toEqual(invalid(`it has 2 characters (${RULES})`));
    expect(bucketIssues('a'.repeat(64))).toEqual(invalid(`it has 64 characters (${RULES})`));
    expect(bucketIssues('-acme')).toEqual(invalid('it must start and end with a letter or digit'));
    expect(bucketIssues('acme.')).toEqual(invalid('it must start and end with a letter or digit'));
    expect(bucketIssues('a..b')).toEqual(invalid('it contains ".."'));
    expect(bucketIssues('10.0.0.1')).toEqual(invalid('it has the form of an IP address'));
    expect(bucketIssues('s3:/acme')).toEqual(invalid(`it has ":" (${RULES})`));
    expect(bucketIssues('')).toEqual([
      { pointer: '/s3_bucket', message: 'has no bucket name; give one such as "acme-analytics"' },
    ]);
  });

  it('answers an ARN with the name to write instead', () => {
    expect(bucketIssues('arn:aws:s3:::ferry-demo')).toEqual([
      {
        pointer: '/s3_bucket',
        message: 'is an ARN; give the name of the bucket alone ("s3_bucket": "ferry-demo")',
      },
    ]);
    expect(bucketIssues('arn:aws-cn:s3:::ferry-demo/exports/*')[0]?.message).toBe(
      'is an ARN; give the name of the bucket alone ("s3_bucket": "ferry-demo", "s3_prefix": "exports")',
    );
    expect(bucketIssues('arn:aws:s3:eu-west-1:111122223333:accesspoint/lake')[0]?.message).toBe(
      'is an ARN; give the name of the bucket alone, such as "acme-analytics"',
    );
  });

  it('answers an S3 URL with the name (and prefix) to write instead', () => {
    const message = (url: string) => bucketIssues(url)[0]?.message;
    expect(bucketIssues('https://ferry-demo.s3.amazonaws.com')).toEqual([
      {
        pointer: '/s3_bucket',
        message: 'is a URL; give the name of the bucket alone ("s3_bucket": "ferry-demo")',
      },
    ]);
    expect(message('https://ferry-demo.s3.eu-west-1.amazonaws.com/exports/')).toBe(
      'is a URL; give the name of the bucket alone ("s3_bucket": "ferry-demo", "s3_prefix": "exports")',
    );
    expect(message('https://s3.cn-north-1.amazonaws.com.cn/ferry-demo')).toBe(
      'is a URL; give the name of the bucket alone ("s3_bucket": "ferry-demo")',
    );
    expect(message('http://localhost:9000/lake/exports')).toBe(
      'is a URL; put the server\'s URL in endpoint and the name of the bucket here ("endpoint": "http://localhost:9000", "s3_bucket": "lake", "s3_prefix": "exports")',
    );
    expect(message('https://acct.r2.cloudflarestorage.com')).toBe(
      'is a URL; give the name of the bucket alone, such as "acme-analytics" (the URL of an S3-compatible server goes in endpoint)',
    );
  });
});
