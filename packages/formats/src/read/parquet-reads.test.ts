import { join } from 'node:path';
import { ConnectionError, field, RecordError, t } from '@ferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../test-util.js';
import { bytesByteSource, fileByteSource, type ByteRange, type ByteSource } from './byte-source.js';
import { parquetFields, readParquet } from './parquet-reader.js';
import { collect, countingSource, duckCopy, rejection } from './test-read.js';

let dir: string;
let cleanup: () => Promise<void>;
let groups: string; // 60,000 rows in row groups of 20,480 rows (DuckDB rounds to 2,048s)
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  const select = `select range::int as id, md5(range::varchar) as h, (range * 0.5)::double as x,
    date '1960-01-01' + range::int as d from range(60000)`;
  groups = await duckCopy(
    join(dir, 'groups.parquet'),
    select,
    'FORMAT parquet, ROW_GROUP_SIZE 20480',
  );
});
afterAll(() => cleanup());

function bytesOf(reads: readonly (ByteRange | 'all')[], size: number): number {
  return reads.reduce((sum, r) => sum + (r === 'all' ? size : r.end - r.start + 1), 0);
}

describe('parquet reader: one row group at a time', () => {
  it('reads in batches per row group, with range reads near the row group sizes', async () => {
    const source = countingSource(await fileByteSource(groups));
    const seen: { group: number | undefined; first: number; rows: number; bytes: number }[] = [];
    for await (const batch of readParquet(source, { batchRows: 8000 })) {
      const bytes = bytesOf(source.reads, source.size);
      seen.push({ group: batch.rowGroup, first: batch.firstRow, rows: batch.rows.length, bytes });
      expect(batch.rows[0]).toEqual({
        id: batch.firstRow,
        h: expect.any(String) as unknown,
        x: batch.firstRow * 0.5,
        d: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as unknown,
      });
    }
    expect(seen.map((s) => [s.group, s.first, s.rows])).toEqual([
      [0, 0, 8000],
      [0, 8000, 8000],
      [0, 16000, 4480],
      [1, 20480, 8000],
      [1, 28480, 8000],
      [1, 36480, 4480],
      [2, 40960, 8000],
      [2, 48960, 8000],
      [2, 56960, 3040],
    ]);
    // The first rows arrive after the footer and the first row group only, and every byte is
    // read about once: never the whole file at once.
    expect(seen[0]?.bytes).toBeLessThan(source.size / 2);
    expect(source.reads).not.toContain('all');
    expect(bytesOf(source.reads, source.size)).toBeLessThan(source.size + 64 * 1024);
  });

  it('gives dates before 1970 and row numbers right across row groups', async () => {
    const { rows } = await collect(readParquet(await fileByteSource(groups)));
    expect(rows).toHaveLength(60000);
    expect(rows[0]?.d).toBe('1960-01-01');
    expect(rows[59999]).toMatchObject({ id: 59999, d: '2124-04-09' });
  });

  it('reads the columns asked for: widened, missing ones null, in the order asked', async () => {
    const fields = [
      field('x', t.float64),
      field('id', t.int64),
      field('absent', t.string),
      field('d', t.timestamp),
      field('h', t.json),
    ];
    const { rows } = await collect(readParquet(await fileByteSource(groups), { fields }));
    expect(Object.keys(rows[3] ?? {})).toEqual(['x', 'id', 'absent', 'd', 'h']);
    expect(rows[3]).toMatchObject({
      x: 1.5,
      id: 3n,
      absent: null,
      d: '1960-01-04T00:00:00.000000Z',
    });
  });

  it("names the file's columns not asked for once the footer is read (none when all are)", async () => {
    const source = await fileByteSource(groups);
    const fields = [field('x', t.float64), field('absent', t.string)];
    const reader = readParquet(source, { fields, batchRows: 1000 });
    expect(reader.extraColumns).toEqual([]);
    const batches = reader[Symbol.asyncIterator]();
    await batches.next();
    expect(reader.extraColumns).toEqual(['id', 'h', 'd']);
    await batches.return?.();
    const all = readParquet(source, { batchRows: 60000 });
    await collect(all);
    expect(all.extraColumns).toEqual([]);
  });

  it('refuses a column it cannot convert, or a missing one that may not be null', async () => {
    const source = await fileByteSource(groups);
    const wrongType = await rejection(
      collect(readParquet(source, { fields: [field('x', t.date)] })),
    );
    expect(wrongType).toBeInstanceOf(RecordError);
    expect(wrongType.message).toBe(
      `cannot read Parquet column: it is float64 in the file, which cannot be read as date (${groups}, field x)`,
    );
    const fields = [field('nope', t.int32, { nullable: false })];
    const missing = await rejection(collect(readParquet(source, { fields })));
    expect(missing.message).toBe(
      `cannot read Parquet file: the column is not in the file, and not nullable (${groups}, field nope)`,
    );
  });

  it('names the row and field of a value that does not fit, or skips and counts it', async () => {
    const fields = [field('id', t.int32), field('h', t.int64)];
    const source = await fileByteSource(groups);
    const error = await rejection(collect(readParquet(source, { fields })));
    expect(error.message).toBe(
      `cannot read Parquet row: expected an int64, got a string that is not an integer (${groups}, row 0, field h)`,
    );
    const reader = readParquet(source, { fields, onBadRecord: 'skip', batchRows: 50000 });
    const { rows } = await collect(reader);
    // md5 hex digests made of digits only are integers; all others are dropped.
    expect(reader.skipped).toBe(60000 - rows.length);
    expect(reader.skipped).toBeGreaterThan(59000);
    expect(reader.firstSkipped?.message).toBe(error.message);
  });

  it("passes the source's own errors through, and stops when aborted", async () => {
    const refused = new ConnectionError('reading s3://b/k: no such object');
    const failing: ByteSource = {
      name: 's3://b/k',
      size: 1000,
      read: () => Promise.reject(refused),
    };
    expect(await rejection(parquetFields(failing))).toBe(refused);
    const controller = new AbortController();
    const reason = new ConnectionError('run aborted');
    const reader = readParquet(await fileByteSource(groups), {
      batchRows: 1000,
      signal: controller.signal,
    });
    let batches = 0;
    const error = await rejection(
      (async () => {
        for await (const _batch of reader) {
          batches += 1;
          if (batches === 2) controller.abort(reason);
        }
      })(),
    );
    expect(error).toBe(reason);
    expect(batches).toBe(2);
  });

  it('reads a file with no rows', async () => {
    const path = await duckCopy(
      join(dir, 'empty.parquet'),
      'select 1::int as a where false',
      'FORMAT parquet',
    );
    const source = await fileByteSource(path);
    expect(await parquetFields(source)).toEqual([field('a', t.int32)]);
    expect((await collect(readParquet(source))).rows).toEqual([]);
    expect(
      await parquetFields(bytesByteSource('mem', new Uint8Array(0))).catch(
        (e: unknown) => (e as Error).message,
      ),
    ).toBe('cannot read Parquet file: 0 bytes are too few for Parquet (mem)');
  });
});
