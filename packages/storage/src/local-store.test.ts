import { AuthError, ConnectionError, InternalError, TransientError } from '@ferry/core';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { asUnprivileged } from '@ferry/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStore, openLocalStore } from './local-store.js';
import type { ObjectBody } from './object-store.js';
import { bodyOf, makeTempDir, readAll } from './test-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let store: LocalStore;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  store = new LocalStore(join(dir, 'lake'));
});
afterEach(() => cleanup());

const text = 'id,name\n1,Ada\n2,Grace\n';
const chunks = () => bodyOf(text.split(/(?<=\n)/).map((line) => new TextEncoder().encode(line)));
const bodies: [string, () => ObjectBody][] = [
  ['Uint8Array', () => new TextEncoder().encode(text)],
  ['Buffer', () => Buffer.from(text)],
  ['Readable', () => Readable.from([Buffer.from(text.slice(0, 5)), Buffer.from(text.slice(5))])],
  ['async iterable', chunks],
];

describe('LocalStore put/get/head', () => {
  it.each(bodies)('round-trips a %s body, creating the root and parents', async (_, body) => {
    const key = 'pageview_events/dt=2025-01-01/20250101120000_abc123_0.csv';
    const put = await store.put(key, body());
    expect(put).toEqual({ key, size: text.length, etag: expect.any(String) as string });
    expect(await readFile(join(dir, 'lake', key), 'utf8')).toBe(text);
    expect((await readAll(await store.get(key))).toString()).toBe(text);
    const head = await store.head(key);
    expect(head).toMatchObject({ key, size: text.length, etag: put.etag });
    // Compared at nanosecond precision: a millisecond stat may round the other way.
    const stats = await stat(join(dir, 'lake', key), { bigint: true });
    expect(head?.lastModified.getTime()).toBe(Number(stats.mtimeNs / 1_000_000n));
  });

  it('stores an empty body as an empty object', async () => {
    await store.put('empty.jsonl', new Uint8Array(0));
    expect(await store.head('empty.jsonl')).toMatchObject({ size: 0 });
    expect((await readAll(await store.get('empty.jsonl'))).length).toBe(0);
  });

  it('replaces an object and gives the new version a new etag', async () => {
    // Another size: a same-size rewrite within one tick of the file system's clock keeps the etag.
    const first = await store.put('t/x.json', Buffer.from('{"v":1}'));
    const second = await store.put('t/x.json', Buffer.from('{"v":10}'));
    expect(second.etag).not.toBe(first.etag);
    expect((await store.head('t/x.json'))?.etag).toBe(second.etag);
    expect((await readAll(await store.get('t/x.json'))).toString()).toBe('{"v":10}');
  });

  it('keeps an etag while the file is unchanged', async () => {
    await store.put('k', Buffer.from('same'));
    expect((await store.head('k'))?.etag).toBe((await store.head('k'))?.etag);
  });

  it('reads an inclusive byte range, clamping the end to the size', async () => {
    await store.put('r.bin', Buffer.from('0123456789'));
    const read = async (start: number, end: number) =>
      (await readAll(await store.get('r.bin', { range: { start, end } }))).toString();
    expect(await read(2, 4)).toBe('234');
    expect(await read(9, 9)).toBe('9');
    expect(await read(6, 1000)).toBe('6789');
  });

  it('rejects a range starting past the end or inverted with InternalError', async () => {
    await store.put('r.bin', Buffer.from('0123456789'));
    await expect(store.get('r.bin', { range: { start: 10, end: 12 } })).rejects.toThrow(
      InternalError,
    );
    await expect(store.get('r.bin', { range: { start: 5, end: 4 } })).rejects.toThrow(
      /invalid byte range 5-4/,
    );
  });

  it('reads a large object whole, in order', async () => {
    const big = Buffer.alloc(1_000_003, 7);
    big.write('end', big.length - 3);
    await store.put('big.bin', big);
    expect((await readAll(await store.get('big.bin'))).equals(big)).toBe(true);
  });

  it('keeps reading the version it opened when the object is replaced meanwhile', async () => {
    await store.put('v.txt', Buffer.from('old version'));
    const stream = await store.get('v.txt');
    await store.put('v.txt', Buffer.from('new version'));
    expect((await readAll(stream)).toString()).toBe('old version');
  });

  it('fails get of a missing object with a ConnectionError naming the path', async () => {
    const error = await store.get('t/missing.parquet').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe(
      `reading ${join(dir, 'lake', 't/missing.parquet')}: no such object`,
    );
    await expect(store.get('t')).rejects.toThrow(ConnectionError); // nothing at all yet
  });

  it('treats a directory as no object', async () => {
    await store.put('t/a/b.json', Buffer.from('{}'));
    expect(await store.head('t/a')).toBeUndefined();
    await expect(store.get('t/a')).rejects.toThrow(ConnectionError);
    expect(await store.head('t/a/b.json/c')).toBeUndefined(); // a file on the path
  });

  it('treats a FIFO as no object, without blocking on it', async () => {
    await mkdir(join(dir, 'lake'));
    execFileSync('mkfifo', [join(dir, 'lake', 'pipe')]);
    expect(await store.head('pipe')).toBeUndefined();
    await expect(store.get('pipe')).rejects.toThrow(ConnectionError);
    expect((await store.list()).objects).toEqual([]);
  });

  it('destroys a get stream on abort with a ferry error', async () => {
    await store.put('big.bin', Buffer.alloc(1_000_000));
    const controller = new AbortController();
    const stream = await store.get('big.bin', { signal: controller.signal });
    controller.abort();
    await expect(readAll(stream)).rejects.toThrow(/reading .*big\.bin: aborted/);
  });

  it('fails to put under a key whose parent is an object (no key and prefix at once)', async () => {
    await store.put('a', Buffer.from('file'));
    const error = await store.put('a/b', Buffer.from('x')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/^writing .*lake\/a\/b: /);
  });

  it('fails to put over a directory with a ConnectionError', async () => {
    await store.put('a/b', Buffer.from('x'));
    await expect(store.put('a', Buffer.from('file'))).rejects.toThrow(ConnectionError);
    expect((await store.list()).objects.map((o) => o.key)).toEqual(['a/b']);
  });

  it('fails to write into a read-only directory with AuthError', async () => {
    await mkdir(join(dir, 'ro'), { mode: 0o555 });
    const ro = new LocalStore(join(dir, 'ro'));
    const error = await asUnprivileged([dir, join(dir, 'ro')], async () => {
      // Writable next to it: what fails below is the read-only directory, not the path to it.
      await writeFile(join(dir, 'probe'), 'x');
      return ro.put('x/y', Buffer.from('x')).catch((e: unknown) => e);
    });
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(
      new RegExp(`^writing ${join(dir, 'ro', 'x')}.*: permission denied \\(EACCES`),
    );
  });
});

