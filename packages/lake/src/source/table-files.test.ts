import { t } from '@ferry/core';
import { LocalStore, S3Store, type ListOptions, type ObjectStore } from '@ferry/storage';
import { startS3Server, type S3Server } from '@ferry/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempLake } from '../test-support.js';
import { partitionFields, partitionOf } from './partitions.js';
import { listTables, tableFiles, type PartitionFilter } from './table-files.js';

const KEYS = [
  'events/dt=2025-01-01/hour=0/a.parquet',
  'events/dt=2025-01-01/hour=1/b.parquet',
  'events/dt=2025-01-02/hour=0/c.parquet',
  'events/dt=__HIVE_DEFAULT_PARTITION__/hour=0/d.parquet',
  'events/dt=2025-01-02/_SUCCESS',
  'events/.hidden/e.parquet',
  'plain/x.csv',
  'plain/sub/y.csv',
  'named/country=Côte%20d%27Ivoire/z.jsonl',
  '_ferry/manifests/events/m.json',
  '.trash/old.parquet',
  'top.csv',
];

/** The store, recording the prefix of every listing (to see what a filter prunes). */
function recording(store: ObjectStore): { store: ObjectStore; listed: string[] } {
  const listed: string[] = [];
  const wrapped: ObjectStore = {
    location: store.location,
    describe: (key) => store.describe(key),
    put: (key, body, options) => store.put(key, body, options),
    get: (key, options) => store.get(key, options),
    head: (key) => store.head(key),
    delete: (keys) => store.delete(keys),
    list: (options: ListOptions = {}) => {
      listed.push(options.prefix ?? '');
      return store.list(options);
    },
  };
  return { store: wrapped, listed };
}

async function collect(store: ObjectStore, table: string, filters: PartitionFilter[] = []) {
  const files = [];
  for await (const file of tableFiles(store, table, { filters })) {
    files.push({ key: file.key, partitions: file.partitions });
  }
  return files.sort((a, b) => (a.key < b.key ? -1 : 1));
}

let server: S3Server;
beforeAll(async () => {
  server = await startS3Server({ buckets: ['schema'] });
});
afterAll(() => server.close());

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => (dir = await tempLake()));
afterEach(() => dir.cleanup());

const stores = {
  local: () => new LocalStore(dir.path),
  s3: () =>
    new S3Store({
      bucket: 'schema',
      prefix: `run-${String(Math.random()).slice(2)}`,
      region: server.region,
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: server.credentials,
    }),
};

describe.each(Object.entries(stores))('tables and their files on a %s store', (_name, open) => {
  let store: ObjectStore;
  beforeEach(async () => {
    store = open();
    for (const key of KEYS) await store.put(key, Buffer.from(key));
  });

  it('lists the directories under the root as tables, but not _ or . ones', async () => {
    expect(await listTables(store)).toEqual(['events', 'named', 'plain']);
  });

  it('finds the files at any depth with their partition values, skipping _ and . names', async () => {
    expect(await collect(store, 'events')).toEqual([
      { key: 'events/dt=2025-01-01/hour=0/a.parquet', partitions: { dt: '2025-01-01', hour: '0' } },
      { key: 'events/dt=2025-01-01/hour=1/b.parquet', partitions: { dt: '2025-01-01', hour: '1' } },
      { key: 'events/dt=2025-01-02/hour=0/c.parquet', partitions: { dt: '2025-01-02', hour: '0' } },
      {
        key: 'events/dt=__HIVE_DEFAULT_PARTITION__/hour=0/d.parquet',
        partitions: { dt: null, hour: '0' },
      },
    ]);
    expect(await collect(store, 'plain')).toEqual([
      { key: 'plain/sub/y.csv', partitions: {} },
      { key: 'plain/x.csv', partitions: {} },
    ]);
    expect((await collect(store, 'named'))[0]?.partitions).toEqual({ country: "Côte d'Ivoire" });
  });

  it('prunes partition directories a filter rejects, before listing them', async () => {
    const { store: seen, listed } = recording(store);
    const files = await collect(seen, 'events', [{ column: 'dt', op: '>=', value: '2025-01-02' }]);
    expect(files.map((f) => f.key)).toEqual(['events/dt=2025-01-02/hour=0/c.parquet']);
    expect(listed.some((prefix) => prefix.includes('dt=2025-01-01'))).toBe(false);
    expect(listed.some((prefix) => prefix.includes('__HIVE_DEFAULT_PARTITION__'))).toBe(false);
    const hours = await collect(store, 'events', [{ column: 'hour', op: '=', value: '1' }]);
    expect(hours.map((f) => f.key)).toEqual(['events/dt=2025-01-01/hour=1/b.parquet']);
    // Integers compare as numbers: 10 > 9.
    expect(await collect(store, 'events', [{ column: 'hour', op: '>', value: '09' }])).toEqual([]);
  });
});

describe('partition columns', () => {
  it('reads key=value directories, unescaped, and Hive nulls', () => {
    expect(partitionOf('dt=2025-01-01')).toEqual({ column: 'dt', value: '2025-01-01' });
    expect(partitionOf('path=a%2Fb')).toEqual({ column: 'path', value: 'a/b' });
    expect(partitionOf('x=100%')).toEqual({ column: 'x', value: '100%' });
    expect(partitionOf('dt=__HIVE_DEFAULT_PARTITION__')).toEqual({ column: 'dt', value: null });
    expect(partitionOf('plain')).toBeUndefined();
    expect(partitionOf('=x')).toBeUndefined();
  });

  it('types them: date when every value is a real date, int64 when every value is an integer', () => {
    const fields = partitionFields([
      { dt: '2025-01-01', hour: '7', region: 'eu' },
      { dt: null, hour: '23', region: '1' },
      { dt: '2024-02-29', hour: '-1', bad: '2025-02-30' },
    ]);
    expect(fields.map((f) => [f.name, f.type, f.nullable])).toEqual([
      ['dt', t.date, true],
      ['hour', t.int64, true],
      ['region', t.string, true],
      ['bad', t.string, true],
    ]);
    expect(partitionFields([{ big: '9223372036854775808' }])[0]?.type).toEqual(t.string);
  });
});
