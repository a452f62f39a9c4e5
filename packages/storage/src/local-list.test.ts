import { InternalError } from '@ferry/core';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStore } from './local-store.js';
import { listAll, type ListOptions, type ObjectStore } from './object-store.js';
import { makeTempDir } from './test-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let store: LocalStore;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  store = new LocalStore(dir);
});
afterEach(() => cleanup());

const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

async function writeFiles(keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 100) {
    await Promise.all(
      keys.slice(i, i + 100).map(async (key) => {
        await mkdir(dirname(join(dir, key)), { recursive: true });
        await writeFile(join(dir, key), key);
      }),
    );
  }
}

/** S3's answer, computed from the full key set: keys and common prefixes in key order. */
function s3Listing(keys: readonly string[], prefix: string, delimited: boolean): string[] {
  const entries: string[] = [];
  for (const key of [...keys].sort(byUtf8)) {
    if (!key.startsWith(prefix)) continue;
    const slash = delimited ? key.indexOf('/', prefix.length) : -1;
    const entry = slash < 0 ? key : key.slice(0, slash + 1);
    if (entries.at(-1) !== entry) entries.push(entry);
  }
  return entries;
}

/** Every page of a listing, each page's objects and prefixes merged in key order. */
async function pagesOf(s: ObjectStore, options: ListOptions): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await s.list(cursor === undefined ? options : { ...options, cursor });
    pages.push([...page.objects.map((o) => o.key), ...page.prefixes].sort(byUtf8));
    cursor = page.cursor;
  } while (cursor !== undefined && pages.length < 10_000);
  return pages;
}

const trickyKeys = [
  'a-b', 'a.b', 'a/b', 'a/c/d', 'a0', 'a b', 'ab/x', 'A', 'Z', '_ferry/state/t.json',
  'dt=2025-01-01/x.parquet', 'dt=2025-01-01/y.parquet', 'dt=2025-01-02/x.parquet', 'dt=2025-01-1/x',
  'pageview_events/dt=2025-01-01/20250101120000_abc123_0.parquet',
  'pageview_events/dt=2025-01-01/20250101120000_abc123_1.parquet',
  'pageview_events/dt=2025-01-02/20250102120000_def456_0.jsonl.gz',
  'pageview_events_v2/dt=2025-01-01/x.parquet', 'pageview/x', 'pageviews.csv',
  'é/x', 'e/x', 'ü', '中文/数据.parquet', '😀/x', '\uFFFD', '\uE000', 'z~', 'z/~/y',
]; // prettier-ignore

async function writeTrickyTree(): Promise<void> {
  await writeFiles(trickyKeys);
  // What no listing may show: temp files, empty directories, unreachable names, linked dirs.
  await writeFile(join(dir, 'a', '.b.0123456789ab.ferry-tmp'), 'in progress');
  await mkdir(join(dir, 'only-temp'));
  await writeFile(join(dir, 'only-temp', '.x.parquet.0123456789ab.ferry-tmp'), 'x');
  await mkdir(join(dir, 'deep', 'empty', 'dirs'), { recursive: true });
  await writeFile(join(dir, 'back\\slash'), 'x');
  await symlink(join(dir, 'a'), join(dir, 'linked-dir'));
  const notUtf8 = Buffer.from([0x78, 0xff, 0xfe]); // a name no string key can reach
  await writeFile(Buffer.concat([Buffer.from(`${dir}/`), notUtf8]), 'x');
  await mkdir(join(dir, 'not-utf8'));
  await writeFile(Buffer.concat([Buffer.from(`${dir}/not-utf8/`), notUtf8]), 'x');
}

