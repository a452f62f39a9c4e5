import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Proxy, type S3Proxy } from './s3-proxy.js';
import { startS3Server, type S3Server } from './s3.js';

// s3rver lets unsigned requests through, so plain fetch exercises the server and the proxy.
describe('startS3Server and startS3Proxy', () => {
  let server: S3Server;
  let proxy: S3Proxy;
  beforeAll(async () => {
    server = await startS3Server({ buckets: ['kit'] });
    proxy = await startS3Proxy(server.endpoint);
  });
  afterAll(async () => {
    await proxy.close();
    await server.close();
    await server.close(); // twice is fine
  });

  it('serves a bucket on 127.0.0.1 and creates buckets idempotently', async () => {
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await server.createBucket('kit');
    const put = await fetch(`${server.endpoint}/kit/a.txt`, { method: 'PUT', body: 'hi' });
    expect(put.status).toBe(200);
    expect(await (await fetch(`${server.endpoint}/kit/a.txt`)).text()).toBe('hi');
  });

  it('forwards and records requests, and injects a fault into matching ones', async () => {
    proxy.inject({ fault: 'slow-down', match: (r) => r.method === 'GET' });
    const throttled = await fetch(`${proxy.endpoint}/kit/a.txt`, { headers: { 'x-test': '1' } });
    expect(throttled.status).toBe(503);
    expect(await throttled.text()).toContain('<Code>SlowDown</Code>');
    const answer = await fetch(`${proxy.endpoint}/kit/a.txt`);
    expect(await answer.text()).toBe('hi');
    expect(proxy.requests.map((r) => [r.method, r.url, r.fault])).toEqual([
      ['GET', '/kit/a.txt', 'slow-down'],
      ['GET', '/kit/a.txt', undefined],
    ]);
    expect(proxy.requests[0]?.headers['x-test']).toBe('1');
  });

  it('resets the connection for a reset fault', async () => {
    proxy.inject({ fault: 'reset' });
    await expect(fetch(`${proxy.endpoint}/kit/a.txt`)).rejects.toThrow();
  });

  it('answers a dropped PutObject with 200 and an ETag, storing nothing', async () => {
    proxy.inject({ fault: 'drop' });
    expect(await (await fetch(`${proxy.endpoint}/kit/a.txt`)).text()).toBe('hi');
    const part = `${proxy.endpoint}/kit/part.bin?partNumber=1&uploadId=u`;
    await fetch(part, { method: 'PUT', body: 'p' });
    const put = await fetch(`${proxy.endpoint}/kit/dropped.txt`, { method: 'PUT', body: 'lost' });
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await fetch(`${server.endpoint}/kit/dropped.txt`)).status).toBe(404);
    // A rule matching everything: the GET and the UploadPart do not qualify for `drop`.
    expect(proxy.requests.slice(-3).map((r) => [r.method, r.fault])).toEqual([
      ['GET', undefined],
      ['PUT', undefined],
      ['PUT', 'drop'],
    ]);
  });

  it('answers requests signed for another region than bucketRegion as S3 does', async () => {
    const regional = await startS3Proxy(server.endpoint, { bucketRegion: 'eu-west-1' });
    try {
      const scope = (region: string) =>
        `AWS4-HMAC-SHA256 Credential=S3RVER/20261122/${region}/s3/aws4_request, SignedHeaders=host, Signature=00`;
      const wrong = await fetch(`${regional.endpoint}/kit/a.txt`, {
        headers: { authorization: scope('us-east-1') },
      });
      expect(wrong.status).toBe(400);
      expect(wrong.headers.get('x-amz-bucket-region')).toBe('eu-west-1');
      const body = await wrong.text();
      expect(body).toContain('<Code>AuthorizationHeaderMalformed</Code>');
      expect(body).toContain('<Region>eu-west-1</Region>');
      const head = await fetch(`${regional.endpoint}/kit/a.txt`, {
        method: 'HEAD',
        headers: { authorization: scope('us-west-2') },
      });
      expect([head.status, head.headers.get('x-amz-bucket-region')]).toEqual([400, 'eu-west-1']);
      // Unsigned requests name no region: they go through (s3rver accepts them).
      expect(await (await fetch(`${regional.endpoint}/kit/a.txt`)).text()).toBe('hi');
      expect(regional.requests).toHaveLength(3);
    } finally {
      await regional.close();
    }
  });

  it('answers reads of missing objects with 403 when told to, as S3 does without ListBucket', async () => {
    const hiding = await startS3Proxy(server.endpoint, { missingObjects: 'access-denied' });
    try {
      const missing = await fetch(`${hiding.endpoint}/kit/nothing-here.txt`);
      expect(missing.status).toBe(403);
      expect(await missing.text()).toContain('<Code>AccessDenied</Code>');
      const head = await fetch(`${hiding.endpoint}/kit/nothing-here.txt`, { method: 'HEAD' });
      expect(head.status).toBe(403);
      // What exists is served, and a listing that finds nothing is still a listing.
      expect(await (await fetch(`${hiding.endpoint}/kit/a.txt`)).text()).toBe('hi');
      const listing = await fetch(`${hiding.endpoint}/kit?list-type=2&prefix=nothing`);
      expect(listing.status).toBe(200);
    } finally {
      await hiding.close();
    }
  });

  it('answers a DeleteObjects without the right Content-MD5 as older MinIO does (require-md5)', async () => {
    await fetch(`${server.endpoint}/kit/md5.txt`, { method: 'PUT', body: 'x' });
    const isDelete = (r: { method: string; url: string }) =>
      r.method === 'POST' && /[?&]delete/.test(r.url);
    proxy.inject({ fault: 'require-md5', times: 3, match: isDelete });
    const body = '<Delete><Object><Key>md5.txt</Key></Object><Quiet>true</Quiet></Delete>';
    const md5 = createHash('md5').update(body).digest('base64');
    const remove = (headers: Record<string, string>) =>
      fetch(`${proxy.endpoint}/kit?delete`, { method: 'POST', body, headers });
    const missing = await remove({});
    expect([missing.status, await missing.text()]).toEqual([
      400,
      expect.stringContaining('<Code>MissingContentMD5</Code>'),
    ]);
    const wrong = await remove({
      'content-md5': createHash('md5').update('other').digest('base64'),
    });
    expect([wrong.status, await wrong.text()]).toEqual([
      400,
      expect.stringContaining('<Code>BadDigest</Code>'),
    ]);
    expect((await fetch(`${server.endpoint}/kit/md5.txt`)).status).toBe(200);
    const right = await remove({ 'content-md5': md5 });
    expect(right.status).toBe(200);
    expect((await fetch(`${server.endpoint}/kit/md5.txt`)).status).toBe(404);
    expect(proxy.requests.slice(-3).map((r) => r.fault)).toEqual([
      'require-md5',
      'require-md5',
      undefined,
    ]);
  });
});
