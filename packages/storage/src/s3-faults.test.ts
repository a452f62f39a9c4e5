// What s3rver cannot do or show, covered by the recording, fault-injecting proxy in front of it:
// throttling and 5xx answers, connection resets, AbortMultipartUpload (s3rver answers 405, so
// only the request is checked) and SSE headers (s3rver ignores them and echoes nothing back).
import { TransientError } from '@ferry/core';
import type { RecordedRequest } from '@ferry/testkit';
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { bodyOf, readAll } from './test-helpers.js';
import { useS3 } from './test-s3.js';

const BUCKET = 'faults';
const MiB = 1024 * 1024;
const s3 = useS3(BUCKET, { maxAttempts: 4, baseDelayMs: 1 });
beforeEach(() => {
  s3.proxy.reset();
});

const isPut = (r: RecordedRequest) => r.method === 'PUT';
const isList = (r: RecordedRequest) => r.method === 'GET' && r.url.includes('list-type=2');

describe('S3Store retries (gap: s3rver never throttles, fails or drops connections)', () => {
  it.each(['slow-down', 'slow-down-bare', 'reset'] as const)(
    'retries a put through %s and stores the object once',
    async (fault) => {
      s3.proxy.inject({ fault, times: 2, match: isPut });
      const store = s3.store();
      await store.put('retried.txt', Buffer.from('hello'));
      expect(s3.proxy.requests.filter(isPut).map((r) => r.fault ?? 'forwarded')).toEqual([
        fault,
        fault,
        'forwarded',
      ]);
      expect((await readAll(await store.get('retried.txt'))).toString()).toBe('hello');
    },
  );

  it('retries a listing under throttling', async () => {
    const store = s3.store({ prefix: 'listed' });
    await store.put('a', Buffer.from('a'));
    s3.proxy.inject({ fault: 'slow-down', times: 3, match: isList });
    expect((await store.list()).objects.map((o) => o.key)).toEqual(['a']);
  });

  it('gives up after maxAttempts with a TransientError naming the operation', async () => {
    s3.proxy.inject({ fault: 'slow-down', times: Infinity, match: isPut });
    const put = s3.store().put('never.txt', Buffer.from('x'));
    await expect(put).rejects.toThrow(TransientError);
    await expect(put).rejects.toThrow(
      'writing s3://faults/never.txt: throttled by S3 (SlowDown) (SlowDown, HTTP 503, 4 attempts)',
    );
    expect(s3.proxy.requests.filter(isPut)).toHaveLength(4);
  });

  it('gives up on a bare 503 and on resets as a TransientError too', async () => {
    s3.proxy.inject({ fault: 'slow-down-bare', times: Infinity, match: isList });
    await expect(s3.store().list()).rejects.toThrow(TransientError);
    s3.proxy.reset();
    s3.proxy.inject({ fault: 'reset', times: Infinity, match: isList });
    await expect(s3.store().list()).rejects.toThrow(/^listing s3:\/\/faults: connection lost/);
  });

  it('retries only the failed part of a multipart upload', async () => {
    const bytes = randomBytes(10 * MiB + 1);
    s3.proxy.inject({ fault: 'reset', times: 1, match: (r) => r.url.includes('partNumber=2') });
    const store = s3.store({ partSizeBytes: 5 * MiB, queueSize: 1 });
    await store.put('parts.bin', bodyOf([bytes.subarray(0, 6 * MiB), bytes.subarray(6 * MiB)]));
    const parts = s3.proxy.requests.filter((r) => r.url.includes('partNumber='));
    expect(parts.map((r) => /partNumber=(\d+)/.exec(r.url)?.[1])).toEqual(['1', '2', '2', '3']);
    expect((await readAll(await store.get('parts.bin'))).equals(bytes)).toBe(true);
  });

  it('aborts the multipart upload when a part fails for good (gap: s3rver answers 405)', async () => {
    s3.proxy.inject({
      fault: 'slow-down',
      times: Infinity,
      match: (r) => r.url.includes('partNumber='),
    });
    const store = s3.store({ partSizeBytes: 5 * MiB, queueSize: 1 });
    const put = store.put('failed.bin', bodyOf([randomBytes(6 * MiB)]));
    await expect(put).rejects.toThrow(/^writing s3:\/\/faults\/failed\.bin: throttled by S3/);
    const aborts = s3.proxy.requests.filter(
      (r) => r.method === 'DELETE' && r.url.includes('uploadId='),
    );
    expect(aborts).toHaveLength(1);
    expect(await store.head('failed.bin')).toBeUndefined();
  });
});

