import { rm, utimes } from 'node:fs/promises';
import { isFerryError } from '@ferry/core';
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

  it('an incompatible column type across files is an error naming both files', async () => {
    await schema.current.copy('SELECT 1::BIGINT AS id', 'clash/a.parquet', 'FORMAT parquet');
    await schema.current.copy("SELECT 'one' AS id", 'clash/b.parquet', 'FORMAT parquet');
    try {
      const error: unknown = await catalog().catch((e: unknown) => e);
      expect(isFerryError(error) && error.code).toBe('record');
      expect((error as Error).message).toBe(
        `the files of the table disagree on column "id": int64 in ${at('clash/a.parquet')}, string in ${at('clash/b.parquet')}; rewrite one of them, or exclude the table (stream clash, field id)`,
      );
      expect((await catalog({ exclude_tables: ['clash'] })).length).toBe(3);
    } finally {
      await rm(at('clash'), { recursive: true });
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
