import { readdir, readFile, rm, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { TransientError, type Row } from '@ferry/core';
import {
  openLocalStore,
  S3Store,
  type GetOptions,
  type ListOptions,
  type ObjectInfo,
  type ObjectStore,
} from '@ferry/storage';
import { queryDuckDB, sqlString, startS3Server } from '@ferry/testkit';
import { describe, expect, it } from 'vitest';
import { createLakeSource } from './source.js';
import {
  configured,
  lakeSource,
  quiet,
  readStream,
  sourceConfig,
  type TestSourceConfig,
} from './test-source.js';
import { byId, columns, schemaDirectory } from './test-schema.js';

const schema = schemaDirectory();
const at = (relative: string): string => schema.current.at(relative);
const put = (relative: string, text: string): Promise<void> => schema.current.put(relative, text);
const catalog = (input?: Record<string, unknown>) => schema.current.catalog(input);
const streamOf = (name: string, input?: Record<string, unknown>) =>
  schema.current.streamOf(name, input);

describe('a table of more than 1000 files', () => {
  it('discovers it from a sample of the files and reads them all', async () => {
    await Promise.all(
      Array.from({ length: 1100 }, (_, i) =>
        put(`many/part=${i % 7}/f-${String(i).padStart(4, '0')}.csv`, `id,v\n${i},${i / 2}\n`),
      ),
    );
    try {
      const stream = await streamOf('many');
      expect(columns(stream)).toEqual([
        ['id', 'int64', 'null'],
        ['v', 'float64', 'null'],
        ['part', 'int64', 'null'],
      ]);
      expect(stream.description).toBe(
        '1100 data files; columns from 100 of them, the 50 newest included',
      );
      const read = await readStream(
        sourceConfig({ path: schema.current.path }),
        configured(stream),
      );
      const [duck] = await queryDuckDB(
        `SELECT count(*) AS n, sum(v) AS v FROM read_csv(${sqlString(at('many/**/*.csv'))})`,
      );
      expect(BigInt(read.rows.length)).toBe(duck?.n);
      expect(read.rows.reduce((sum, r) => sum + (r.v as number), 0)).toBe(duck?.v);
      // Checkpoints as the state grows by a sixteenth, not one per file; the last covers all.
      expect(read.states.length).toBeLessThan(100);
      expect(Object.keys((read.states.at(-1) as { files: object }).files).length).toBe(1100);

      // A column added by the newest file is discovered, wherever its key sorts.
      await put('many/part=3/a-new.csv', 'id,v,w\n5000,1.5,x\n');
      await utimes(at('many/part=3/a-new.csv'), new Date(), new Date(Date.now() + 60_000));
      expect(columns(await streamOf('many')).map(([name]) => name)).toEqual([
        'id',
        'v',
        'w',
        'part',
      ]);
    } finally {
      await rm(at('many'), { recursive: true });
    }
  });
});

describe('files read at once', () => {
  it('open up to 4 ahead, but large files (by the read-ahead byte budget) one at a time', async () => {
    for (const [k, name] of ['a', 'b', 'c', 'd', 'e', 'f'].entries()) {
      const body = Array.from({ length: 20 }, (_, i) => `{"id": ${k * 100 + i}}\n`).join('');
      await put(`ahead/${name}.jsonl`, body); // 210 or 240 bytes
      await utimes(at(`ahead/${name}.jsonl`), new Date(), new Date(Date.now() - 10_000 + k * 1000));
    }
    /** Per batch emitted, how many files had been opened by then. */
    const openedAtBatches = async (readAheadBytes?: number) => {
      const opened = new Set<string>();
      const source = createLakeSource<TestSourceConfig>({
        ...lakeSource,
        ...(readAheadBytes === undefined ? {} : { readAheadBytes }),
        openStore: async (config) => {
          const store = await openLocalStore(config.path);
          return Object.assign(Object.create(store) as typeof store, {
            get: (key: string, options?: GetOptions) => {
              opened.add(key);
              return store.get(key, options);
            },
          });
        },
      });
      const config = sourceConfig({ path: schema.current.path });
      const stream = configured(await streamOf('ahead'));
      const seen: number[] = [];
      for await (const m of source.read(quiet(), config, { streams: [stream], state: {} })) {
        if (m.type === 'batch') seen.push(opened.size);
      }
      return seen;
    };
    try {
      expect(await openedAtBatches()).toEqual([4, 5, 6, 6, 6, 6]);
      // A budget below two files' size: each file is opened once the one before is emitted.
      expect(await openedAtBatches(300)).toEqual([1, 2, 3, 4, 5, 6]);
      // Two files fit, three do not.
      expect(await openedAtBatches(500)).toEqual([2, 3, 4, 5, 6, 6]);
    } finally {
      await rm(at('ahead'), { recursive: true });
    }
  });
});

describe('a file that changes while discover samples it', () => {
  // A wrapper over the real directory whose listing (and, for a file that keeps changing, whose
  // HEAD) is older than the objects: the race between listing and reading, made deterministic.
  const sourceWith = (stale: { list: Set<string>; head?: Set<string>; ghosts?: string[] }) =>
    createLakeSource<TestSourceConfig>({
      ...lakeSource,
      openStore: async (config) => {
        const store = await openLocalStore(config.path);
        const age = (info: ObjectInfo) => ({ ...info, etag: `${info.etag}-old` });
        const wrapped: ObjectStore = {
          location: store.location,
          describe: (key) => store.describe(key),
          put: (key, body, options) => store.put(key, body, options),
          get: (key, options) => store.get(key, options),
          delete: (keys) => store.delete(keys),
          list: async (options?: ListOptions) => {
            const page = await store.list(options);
            const objects = page.objects.map((o) => (stale.list.has(o.key) ? age(o) : o));
            // Listed, deleted before they are read.
            for (const ghost of stale.ghosts ?? []) {
              if (options?.prefix === undefined || !ghost.startsWith(options.prefix)) continue;
              objects.push({ key: ghost, size: 10, etag: 'gone', lastModified: new Date() });
            }
            return { ...page, objects };
          },
          head: async (key: string) => {
            const info = await store.head(key);
            return info !== undefined && stale.head?.has(key) === true ? age(info) : info;
          },
        };
        return wrapped;
      },
    });
  const config = () => sourceConfig({ path: schema.current.path });

  it('reads the new version of a rewritten file, leaves out a deleted one, and fails after 3 changes', async () => {
    await put('live/a.jsonl', '{"id": 1, "name": "x"}\n');
    try {
      const key = 'live/a.jsonl';
      const rewritten = await sourceWith({ list: new Set([key]) }).discover(quiet(), config());
      const live = rewritten.streams.find((s) => s.name === 'live');
      expect(columns(live as never)).toEqual([
        ['id', 'int64', 'null'],
        ['name', 'string', 'null'],
      ]);

      const ghosts = ['live/zz-gone.jsonl'];
      const withGhost = await sourceWith({ list: new Set(), ghosts }).discover(quiet(), config());
      expect(withGhost.streams.find((s) => s.name === 'live')?.description).toBe(
        '2 data files; columns from all of them',
      );

      const error: unknown = await sourceWith({ list: new Set([key]), head: new Set([key]) })
        .discover(quiet(), config())
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransientError);
      expect((error as Error).message).toBe(
        `reading ${at(key)}: the object changed since it was listed; run again to read its new version`,
      );
    } finally {
      await rm(at('live'), { recursive: true });
    }
  });

  it('a table whose sampled files were all deleted is left out, or fails when some were not sampled', async () => {
    await put('vanished/readme.txt', 'no data file, but the directory exists');
    try {
      const ghosts = (n: number) =>
        Array.from({ length: n }, (_, i) => `vanished/g${String(i).padStart(3, '0')}.jsonl`);
      const few = await sourceWith({ list: new Set(), ghosts: ghosts(2) }).discover(
        quiet(),
        config(),
      );
      expect(few.streams.map((s) => s.name)).not.toContain('vanished');
      expect(few.unavailable).toBeUndefined();
      // 101 files, 100 sampled and all gone: the one not sampled may still be there.
      const error: unknown = await sourceWith({ list: new Set(), ghosts: ghosts(101) })
        .discover(quiet(), config())
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransientError);
      expect((error as Error).message).toBe(
        'every file of table vanished that discover sampled was deleted since it was listed; run again',
      );
    } finally {
      await rm(at('vanished'), { recursive: true });
    }
  });
});

