import { ConnectionError, InternalError, TransientError } from '@ferry/core';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { S3StoreOptions } from './s3-options.js';
import { s3Error } from './s3-errors.js';
import { JitteredRetryStrategy } from './s3-retry.js';
import { S3Store } from './s3-store.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function store(options: Partial<S3StoreOptions>): S3Store {
  return new S3Store({
    bucket: 'b',
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: SECRET },
    retry: { maxAttempts: 4, baseDelayMs: 1 },
    ...options,
  });
}

async function failure(operation: Promise<unknown>): Promise<Error> {
  const error: unknown = await operation.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  expect((error as Error).message).not.toContain(SECRET);
  return error as Error;
}

// Gap: s3rver never refuses a request with these codes (an S3-compatible store rejecting an SSE
// or checksum header, an operation it lacks, a request ferry framed badly), and the proxy only
// throttles; a tiny HTTP server answers each listing with a canned S3 error.
describe('S3Store errors for refused requests', () => {
  let answer: { status: number; code: string } = { status: 400, code: 'InvalidRequest' };
  let requests = 0;
  let server: Server;
  let endpoint = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests += 1;
      req.resume();
      res.writeHead(answer.status, { 'content-type': 'application/xml' });
      // S3's own message is never repeated: it may echo request details.
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${answer.code}</Code>` +
          '<Message>S3 says: header x-amz-secret-detail rejected</Message></Error>',
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it.each([
    {
      status: 400,
      code: 'InvalidRequest',
      type: ConnectionError,
      text: 'the store refused the request',
    },
    {
      status: 400,
      code: 'InvalidArgument',
      type: ConnectionError,
      text: 'the store refused the request',
    },
    {
      status: 405,
      code: 'MethodNotAllowed',
      type: ConnectionError,
      text: 'the store refused the request',
    },
    {
      status: 400,
      code: 'SomethingNew',
      type: ConnectionError,
      text: 'the store refused the request',
    },
    {
      status: 501,
      code: 'NotImplemented',
      type: ConnectionError,
      text: 'the store does not support this request',
    },
    {
      status: 400,
      code: 'MalformedXML',
      type: InternalError,
      text: 'the request body was malformed',
    },
  ])(
    'makes $status $code a $type.name, without retry or S3 message',
    async ({ status, code, type, text }) => {
      answer = { status, code };
      requests = 0;
      const error = await failure(store({ endpoint }).list());
      expect(error).toBeInstanceOf(type);
      expect(error.message).toBe(`listing s3://b: ${text} (${code}, HTTP ${status})`);
      expect(error.message).not.toContain('x-amz-secret-detail');
      expect(requests).toBe(1);
    },
  );

  // Gap: s3rver ignores If-Match; real S3 answers a GetObject whose If-Match fails with a 412.
  it('makes 412 PreconditionFailed to a pinned get the "changed" TransientError, without retry', async () => {
    answer = { status: 412, code: 'PreconditionFailed' };
    requests = 0;
    const error = await failure(store({ endpoint }).get('t/x.parquet', { etag: '"e1"' }));
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toBe(
      'reading s3://b/t/x.parquet: the object changed since it was listed; run again to read its new version',
    );
    expect(requests).toBe(1);
  });

  it('names an invalid region before sending anything, as a ConnectionError', async () => {
    requests = 0;
    for (const options of [{ region: 'eu west 1' }, { region: 'eu west 1', endpoint }]) {
      const error = await failure(store(options).list());
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error.message).toBe('listing s3://b: the region "eu west 1" is not valid');
    }
    expect(requests).toBe(0);
  });

  it('names a missing region as a ConnectionError', async () => {
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_PROFILE', undefined);
    // Both shared files may name a region; with none found, the SDK fails before sending.
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/ferry-test-config');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/ferry-test-credentials');
    try {
      const error = await failure(store({}).list());
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error.message).toBe(
        'listing s3://b: no region is set (in the options, AWS_REGION or the profile)',
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('S3Store errors for unreachable hosts', () => {
  // An unknown host is a wrong endpoint, not a glitch. Resolving one for real would ask the
  // machine's DNS servers, outside it: the error is Node's own shape for a failed lookup.
  it('names an unknown host as a ConnectionError', () => {
    const lookup = Object.assign(new Error('getaddrinfo ENOTFOUND nohost.invalid'), {
      code: 'ENOTFOUND',
      errno: -3008,
      syscall: 'getaddrinfo',
      hostname: 'nohost.invalid',
    });
    const error = s3Error(lookup, { action: 'listing', where: 's3://b' });
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toBe(
      'listing s3://b: the host "nohost.invalid" is not known (ENOTFOUND)',
    );
  });

  it('retries a refused connection (a restarting server), then says so', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(store({ endpoint: `http://127.0.0.1:${port}` }).list());
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toBe('listing s3://b: connection refused (ECONNREFUSED, 4 attempts)');
  });

  it('JitteredRetryStrategy retries socket errors, an unknown host too, but not a 501', async () => {
    const strategy = new JitteredRetryStrategy({ maxAttempts: 5, baseDelayMs: 1 });
    const first = await strategy.acquireInitialRetryToken();
    // Node's socket errors, as the SDK hands them to its retry strategy. DNS fails for a moment
    // under many parallel lookups, so ENOTFOUND in the middle of a run is worth another try.
    const socketError = (code: string) =>
      Object.assign(new Error(`${code} h`), { code }) as Error & { code: string; cause?: Error };
    for (const code of ['ENOTFOUND', 'ECONNREFUSED']) {
      const next = await strategy.refreshRetryTokenForRetry(first, {
        errorType: 'TRANSIENT',
        error: socketError(code),
      });
      expect(next.getRetryCount(), code).toBe(1);
    }
    const lacking = Object.assign(new Error('NotImplemented'), {
      $metadata: { httpStatusCode: 501 },
    }) as Error & { $metadata: { httpStatusCode: number }; cause?: Error };
    await expect(
      strategy.refreshRetryTokenForRetry(first, { errorType: 'SERVER_ERROR', error: lacking }),
    ).rejects.toBe(lacking);
  });
});
