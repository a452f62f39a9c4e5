import { ConfigError, InternalError, RecordError, TransientError } from '@ferry/core';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStore } from './local-store.js';
import {
  bodyOf,
  gatedBody,
  makeTempDir,
  readAll,
  tempFilesIn,
  treeOf,
  until,
} from './test-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let store: LocalStore;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  store = new LocalStore(dir);
});
afterEach(() => cleanup());

const key = 'pageview_events/dt=2025-01-01/20250101120000_abc123_0.parquet';
const partition = () => join(dir, 'pageview_events', 'dt=2025-01-01');
const parquetFiles = async () =>
  (await readdir(partition()).catch(() => [])).filter((n) => n.endsWith('.parquet'));

describe('put: atomic visibility', () => {
  it('shows nothing of an object until its body has ended, then all of it', async () => {
    const { body, release } = gatedBody(Buffer.from('PAR1 first part '));
    const putting = store.put(key, body);
    await until(async () => (await tempFilesIn(dir)).length === 1);

    const [temp] = await tempFilesIn(dir);
    expect(temp).toMatch(/^pageview_events\/dt=2025-01-01\/\.[^/]+\.ferry-tmp$/);
    expect(await store.head(key)).toBeUndefined();
    expect(await store.list()).toEqual({ objects: [], prefixes: [] });
    expect(await store.list({ prefix: 'pageview_events/', delimiter: '/' })).toEqual({
      objects: [],
      prefixes: [], // the new dt= directory holds no object yet
    });
    expect(await parquetFiles()).toEqual([]);

    release(Buffer.from('second part PAR1'));
    const put = await putting;
    expect(put.size).toBe(32);
    expect(await store.head(key)).toMatchObject({ key, size: 32, etag: put.etag });
    expect((await store.list()).objects.map((o) => o.key)).toEqual([key]);
    expect(await parquetFiles()).toEqual(['20250101120000_abc123_0.parquet']);
    expect(await tempFilesIn(dir)).toEqual([]);
  });

  it('keeps the old version visible while a replacement is being written', async () => {
    const old = await store.put(key, Buffer.from('old'));
    const { body, release } = gatedBody(Buffer.from('new '));
    const putting = store.put(key, body);
    await until(async () => (await tempFilesIn(dir)).length === 1);
    expect(await store.head(key)).toMatchObject({ etag: old.etag, size: 3 });
    release(Buffer.from('version'));
    await putting;
    expect((await readAll(await store.get(key))).toString()).toBe('new version');
  });
});

describe('put: concurrency', () => {
  it('lets concurrent puts of one key each land whole, the last rename winning', async () => {
    const versions = Array.from({ length: 8 }, (_, i) => Buffer.alloc(100_000, 65 + i));
    const results = await Promise.all(versions.map((v) => store.put(key, v)));
    const stored = await readAll(await store.get(key));
    expect(versions.some((v) => v.equals(stored))).toBe(true);
    expect(results.map((r) => r.etag)).toContain((await store.head(key))?.etag);
    expect(await tempFilesIn(dir)).toEqual([]);
  });
});

describe('put: failures leave nothing behind', () => {
  it('wraps a failing body in InternalError, keeping the cause', async () => {
    const boom = new Error('encoder crashed');
    const error = await store
      .put(key, bodyOf([Buffer.from('partial')], boom))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalError);
    expect((error as Error).message).toBe(
      `writing ${join(dir, key)}: the body failed: encoder crashed`,
    );
    expect((error as Error).cause).toBe(boom);
    expect(await treeOf(dir)).toEqual([]); // no file, no temp file, no empty dt= directory
  });

  it('passes a ferry error from the body through unchanged', async () => {
    const bad = new RecordError('value out of range', { position: { row: 3 } });
    const body = new Readable({
      read() {
        // chunks are pushed by the test
      },
    });
    body.push(Buffer.from('partial'));
    setImmediate(() => body.destroy(bad));
    await expect(store.put(key, body)).rejects.toBe(bad);
    expect(await treeOf(dir)).toEqual([]);
  });

  it('rejects an aborted put promptly although the body is stalled, and cleans up', async () => {
    const { body } = gatedBody(Buffer.from('never finished'));
    const controller = new AbortController();
    const putting = store.put(key, body, { signal: controller.signal });
    await until(async () => (await tempFilesIn(dir)).length === 1);
    const reason = new Error('run cancelled');
    controller.abort(reason);
    const error = await putting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toBe(`writing ${join(dir, key)}: aborted`);
    expect((error as Error).cause).toBe(reason);
    expect(await treeOf(dir)).toEqual([]);
  });

  it('rejects with the abort reason when it is a ferry error', async () => {
    const reason = new ConfigError({ pointer: '/x', message: 'changed' });
    const controller = new AbortController();
    controller.abort(reason);
    await expect(store.put(key, Buffer.from('x'), { signal: controller.signal })).rejects.toBe(
      reason,
    );
    expect(await treeOf(dir)).toEqual([]);
  });

  it('leaves sibling objects and their directories alone on failure', async () => {
    await store.put('pageview_events/dt=2025-01-01/other.parquet', Buffer.from('ok'));
    const body = bodyOf([Buffer.from('x')], new Error('boom'));
    await expect(store.put(key, body)).rejects.toThrow(InternalError);
    expect(await treeOf(dir)).toEqual([
      'pageview_events/',
      'pageview_events/dt=2025-01-01/',
      'pageview_events/dt=2025-01-01/other.parquet',
    ]);
  });
});

describe('put: bounded memory', () => {
  // Without --expose-gc, V8 may keep tens of MB of dead chunks: collect them before measuring.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;

  it('streams a 50 MB body without holding it', async () => {
    const chunkBytes = 64 * 1024;
    const chunkCount = 800; // 52,428,800 bytes
    const sent = createHash('sha256');
    gc();
    const baseline = process.memoryUsage().arrayBuffers;
    let peak = 0;
    async function* body() {
      for (let i = 0; i < chunkCount; i++) {
        const chunk = Buffer.alloc(chunkBytes, i % 251);
        chunk.writeUInt32BE(i, 0);
        sent.update(chunk);
        await Promise.resolve(); // a tick per chunk, like a real producer
        if (i % 50 === 49) {
          gc();
          peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline);
        }
        yield chunk;
      }
    }
    const put = await store.put('big/data.bin', body());
    expect(put.size).toBe(chunkBytes * chunkCount);
    expect(peak).toBeLessThan(8 * 1024 * 1024); // a full copy would be 50 MB

    const received = createHash('sha256');
    for await (const chunk of await store.get('big/data.bin')) received.update(chunk as Buffer);
    expect(received.digest('hex')).toBe(sent.digest('hex'));
  });
});