describe('on an S3 store (s3rver)', () => {
  it('discovers and reads the same tables, rows and states as on the directory', async () => {
    const server = await startS3Server({ buckets: ['schema'] });
    try {
      const store = new S3Store({
        bucket: 'schema',
        prefix: 'analytics',
        region: server.region,
        endpoint: server.endpoint,
        forcePathStyle: true,
        credentials: server.credentials,
      });
      const entries = await readdir(schema.current.path, { recursive: true, withFileTypes: true });
      for (const entry of entries.filter((e) => e.isFile())) {
        const path = join(entry.parentPath, entry.name);
        await store.put(path.slice(schema.current.path.length + 1), await readFile(path));
      }
      const s3Source = createLakeSource<TestSourceConfig>({
        ...lakeSource,
        openStore: () => store,
      });
      const config = sourceConfig({ path: 'unused' }); // the store is given, not opened
      const { streams } = await s3Source.discover(quiet(), config);
      expect(streams.map((s) => s.fields)).toEqual((await catalog()).map((s) => s.fields));
      for (const stream of streams) {
        const request = { streams: [configured(stream)], state: {} };
        const rows: Row[] = [];
        const states: unknown[] = [];
        for await (const m of s3Source.read(quiet(), config, request)) {
          if (m.type === 'batch') rows.push(...m.rows);
          if (m.type === 'checkpoint') states.push(m.state);
        }
        const local = await readStream(
          sourceConfig({ path: schema.current.path }),
          configured(stream),
        );
        expect(rows.sort(byId), stream.name).toEqual(local.rows.sort(byId));
        const keys = (state: unknown): string[] =>
          Object.keys((state as { files: object }).files).sort();
        expect(keys(states.at(-1))).toEqual(keys(local.states.at(-1)));
        const again = {
          streams: [configured(stream)],
          state: { [stream.name]: states.at(-1) as never },
        };
        for await (const m of s3Source.read(quiet(), config, again))
          expect(m.type).toBe('checkpoint');
      }
    } finally {
      await server.close();
    }
  });
});
