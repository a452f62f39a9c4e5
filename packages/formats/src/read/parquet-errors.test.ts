import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RecordError } from '@ferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../test-util.js';
import { bytesByteSource, fileByteSource } from './byte-source.js';
import { parquetFields, readParquet } from './parquet-reader.js';
import { collect, duckCopy, rejection } from './test-read.js';

let dir: string;
let cleanup: () => Promise<void>;
let good: Uint8Array;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  const select = 'select range::int as id, md5(range::varchar) as h from range(3000)';
  const path = await duckCopy(
    join(dir, 'good.parquet'),
    select,
    'FORMAT parquet, ROW_GROUP_SIZE 2048',
  );
  good = await readFile(path);
});
afterAll(() => cleanup());

async function errorOf(name: string, bytes: Uint8Array): Promise<RecordError> {
  const error = await rejection(collect(readParquet(bytesByteSource(name, bytes))));
  if (!(error instanceof RecordError)) throw error;
  return error;
}

describe('parquet reader errors: what is wrong, the file and where', () => {
  it('says a truncated file is truncated', async () => {
    const error = await errorOf('s3://b/t/cut.parquet', good.subarray(0, good.length - 100));
    expect(error.message).toBe(
      'cannot read Parquet file: it does not end with the Parquet magic bytes (truncated, or not Parquet) (s3://b/t/cut.parquet)',
    );
    expect(error.position).toEqual({ key: 's3://b/t/cut.parquet' });
  });

  it('says a file of another format is not Parquet', async () => {
    const csv = new TextEncoder().encode('id,h\n1,a\n2,b\n3,c\n');
    const error = await errorOf('t/data.parquet', csv);
    expect(error.message).toBe(
      'cannot read Parquet file: it does not end with the Parquet magic bytes (truncated, or not Parquet) (t/data.parquet)',
    );
    expect((await errorOf('t/tiny.parquet', good.subarray(0, 8))).message).toBe(
      'cannot read Parquet file: 8 bytes are too few for Parquet (t/tiny.parquet)',
    );
  });

  it('says a footer whose length points before the file start is corrupt', async () => {
    const bytes = Uint8Array.from(good);
    new DataView(bytes.buffer).setUint32(bytes.length - 8, bytes.length + 5, true);
    expect((await errorOf('t/len.parquet', bytes)).message).toBe(
      'cannot read Parquet file: its footer is longer than the file (truncated or corrupt) (t/len.parquet)',
    );
  });

  it('names the row group of corrupt data, after the rows of the groups before it', async () => {
    // The second row group's pages start after the first's; garbage there breaks only it.
    const bytes = Uint8Array.from(good);
    const source = bytesByteSource('t/bad.parquet', bytes);
    const batches: number[] = [];
    const groupStart = await secondGroupOffset(join(dir, 'good.parquet'));
    bytes.fill(0xff, groupStart, groupStart + 64);
    const error = await rejection(
      (async () => {
        for await (const batch of readParquet(source)) batches.push(batch.rows.length);
      })(),
    );
    expect(batches).toEqual([2048]);
    expect(error).toBeInstanceOf(RecordError);
    expect(error.message).toMatch(
      /^cannot read Parquet row group 1 \(rows 2048-2999\): corrupt data \(.+\) \(t\/bad\.parquet, row 2048\)$/,
    );
  });

  it('names the column of a type ferry does not read', async () => {
    const path = await duckCopy(
      join(dir, 'interval.parquet'),
      'select 1 as id, {"span": interval 3 day} as s',
      'FORMAT parquet',
    );
    const error = await rejection(parquetFields(await fileByteSource(path)));
    expect(error.message).toBe(
      `cannot read Parquet schema: column s.span has the type FIXED_LEN_BYTE_ARRAY (INTERVAL), which ferry does not read (${path}, field s.span)`,
    );
  });
});

/** Where the second row group's first column chunk starts, from DuckDB's parquet_metadata. */
async function secondGroupOffset(path: string): Promise<number> {
  const { queryDuckDB, sqlString } = await import('@ferry/testkit');
  const rows = await queryDuckDB(
    `select min(coalesce(dictionary_page_offset, data_page_offset)) as at
     from parquet_metadata(${sqlString(path)}) where row_group_id = 1`,
  );
  return Number(rows[0]?.at);
}
