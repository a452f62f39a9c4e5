// Gap: s3rver always answers, and the proxy only fails requests fast. These fakes hang the way a
// broken store or a black-holing middlebox does: one accepts TCP connections and never answers,
// one sends the answer's headers and part of its body, then stalls.
import { InternalError, TransientError } from '@ferry/core';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Store } from './s3-store.js';
import { readAll } from './test-helpers.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const STACK_LINE = /\n\s+at /;

/** A server on 127.0.0.1 counting connections; `close` also drops the open ones. */
async function listen(server: Server) {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  let connections = 0;
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

type Fake = Awaited<ReturnType<typeof listen>>;

function storeAt(endpoint: string): S3Store {
  return new S3Store({
    bucket: 'hung',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIDHUNG', secretAccessKey: SECRET },
    retry: { maxAttempts: 2, baseDelayMs: 1 },
    timeouts: { connectMs: 1000, idleMs: 100 },
  });
}

/** The operation's failure, checked to be a clean TransientError. */
async function failure(operation: Promise<unknown>): Promise<string> {
  const error: unknown = await operation.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransientError);
  const { message } = error as Error;
  expect(message).not.toContain(SECRET);
  expect(message).not.toMatch(STACK_LINE);
  return message;
}

describe('S3Store against a server that accepts connections and never answers', () => {
  let silent: Fake;
  beforeAll(async () => {
    // Reads and discards what it is sent, so an upload is not stalled by a full socket buffer.
    silent = await listen(createServer((socket) => socket.resume()));
  });
  afterAll(() => silent.close());

  // The test's own timeout is the bound: without the idle timeout each call hangs forever.
  it('fails list, head and put with a TransientError after the retries', async () => {
    const store = storeAt(silent.endpoint);
    const timedOut = '(TimeoutError, 2 attempts)';
    expect(await failure(store.list())).toBe(
      `listing s3://hung: timed out waiting for the server ${timedOut}`,
    );
    expect(await failure(store.head('k'))).toBe(
      `reading metadata of s3://hung/k: timed out waiting for the server ${timedOut}`,
    );
    expect(await failure(store.put('k', Buffer.from('x')))).toBe(
      `writing s3://hung/k: timed out waiting for the server ${timedOut}`,
    );
    expect(silent.connections()).toBe(6);
    store.destroy();
  }, 30_000);
});

describe('S3Store against a server that stalls in the middle of its answer', () => {
  let stalling: Fake;
  beforeAll(async () => {
    const server = createHttpServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/xml', 'content-length': 1000 });
      res.write('<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult>');
    });
    stalling = await listen(server);
  });
  afterAll(() => stalling.close());

  it('retries a listing whose body stalls, then fails it', async () => {
    const store = storeAt(stalling.endpoint);
    expect(await failure(store.list())).toBe(
      'listing s3://hung: timed out waiting for the server (TimeoutError, 2 attempts)',
    );
    store.destroy();
  }, 30_000);

  it('fails a read stream that stalls (the answer had begun: no retry)', async () => {
    const store = storeAt(stalling.endpoint);
    const stream = await store.get('k');
    expect(await failure(readAll(stream))).toBe(
      'reading s3://hung/k: timed out waiting for the server (TimeoutError)',
    );
    store.destroy();
  }, 30_000);
});

describe('S3Store options', () => {
  it('refuses timeouts that are not positive integers', () => {
    const make = (timeouts: { connectMs?: number; idleMs?: number }) => () =>
      new S3Store({ bucket: 'b', timeouts });
    expect(make({ idleMs: 0 })).toThrow(InternalError);
    expect(make({ idleMs: 0 })).toThrow(
      'S3 store options: timeouts.idleMs must be a positive integer, not 0',
    );
    expect(make({ connectMs: 1.5 })).toThrow('timeouts.connectMs must be a positive integer');
  });

  it('refuses an empty region, which the SDK would refuse with a bare error', () => {
    expect(() => new S3Store({ bucket: 'b', region: '' })).toThrow(
      'S3 store options: region must not be empty',
    );
  });
});
