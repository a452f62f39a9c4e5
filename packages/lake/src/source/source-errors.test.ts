import { rm, utimes } from 'node:fs/promises';
import { ConfigError, TransientError } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { configured, lakeSource, quiet, readStream, sourceConfig } from './test-source.js';
import { schemaDirectory } from './test-schema.js';

const schema = schemaDirectory();
const at = (relative: string): string => schema.current.at(relative);
const put = (relative: string, text: string): Promise<void> => schema.current.put(relative, text);
const catalog = (input?: Record<string, unknown>) => schema.current.catalog(input);
const streamOf = (name: string, input?: Record<string, unknown>) =>
  schema.current.streamOf(name, input);

describe('bad input', () => {
  it('skip drops and counts bad records per file; fail names the table, file and line', async () => {
    await put('bad/a.jsonl', '{"id": 1}\n{"id": 2\n{"id": 3}\n[4]\n');
    try {
      const stream = configured(await streamOf('bad', { on_bad_record: 'skip' }));
      const skip = await readStream(
        sourceConfig({ path: schema.current.path, on_bad_record: 'skip' }),
        stream,
      );
      expect(skip.rows).toEqual([{ id: 1n }, { id: 3n }]);
      expect(skip.skipped.map((s) => s.records)).toEqual([2]);
      expect(skip.skipped[0]?.example).toContain(`${at('bad/a.jsonl')}, line 2`);
      const failing = readStream(sourceConfig({ path: schema.current.path }), stream);
      await expect(failing).rejects.toThrow(`(stream bad, ${at('bad/a.jsonl')}, line 2)`);
    } finally {
      await rm(at('bad'), { recursive: true });
    }
  });

  it('a bad file fails after the files before it were emitted and checkpointed, in order', async () => {
    const lines = (from: number): string =>
      Array.from({ length: 5 }, (_, i) => `{"id": ${from + i}}\n`).join('');
    await put('order/a.jsonl', lines(0));
    await put('order/b.jsonl', `${lines(5)}{"id": oops}\n`);
    await put('order/c.jsonl', lines(20));
    await utimes(at('order/a.jsonl'), new Date(), new Date(Date.now() - 3000));
    await utimes(at('order/b.jsonl'), new Date(), new Date(Date.now() - 2000));
    const messages: string[] = [];
    try {
      const stream = configured(await streamOf('order', { on_bad_record: 'skip' }));
      const request = { streams: [stream], state: {} };
      const config = sourceConfig({ path: schema.current.path });
      const error = await (async () => {
        for await (const m of lakeSource.read(quiet(), config, request)) {
          messages.push(m.type === 'batch' ? `batch ${m.rows.length}` : m.type);
        }
      })().catch((e: unknown) => e);
      // b's rows are in a batch of up to 10k rows, which its bad line ends before it is emitted.
      expect(messages).toEqual(['batch 5', 'checkpoint']);
      expect((error as Error).message).toContain(`(stream order, ${at('order/b.jsonl')}, line 6)`);
    } finally {
      await rm(at('order'), { recursive: true });
    }
  });

  it('a file rewritten or deleted after it was listed, before its first row, is left for the next run', async () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const [k, name] of names.entries()) {
      await put(`moving/${name}.jsonl`, `{"id": ${k}}\n`);
      await utimes(
        at(`moving/${name}.jsonl`),
        new Date(),
        new Date(Date.now() - 10_000 + k * 1000),
      );
    }
    const config = sourceConfig({ path: schema.current.path });
    const stream = configured(await streamOf('moving'));
    const readWhile = async (change: () => Promise<void>, state?: unknown) => {
      const states: { files: Record<string, string> }[] = [];
      const ids: unknown[] = [];
      const request = {
        streams: [stream],
        state: state === undefined ? {} : { moving: state as never },
      };
      for await (const m of lakeSource.read(quiet(), config, request)) {
        if (m.type === 'batch') {
          ids.push(...m.rows.map((r) => r.id));
          if (ids.length === 1) await change(); // f is listed, not yet opened
        }
        if (m.type === 'checkpoint') states.push(m.state as { files: Record<string, string> });
      }
      return { ids, last: states.at(-1) };
    };
    try {
      const rewritten = await readWhile(() => put('moving/f.jsonl', '{"id": 50}\n{"id": 51}\n'));
      expect(rewritten.ids).toEqual([0n, 1n, 2n, 3n, 4n]);
      expect(Object.keys(rewritten.last?.files ?? {}).sort()).toEqual(
        ['a', 'b', 'c', 'd', 'e'].map((n) => `moving/${n}.jsonl`),
      );
      const next = await readWhile(() => Promise.resolve(), rewritten.last);
      expect(next.ids).toEqual([50n, 51n]);
      expect(Object.keys(next.last?.files ?? {})).toContain('moving/f.jsonl');

      const deleted = await readWhile(() => rm(at('moving/f.jsonl')));
      expect(deleted.ids).toEqual([0n, 1n, 2n, 3n, 4n]);
      expect(Object.keys(deleted.last?.files ?? {})).not.toContain('moving/f.jsonl');

      // A full refresh (a snapshot to replace a table with) fails instead of leaving it out.
      await put('moving/f.jsonl', '{"id": 5}\n');
      const full = { ...stream, syncMode: 'full_refresh' as const };
      const error = await (async () => {
        let rows = 0;
        for await (const m of lakeSource.read(quiet(), config, { streams: [full], state: {} })) {
          if (m.type === 'batch' && (rows += m.rows.length) === 1) {
            await put('moving/f.jsonl', '{"id": 52}\n');
          }
        }
      })().catch((e: unknown) => e);
      expect((error as Error).message).toBe(
        `reading ${at('moving/f.jsonl')}: the object changed since it was listed; run again to read its new version`,
      );
    } finally {
      await rm(at('moving'), { recursive: true });
    }
  });

  it('a file rewritten after some of its rows were read fails the read, naming it', async () => {
    await schema.current.copy(
      'SELECT i::BIGINT AS id FROM range(10000) t(i)',
      'groups/a.parquet',
      'FORMAT parquet, ROW_GROUP_SIZE 2048',
    );
    const config = sourceConfig({ path: schema.current.path });
    const stream = configured(await streamOf('groups'));
    const batches: number[] = [];
    try {
      const error = await (async () => {
        const request = { streams: [stream], state: {} };
        for await (const m of lakeSource.read(quiet(), config, request)) {
          if (m.type !== 'batch') continue;
          batches.push(m.rows.length);
          if (batches.length === 1) await put('groups/a.parquet', 'rewritten meanwhile');
        }
      })().catch((e: unknown) => e);
      expect(batches).toEqual([2048]);
      expect(error).toBeInstanceOf(TransientError);
      expect((error as Error).message).toBe(
        `reading ${at('groups/a.parquet')}: the object changed since it was listed; run again to read its new version`,
      );
    } finally {
      await rm(at('groups'), { recursive: true });
    }
  });

  it('a partition value that is not of its column type names the file and the column', async () => {
    await put('parts/dt=2025-01-01/a.jsonl', '{"id": 1}\n');
    try {
      const stream = configured(await streamOf('parts'));
      await put('parts/dt=latest/b.jsonl', '{"id": 2}\n');
      await expect(readStream(sourceConfig({ path: schema.current.path }), stream)).rejects.toThrow(
        `partition value "latest" is not a date, the type of column dt; run discover again to see the column's type now (stream parts, ${at('parts/dt=latest/b.jsonl')}, field dt)`,
      );
    } finally {
      await rm(at('parts'), { recursive: true });
    }
  });

  it('a partition filter on a column no table is partitioned by is refused at the column', async () => {
    const filter = (column: string) => ({
      partition_filter: [{ column, op: '>=', value: '2025-01-02' }],
    });
    const error: unknown = await catalog(filter('date')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      {
        pointer: '/partition_filter/0/column',
        message: `no table under ${schema.current.path} has "date=" directories (partition columns: dt, hour)`,
      },
    ]);
    // A filter that rejects every directory of a known column is no error: nothing is new.
    expect((await catalog(filter('hour'))).map((s) => s.name)).toEqual(['events', 'users']);
    // Nor one on a level below a pruned directory (one key under it tells), but a typo next to
    // a filter that prunes still is.
    await put('nested/dt=2025-01-01/region=eu/a.jsonl', '{"id": 1}\n');
    await put('nested/dt=2025-01-01/_SUCCESS', ''); // sorts before region=eu/
    try {
      const deep = (column: string) => ({
        partition_filter: [
          { column: 'dt', op: '>=', value: '2099-01-01' },
          { column, op: '=', value: 'us' },
        ],
      });
      expect((await catalog(deep('region'))).map((s) => s.name)).toEqual(['logs', 'users']);
      const typo: unknown = await catalog(deep('regoin')).catch((e: unknown) => e);
      expect((typo as ConfigError).issues).toEqual([
        {
          pointer: '/partition_filter/1/column',
          message: `no table under ${schema.current.path} has "regoin=" directories (partition columns: dt, hour, region)`,
        },
      ]);
    } finally {
      await rm(at('nested'), { recursive: true });
    }
  });

  it('a table whose files clash is unavailable, naming both files; the others stay usable', async () => {
    await schema.current.copy('SELECT 1::BIGINT AS id', 'clash/a.parquet', 'FORMAT parquet');
    await schema.current.copy("SELECT 'one' AS id", 'clash/b.parquet', 'FORMAT parquet');
    await put('corrupt/x.parquet', 'PAR1 this is no footer PAR1');
    try {
      const found = await schema.current.discover();
      expect(found.streams.map((s: { name: string }) => s.name)).toEqual([
        'events',
        'logs',
        'users',
      ]);
      expect(found.unavailable).toEqual([
        {
          name: 'clash',
          problem: `the files of the table disagree on column "id": int64 in ${at('clash/a.parquet')}, string in ${at('clash/b.parquet')}; rewrite one of them, or exclude the table (stream clash, field id)`,
        },
        { name: 'corrupt', problem: expect.stringContaining(at('corrupt/x.parquet')) as string },
      ]);
      expect(
        (await schema.current.discover({ exclude_tables: ['clash', 'corrupt'] })).unavailable,
      ).toBeUndefined();
    } finally {
      await rm(at('clash'), { recursive: true });
      await rm(at('corrupt'), { recursive: true });
    }
  });
});

describe('check', () => {
  it('lists the tables, and fails without throwing for a missing directory', async () => {
    const ok = await lakeSource.check(quiet(), sourceConfig({ path: schema.current.path }));
    expect(ok).toEqual({
      ok: true,
      details: [`listed ${schema.current.path}: 5 tables (empty, events, logs, notes, users)`],
    });
    const missing = await lakeSource.check(quiet(), sourceConfig({ path: at('no/such') }));
    expect(missing).toEqual({
      ok: false,
      error: `opening the store: opening ${at('no/such')}: no such directory`,
    });
  });
});
