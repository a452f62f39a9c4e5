import { rm, utimes } from 'node:fs/promises';
import type { CatalogStream } from '@ferry/core';
import { queryDuckDB, sqlString } from '@ferry/testkit';
import { describe, expect, it } from 'vitest';
import { configured, readStream, sourceConfig } from './test-source.js';
import { byId, columns, schemaDirectory } from './test-schema.js';

const schema = schemaDirectory();
const at = (relative: string): string => schema.current.at(relative);
const put = (relative: string, text: string): Promise<void> => schema.current.put(relative, text);
const catalog = (input?: Record<string, unknown>) => schema.current.catalog(input);
const streamOf = (name: string, input?: Record<string, unknown>) =>
  schema.current.streamOf(name, input);

describe('lake source on a schema directory written by DuckDB', () => {
  it('discovers exactly the tables with data files, with their columns and types', async () => {
    const streams = await catalog();
    expect(streams.map((s) => s.name)).toEqual(['events', 'logs', 'users']);
    const [events, logs, users] = streams as [CatalogStream, CatalogStream, CatalogStream];
    expect(columns(events)).toEqual([
      ['id', 'int64', 'null'],
      ['name', 'string', 'null'],
      ['score', 'float64', 'null'],
      ['at', 'timestamp', 'null'],
      ['n', 'int64', 'null'],
      ['extra', 'string', 'null'],
      ['dt', 'date', 'null'],
    ]);
    expect(columns(users)).toEqual([
      ['id', 'int64', 'null'],
      ['email', 'string', 'null'],
      ['signup', 'date', 'null'],
      ['active', 'boolean', 'null'],
    ]);
    expect(columns(logs)).toEqual([
      ['id', 'int64', 'null'],
      ['level', 'string', 'null'],
      ['ctx', 'json', 'null'],
      ['hour', 'int64', 'null'],
    ]);
    expect(events).toMatchObject({
      incrementalState: 'source',
      syncModes: ['full_refresh', 'incremental'],
      defaultSyncMode: 'incremental',
      defaultWriteMode: 'append',
    });
  });

  it('offers only the tables asked for, less the excluded ones', async () => {
    expect((await catalog({ tables: ['users', 'logs'] })).map((s) => s.name)).toEqual([
      'logs',
      'users',
    ]);
    expect((await catalog({ exclude_tables: ['events'] })).map((s) => s.name)).toEqual([
      'logs',
      'users',
    ]);
    expect((await catalog({ format: 'csv' })).map((s) => s.name)).toEqual(['users']);
  });

  it('reads the same rows and values as DuckDB does', async () => {
    const config = sourceConfig({ path: schema.current.path });
    const events = await readStream(config, configured(await streamOf('events')));
    const duckEvents = await queryDuckDB(
      `SELECT id, name, score, "at", n, extra, dt FROM read_parquet(${sqlString(at('events/**/*.parquet'))}, hive_partitioning = true, union_by_name = true)`,
    );
    expect(events.rows.length).toBe(2500);
    expect(events.rows.sort(byId)).toEqual(duckEvents.sort(byId));

    const users = await readStream(config, configured(await streamOf('users')));
    const duckUsers = await queryDuckDB(
      `SELECT * FROM read_csv([${sqlString(at('users/users.csv'))}, ${sqlString(at('users/archive/old.csv.gz'))}])`,
    );
    expect(users.rows.length).toBe(500);
    expect(users.rows.sort(byId)).toEqual(duckUsers.sort(byId));

    const logs = await readStream(config, configured(await streamOf('logs')));
    const duckLogs = await queryDuckDB(
      `SELECT id, level, hour FROM read_json([${sqlString(at('logs/hour=1/a.jsonl.gz'))}, ${sqlString(at('logs/hour=2/b.ndjson'))}], hive_partitioning = true)`,
    );
    expect(logs.rows.map(({ id, level, hour }) => ({ id, level, hour })).sort(byId)).toEqual(
      duckLogs.sort(byId),
    );
    expect(logs.rows.find((r) => r.id === 7n)?.ctx).toEqual({ a: 7 });
  });

  it('prunes partitions a filter rejects', async () => {
    const input = { partition_filter: [{ column: 'dt', op: '>=', value: '2025-01-02' }] };
    const stream = await streamOf('events', input);
    const read = await readStream(
      sourceConfig({ path: schema.current.path, ...input }),
      configured(stream),
    );
    expect(read.rows.length).toBe(1000);
    expect(new Set(read.rows.map((r) => r.dt))).toEqual(new Set(['2025-01-02']));
  });

  it('names a stream that is not a table, and a state it did not write, before any row', async () => {
    const config = sourceConfig({ path: schema.current.path });
    const users = await streamOf('users');
    const unknown = { ...configured(users), name: 'nope' };
    await expect(readStream(config, unknown)).rejects.toThrow(
      `stream "nope" is not a table of ${schema.current.path}`,
    );
    await expect(readStream(config, configured(users), { cursor: 3 })).rejects.toThrow(
      /is not \{"files": \{"<key>": "<etag>"\}\}.*\(stream users\)/,
    );
  });
});