describe('S3Store server-side encryption (gap: s3rver ignores SSE headers)', () => {
  const sseHeaders = (r: RecordedRequest) => [
    r.headers['x-amz-server-side-encryption'],
    r.headers['x-amz-server-side-encryption-aws-kms-key-id'],
  ];

  it('sends aws:kms with the key id on a single PUT', async () => {
    const store = s3.store({ sse: { type: 'aws:kms', kmsKeyId: 'arn:aws:kms:eu-west-1:1:key/k' } });
    await store.put('kms.txt', Buffer.from('x'));
    expect(s3.proxy.requests.filter(isPut).map(sseHeaders)).toEqual([
      ['aws:kms', 'arn:aws:kms:eu-west-1:1:key/k'],
    ]);
  });

  it('sends AES256 on CreateMultipartUpload', async () => {
    const store = s3.store({ sse: { type: 'AES256' }, partSizeBytes: 5 * MiB });
    await store.put('aes.bin', bodyOf([randomBytes(6 * MiB)]));
    const create = s3.proxy.requests.filter(
      (r) => r.method === 'POST' && r.url.includes('uploads'),
    );
    expect(create.map(sseHeaders)).toEqual([['AES256', undefined]]);
  });
});

describe('S3Store request headers (gap: s3rver ignores tokens and checksums)', () => {
  it('sends the session token, and no flexible checksum to a custom endpoint', async () => {
    const credentials = { ...s3.server.credentials, sessionToken: 'token-123' };
    await s3.store({ credentials }).put('token.txt', Buffer.from('x'));
    const [put] = s3.proxy.requests.filter(isPut);
    expect(put?.headers['x-amz-security-token']).toBe('token-123');
    const checksums = Object.keys(put?.headers ?? {}).filter((h) => h.includes('checksum'));
    expect(checksums).toEqual([]);
  });
});

describe('S3Store DeleteObjects to a custom endpoint (gap: s3rver does not require Content-MD5)', () => {
  const isDelete = (r: RecordedRequest) => r.method === 'POST' && /[?&]delete/.test(r.url);

  it('sends the Content-MD5 of the body and no flexible checksum, as older MinIO and Ceph need', async () => {
    const store = s3.store({ prefix: 'md5' });
    await store.put('a', Buffer.from('a'));
    await store.put('b/c', Buffer.from('c'));
    // Gap: s3rver deletes the keys of one request concurrently, and each removes parent
    // directories it finds empty; two keys emptying the same parent race (a 500, then the SDK's
    // retry). An object left in `md5/` keeps that parent, so exactly one request is expected.
    await store.put('keep', Buffer.from('k'));
    // The proxy answers 400 MissingContentMD5 or BadDigest unless Content-MD5 is the body's MD5.
    s3.proxy.inject({ fault: 'require-md5', times: Infinity, match: isDelete });
    await store.delete(['a', 'b/c']);
    const deletes = s3.proxy.requests.filter(isDelete);
    expect(deletes.map((r) => r.fault ?? 'forwarded')).toEqual(['forwarded']);
    const headers = Object.keys(deletes[0]?.headers ?? {});
    expect(headers).toContain('content-md5');
    expect(
      headers.filter((h) => h.startsWith('x-amz-checksum-') || h.includes('sdk-checksum')),
    ).toEqual([]);
    expect((await store.list()).objects.map((o) => o.key)).toEqual(['keep']);
  });
});