describe('LocalStore get pinned to an etag', () => {
  const key = 't/dt=2025-01-01/x.csv';
  const path = () => join(dir, 'lake', key);
  const listedEtag = async (from: LocalStore = store) => {
    const [info] = (await from.list({ prefix: 't/' })).objects;
    if (info === undefined) throw new Error('nothing listed');
    return info.etag;
  };

  it('reads the version it was listed with, whole and a range', async () => {
    await store.put(key, Buffer.from(text));
    const etag = await listedEtag();
    expect((await readAll(await store.get(key, { etag }))).toString()).toBe(text);
    const part = await store.get(key, { etag, range: { start: 8, end: 12 } });
    expect((await readAll(part)).toString()).toBe('1,Ada');
  });

  it('fails with a TransientError once the object was rewritten', async () => {
    await store.put(key, Buffer.from(text));
    const etag = await listedEtag();
    await store.put(key, Buffer.from(`${text}3,Linus\n`));
    const changed = `reading ${path()}: the object changed since it was listed; run again to read its new version`;
    for (const options of [{ etag }, { etag, range: { start: 0, end: 3 } }]) {
      const error = await store.get(key, options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransientError);
      expect((error as Error).message).toBe(changed);
    }
  });

  it('fails a read during which the file was rewritten in place (same inode), never mixing versions', async () => {
    const big = Buffer.alloc(300 * 1024, 'a');
    await store.put(key, big);
    // An older mtime: a same-size rewrite within one tick of the file system's clock keeps it.
    await utimes(path(), new Date('2025-01-01T00:00:00Z'), new Date('2025-01-01T00:00:00Z'));
    const etag = await listedEtag();
    const stream = await store.get(key, { etag });
    const chunks: Buffer[] = [];
    const error = await (async () => {
      for await (const chunk of stream) {
        chunks.push(chunk as Buffer);
        // Truncated and written through the same inode, as `>` or writeFile do.
        if (chunks.length === 1) await writeFile(path(), Buffer.alloc(300 * 1024, 'b'));
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toBe(
      `reading ${path()}: the object changed since it was listed; run again to read its new version`,
    );
    // Without an etag the same read is not checked (nothing to compare with).
    const plain = await readAll(await store.get(key));
    expect(plain.length).toBe(300 * 1024);
  });

  it('sees a same-size rewrite by its modification time', async () => {
    await store.put(key, Buffer.from('v1'));
    await utimes(path(), new Date('2025-01-01T00:00:00Z'), new Date('2025-01-01T00:00:00Z'));
    const etag = await listedEtag();
    await store.put(key, Buffer.from('v2'));
    await expect(store.get(key, { etag })).rejects.toThrow(
      /the object changed since it was listed/,
    );
  });

  it('fails with a TransientError once the object was deleted', async () => {
    await store.put(key, Buffer.from(text));
    const etag = await listedEtag();
    await store.delete([key]);
    const error = await store.get(key, { etag }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toBe(
      `reading ${path()}: the object was deleted since it was listed; run again`,
    );
    await expect(store.get(key)).rejects.toThrow(ConnectionError); // unpinned: as before
  });

  it('keeps the etag of a file copied with its modification time (another inode)', async () => {
    await store.put(key, Buffer.from(text));
    const mtime = new Date('2025-01-01T12:00:00.123Z');
    await utimes(path(), mtime, mtime);
    const etag = await listedEtag();
    const copy = join(dir, 'copy', key);
    await mkdir(dirname(copy), { recursive: true });
    await copyFile(path(), copy);
    await utimes(copy, mtime, mtime);
    expect((await stat(copy)).ino).not.toBe((await stat(path())).ino);
    const copied = new LocalStore(join(dir, 'copy'));
    expect(await listedEtag(copied)).toBe(etag);
    expect((await readAll(await copied.get(key, { etag }))).toString()).toBe(text);
  });

  it('keeps every etag when the lake is copied with cp -a', async () => {
    await store.put(key, Buffer.from(text));
    await store.put('t/dt=2025-01-02/y.csv', Buffer.from('id\n'));
    execFileSync('cp', ['-a', join(dir, 'lake'), join(dir, 'copy')]);
    const copied = new LocalStore(join(dir, 'copy'));
    expect((await copied.list({ prefix: 't/' })).objects).toEqual(
      (await store.list({ prefix: 't/' })).objects,
    );
  });
});

describe('LocalStore location', () => {
  it('gives absolute paths for the root and keys', () => {
    const relative = new LocalStore('some/lake');
    expect(relative.location).toBe(join(process.cwd(), 'some/lake'));
    expect(relative.describe('t/x.parquet')).toBe(join(process.cwd(), 'some/lake/t/x.parquet'));
  });

  it('refuses an empty root', () => {
    expect(() => new LocalStore('')).toThrow(InternalError);
  });
});

describe('openLocalStore', () => {
  it('opens an existing directory', async () => {
    expect((await openLocalStore(dir)).root).toBe(dir);
  });

  it('fails for a missing directory unless asked to create it', async () => {
    const root = join(dir, 'new', 'lake');
    await expect(openLocalStore(root)).rejects.toThrow(
      new ConnectionError(`opening ${root}: no such directory`),
    );
    await openLocalStore(root, { create: true });
    expect((await stat(root)).isDirectory()).toBe(true);
  });

  it('fails for a file with a ConnectionError', async () => {
    await writeFile(join(dir, 'file'), 'x');
    await expect(openLocalStore(join(dir, 'file'))).rejects.toThrow(/not a directory/);
    await expect(openLocalStore(join(dir, 'file', 'sub'), { create: true })).rejects.toThrow(
      ConnectionError,
    );
  });
});