describe('column names', () => {
  it('reads columns named like built-in object members as ordinary columns', async () => {
    await put(
      'odd/dt=2025-01-01/a.jsonl',
      '{"constructor": "c", "toString": "s", "valueOf": 7, "hasOwnProperty": true}\n',
    );
    const config = sourceConfig({ path: schema.current.path });
    const odd = await streamOf('odd');
    expect(columns(odd).map(([name, type]) => `${name ?? ''}:${type ?? ''}`)).toEqual([
      'constructor:string',
      'toString:string',
      'valueOf:int64',
      'hasOwnProperty:boolean',
      'dt:date',
    ]);
    const read = await readStream(config, configured(odd));
    expect(read.rows).toEqual([
      { constructor: 'c', toString: 's', valueOf: 7n, hasOwnProperty: true, dt: '2025-01-01' },
    ]);
    await rm(at('odd'), { recursive: true });
  });
});

describe('incremental reads', () => {
  it('read nothing again, new files only, and rewritten files again', async () => {
    const config = sourceConfig({ path: schema.current.path });
    const stream = configured(await streamOf('users'));
    const first = await readStream(config, stream);
    expect(first.rows.length).toBe(500);
    expect(first.states.length).toBe(2); // one checkpoint per file
    const final = first.states.at(-1);
    expect(Object.keys((final as { files: object }).files).sort()).toEqual([
      'users/archive/old.csv.gz',
      'users/users.csv',
    ]);

    const again = await readStream(config, stream, final);
    expect(again.rows).toEqual([]);
    expect(again.states).toEqual([final]);

    await put('users/new.csv', 'id,email,signup,active\n900,n@example.com,2025-01-01,true\n');
    const added = await readStream(config, stream, final);
    expect(added.rows).toEqual([
      { id: 900n, email: 'n@example.com', signup: '2025-01-01', active: true },
    ]);

    await put('users/new.csv', 'id,email,signup,active\n901,m@example.com,2025-01-02,false\n');
    await utimes(at('users/new.csv'), new Date(), new Date(Date.now() + 5000));
    const rewritten = await readStream(config, stream, added.states.at(-1));
    expect(rewritten.rows.map((r) => r.id)).toEqual([901n]);

    const full = await readStream(
      config,
      configured(await streamOf('users'), 'full_refresh'),
      final,
    );
    expect(full.rows.length).toBe(501);
    await rm(at('users/new.csv'));
  });

  it('checkpoint a growing state rarely enough that its copies stay proportional to the files', async () => {
    const count = 300;
    for (let i = 0; i < count; i += 1) {
      const day = `2025-01-0${1 + (i % 3)}`;
      await put(`many/dt=${day}/f${String(i).padStart(3, '0')}.jsonl`, `{"id": ${i}}\n`);
    }
    const config = sourceConfig({ path: schema.current.path });
    const stream = configured(await streamOf('many'));
    const first = await readStream(config, stream);
    expect(first.rows.length).toBe(count);
    const sizes = first.states.map((s) => Object.keys((s as { files: object }).files).length);
    // Every file until the state holds 16, then each time it has grown by a sixteenth.
    expect(sizes.slice(0, 16)).toEqual(Array.from({ length: 16 }, (_, k) => k + 1));
    expect(sizes.at(-1)).toBe(count);
    expect(sizes.length).toBeGreaterThan(20);
    expect(sizes.length).toBeLessThan(70);
    for (let k = 1; k < sizes.length; k += 1) {
      expect(sizes[k]).toBeGreaterThan(sizes[k - 1] ?? 0);
      expect((sizes[k] ?? 0) - (sizes[k - 1] ?? 0)).toBeLessThanOrEqual(Math.ceil(count / 16));
    }
    // Resuming from a checkpoint in the middle reads exactly the files it did not cover.
    const middle = first.states[Math.floor(first.states.length / 2)];
    const resumed = await readStream(config, stream, middle);
    const covered = Object.keys((middle as { files: object }).files).length;
    expect(resumed.rows.length).toBe(count - covered);
    const ids = [...resumed.rows.map((r) => r.id)];
    expect(new Set(ids).size).toBe(ids.length);

    // Deleted files leave the state; with a partition filter, the files it hides stay in it.
    await rm(at('many/dt=2025-01-01'), { recursive: true });
    const final = first.states.at(-1);
    const filtered = sourceConfig({
      path: schema.current.path,
      partition_filter: [{ column: 'dt', op: '>=', value: '2025-01-03' }],
    });
    const kept = await readStream(filtered, stream, final);
    expect(kept.rows).toEqual([]);
    const keptKeys = Object.keys((kept.states.at(-1) as { files: object }).files);
    // The filter hides dt=2025-01-01 and -02, so their keys are kept, deleted or not.
    expect(keptKeys.length).toBe(300);
    const pruned = await readStream(config, stream, final);
    expect(pruned.rows).toEqual([]);
    const prunedKeys = Object.keys((pruned.states.at(-1) as { files: object }).files);
    expect(prunedKeys.length).toBe(200);
    expect(prunedKeys.some((k) => k.startsWith('many/dt=2025-01-01/'))).toBe(false);
    // Files another format option leaves out stay too, deleted or not.
    const csvOnly = sourceConfig({ path: schema.current.path, format: 'csv' });
    const other = await readStream(csvOnly, stream, final);
    expect(Object.keys((other.states.at(-1) as { files: object }).files).length).toBe(300);
    await rm(at('many'), { recursive: true });
  });
});
