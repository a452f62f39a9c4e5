import { InternalError } from '@ferry/core';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStore } from './local-store.js';
import { gatedBody, makeTempDir, tempFilesIn, treeOf, until } from './test-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let store: LocalStore;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  store = new LocalStore(join(dir, 'lake'));
});
afterEach(() => cleanup());

const put = (key: string) => store.put(key, Buffer.from(key));

describe('delete', () => {
  it('removes the objects and the directories they leave empty, but not the root', async () => {
    await put('t/dt=2025-01-01/a.parquet');
    await put('t/dt=2025-01-01/b.parquet');
    await store.delete(['t/dt=2025-01-01/a.parquet', 't/dt=2025-01-01/b.parquet']);
    expect(await store.head('t/dt=2025-01-01/a.parquet')).toBeUndefined();
    expect(await treeOf(join(dir, 'lake'))).toEqual([]); // root kept, empty
    expect(await treeOf(dir)).toEqual(['lake/']);
  });

  it('keeps directories that still hold files', async () => {
    await put('t/dt=2025-01-01/a.parquet');
    await put('t/dt=2025-01-02/a.parquet');
    await put('t/dt=2025-01-02/b.parquet');
    await store.delete(['t/dt=2025-01-01/a.parquet', 't/dt=2025-01-02/a.parquet']);
    expect(await treeOf(join(dir, 'lake'))).toEqual([
      't/',
      't/dt=2025-01-02/',
      't/dt=2025-01-02/b.parquet',
    ]);
  });

  it('keeps a directory holding only a put in progress, which then completes', async () => {
    await put('t/dt=2025-01-01/a.parquet');
    const { body, release } = gatedBody(Buffer.from('new '));
    const putting = store.put('t/dt=2025-01-01/b.parquet', body);
    await until(async () => (await tempFilesIn(dir)).length === 1);
    await store.delete(['t/dt=2025-01-01/a.parquet']);
    release(Buffer.from('file'));
    await putting;
    expect((await store.list()).objects.map((o) => o.key)).toEqual(['t/dt=2025-01-01/b.parquet']);
  });

  it('ignores missing keys and keys naming directories', async () => {
    await put('t/x/a.json');
    await store.delete(['missing', 'no/such/key', 't/x', 't/x/a.json/below']);
    expect((await store.list()).objects.map((o) => o.key)).toEqual(['t/x/a.json']);
    await store.delete([]);
  });

  it('deletes many objects in one call', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => `t/dt=2025-01-0${i % 3}/${i}.parquet`);
    for (const key of keys) await put(key);
    await store.delete(keys);
    expect(await store.list()).toEqual({ objects: [], prefixes: [] });
    expect(await treeOf(join(dir, 'lake'))).toEqual([]);
  });

  it('checks every key before deleting any', async () => {
    await put('t/a');
    await expect(store.delete(['t/a', '../outside'])).rejects.toThrow(InternalError);
    expect(await store.head('t/a')).toBeDefined();
  });
});