describe('list: S3 semantics', () => {
  it('lists keys in UTF-8 byte order, not directory-walk order', async () => {
    await writeFiles(['a/b', 'a-b', 'a.b', 'a0', 'dt=2025-01-01/x', 'é', '😀', '\uFFFD', '\uE000']);
    const keys = (await store.list()).objects.map((o) => o.key);
    expect(keys).toEqual([
      'a-b',
      'a.b',
      'a/b',
      'a0',
      'dt=2025-01-01/x',
      'é',
      '\uE000',
      '\uFFFD',
      '😀',
    ]);
  });

  it('matches a model of S3 for every prefix, delimiter and page size', async () => {
    await writeTrickyTree();
    const prefixes = ['', 'a', 'a/', 'a/b', 'a/c/d', 'a/c/d/', 'pageview', 'pageview_events',
      'pageview_events/', 'pageview_events/dt=2025-01-0', 'dt=', 'é', '😀/', 'z', 'nothing',
      'nothing/here', 'only-temp/', 'deep/']; // prettier-ignore
    for (const prefix of prefixes) {
      for (const delimited of [false, true]) {
        const expected = s3Listing(trickyKeys, prefix, delimited);
        for (const limit of [1, 2, 3, 1000]) {
          const options: ListOptions = delimited
            ? { prefix, limit, delimiter: '/' }
            : { prefix, limit };
          const pages = await pagesOf(store, options);
          const context = JSON.stringify(options);
          expect(pages.flat(), context).toEqual(expected);
          expect(
            pages.slice(0, -1).every((p) => p.length === limit),
            context,
          ).toBe(true);
          expect(pages.length, context).toBe(Math.max(1, Math.ceil(expected.length / limit)));
        }
      }
    }
  });

  it('groups by delimiter into prefixes holding objects only', async () => {
    await writeTrickyTree();
    const page = await store.list({ prefix: 'pageview', delimiter: '/' });
    expect(page.objects.map((o) => o.key)).toEqual(['pageviews.csv']);
    expect(page.prefixes).toEqual(['pageview/', 'pageview_events/', 'pageview_events_v2/']);
    const top = await store.list({ delimiter: '/' });
    expect(top.prefixes).not.toContain('only-temp/');
    expect(top.prefixes).not.toContain('deep/');
    expect(top.prefixes).not.toContain('linked-dir/');
    expect(top.prefixes).not.toContain('not-utf8/');
  });

  it('gives object metadata matching head', async () => {
    await store.put('t/x.json', Buffer.from('{"a":1}'));
    const [info] = (await store.list({ prefix: 't/' })).objects;
    expect(info).toEqual(await store.head('t/x.json'));
  });

  it('lists nothing for a missing root, a missing prefix or an escaping prefix', async () => {
    const missing = new LocalStore(join(dir, 'no', 'such', 'lake'));
    expect(await missing.list()).toEqual({ objects: [], prefixes: [] });
    await writeFiles(['t/x']);
    expect(await store.list({ prefix: 'nothing/' })).toEqual({ objects: [], prefixes: [] });
    const inner = new LocalStore(join(dir, 't'));
    expect(await inner.list({ prefix: '../t/' })).toEqual({ objects: [], prefixes: [] });
    expect(await inner.list({ prefix: '/' })).toEqual({ objects: [], prefixes: [] });
  });

  it('rejects a bad limit or delimiter with InternalError', async () => {
    await expect(store.list({ limit: 0 })).rejects.toThrow(InternalError);
    await expect(store.list({ limit: 1.5 })).rejects.toThrow(/positive integer/);
    await expect(store.list({ delimiter: ',' as '/' })).rejects.toThrow(/delimiter/);
  });
});

describe('list: pagination', () => {
  const manyKeys = Array.from(
    { length: 2500 },
    (_, i) => `events/dt=2025-01-0${1 + (i % 5)}/${String(i).padStart(5, '0')}_x_0.parquet`,
  );

  it('pages 2,500 keys by 1,000, each key exactly once and in order', async () => {
    await writeFiles(manyKeys);
    const first = await store.list(); // default limit
    expect(first.objects).toHaveLength(1000);
    expect(first.cursor).toBe(first.objects.at(-1)?.key);
    const pages = await pagesOf(store, { limit: 1000 });
    expect(pages.map((p) => p.length)).toEqual([1000, 1000, 500]);
    expect(pages.flat()).toEqual([...manyKeys].sort(byUtf8));
  });

  it('caps a page at 1,000 entries like S3', async () => {
    await writeFiles(manyKeys);
    const page = await store.list({ limit: 5000 });
    expect(page.objects).toHaveLength(1000);
    expect(page.cursor).toBeDefined();
  });

  it('has no cursor when the last page is exactly full', async () => {
    await writeFiles(manyKeys.slice(0, 1000));
    expect((await store.list()).cursor).toBeUndefined();
  });

  it('listAll yields every object over all pages', async () => {
    await writeFiles(manyKeys);
    const keys: string[] = [];
    for await (const info of listAll(store, 'events/dt=2025-01-0')) keys.push(info.key);
    expect(keys).toEqual([...manyKeys].sort(byUtf8));
    const one: string[] = [];
    for await (const info of listAll(store, 'events/dt=2025-01-03/')) one.push(info.key);
    expect(one).toHaveLength(500);
  });
});
