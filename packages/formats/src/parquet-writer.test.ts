import { join } from 'node:path';
import { field, t, type Row } from '@ferry/core';
import { queryDuckDB, sqlString } from '@ferry/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_TYPES, ALL_TYPES_EXPECTED, ALL_TYPES_ROWS } from './test-fixtures.js';
import { tempDir, writeFile } from './test-util.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

function source(path: string): string {
  return `read_parquet(${sqlString(path)})`;
}

describe('parquet writer read back by DuckDB', () => {
  it('round-trips every field type exactly, edge values and nulls at every level', async () => {
    const path = join(dir, 'all.parquet');
    const summary = await writeFile({ format: 'parquet', path, fields: ALL_TYPES }, [
      ALL_TYPES_ROWS,
    ]);
    expect(summary.rows).toBe(5);
    const rows = await queryDuckDB(`select * from ${source(path)} order by id`);
    expect(rows).toEqual(ALL_TYPES_EXPECTED);
  });

  it('gives DuckDB the expected column types', async () => {
    const path = join(dir, 'types.parquet');
    await writeFile({ format: 'parquet', path, fields: ALL_TYPES }, [ALL_TYPES_ROWS]);
    const described = await queryDuckDB(`describe select * from ${source(path)}`);
    const types = Object.fromEntries(described.map((r) => [String(r.column_name), r.column_type]));
    expect(types).toEqual({
      id: 'INTEGER',
      s: 'VARCHAR',
      i64: 'BIGINT',
      f: 'DOUBLE',
      b: 'BOOLEAN',
      ts: 'TIMESTAMP',
      d: 'DATE',
      dec: 'DECIMAL(18,4)',
      dec9: 'DECIMAL(9,2)',
      dec38: 'DECIMAL(38,10)',
      decwide: 'VARCHAR',
      j: 'JSON',
      bin: 'BLOB',
      tags: 'VARCHAR[]',
      nums: 'BIGINT[]',
      props: 'STRUCT(client STRUCT(url VARCHAR, port INTEGER), labels VARCHAR[])',
      events: 'STRUCT("name" VARCHAR, "at" TIMESTAMP)[]',
      matrix: 'INTEGER[][]',
    });
  });

  it('keeps a null list apart from an empty one', async () => {
    const path = join(dir, 'lists.parquet');
    const fields = [field('id', t.int32), field('l', t.list(t.int64))];
    const rows = [
      { id: 0, l: null },
      { id: 1, l: [] },
      { id: 2, l: [null] },
      { id: 3, l: [5n] },
    ];
    await writeFile({ format: 'parquet', path, fields }, [rows]);
    const read = await queryDuckDB(
      `select id, l is null as is_null, len(l) as n from ${source(path)} order by id`,
    );
    expect(read).toEqual([
      { id: 0, is_null: true, n: null },
      { id: 1, is_null: false, n: 0n },
      { id: 2, is_null: false, n: 1n },
      { id: 3, is_null: false, n: 1n },
    ]);
  });

  it('replaces a lone UTF-16 surrogate, which UTF-8 cannot hold, with U+FFFD', async () => {
    const path = join(dir, 'surrogate.parquet');
    await writeFile({ format: 'parquet', path, fields: [field('s', t.string)] }, [
      [{ s: 'a\uD800b' }],
    ]);
    expect(await queryDuckDB(`select s from ${source(path)}`)).toEqual([{ s: 'a\uFFFDb' }]);
  });

  it('writes integers beyond 2^53 inside json values as their digits, read exactly by DuckDB', async () => {
    const path = join(dir, 'json-bigint.parquet');
    const rows: Row[] = [
      { id: 1, j: { a: { id: 12345678901234567890n }, l: [-(2n ** 70n)] } },
      { id: 2, j: { a: { id: 7 }, s: 'x', f: 0.5 } },
    ];
    await writeFile(
      { format: 'parquet', path, fields: [field('id', t.int32), field('j', t.json)] },
      [rows],
    );
    const read = await queryDuckDB(
      `select j::varchar as text, json_extract(j, '$.a.id')::HUGEINT as big,
         json_extract_string(j, '$.l[0]') as l0
       from ${source(path)} order by id`,
    );
    expect(read).toEqual([
      {
        text: '{"a":{"id":12345678901234567890},"l":[-1180591620717411303424]}',
        big: 12345678901234567890n,
        l0: '-1180591620717411303424',
      },
      { text: '{"a":{"id":7},"s":"x","f":0.5}', big: 7n, l0: null },
    ]);
  });

  it('writes row groups of rowGroupRows rows, all read back in order', async () => {
    const path = join(dir, 'groups.parquet');
    const fields = [field('n', t.int64, { nullable: false }), field('s', t.string)];
    const rows = Array.from({ length: 10 }, (_, n) => ({ n, s: `row ${n}` }));
    await writeFile({ format: 'parquet', path, fields, rowGroupRows: 3 }, [
      rows.slice(0, 4),
      rows.slice(4),
    ]);
    const groups = await queryDuckDB(
      `select row_group_id, row_group_num_rows as n from parquet_metadata(${sqlString(path)})
       where path_in_schema = 'n' order by row_group_id`,
    );
    expect(groups.map((g) => g.n)).toEqual([3n, 3n, 3n, 1n]);
    const read = await queryDuckDB(`select n, s from ${source(path)}`);
    expect(read).toEqual(rows.map((r) => ({ n: BigInt(r.n), s: r.s })));
  });

  it.each([
    ['snappy', 'SNAPPY'],
    ['gzip', 'GZIP'],
    ['none', 'UNCOMPRESSED'],
  ] as const)('compresses pages with %s', async (compression, codec) => {
    const path = join(dir, `codec-${compression}.parquet`);
    await writeFile({ format: 'parquet', path, fields: ALL_TYPES, compression }, [ALL_TYPES_ROWS]);
    const codecs = await queryDuckDB(
      `select distinct compression from parquet_metadata(${sqlString(path)})`,
    );
    expect(codecs).toEqual([{ compression: codec }]);
    const rows = await queryDuckDB(`select * from ${source(path)} order by id`);
    expect(rows).toEqual(ALL_TYPES_EXPECTED);
  });
});

describe('parquet statistics do not make DuckDB skip matching rows', () => {
  // parquetjs computes min/max itself; wrong ones make DuckDB prune row groups that match.
  it('orders strings by UTF-8 bytes (emoji above U+FF01)', async () => {
    const path = join(dir, 'stats-strings.parquet');
    const rows: Row[] = [{ s: '\uFF01' }, { s: '😀' }, { s: 'a' }];
    await writeFile({ format: 'parquet', path, fields: [field('s', t.string)] }, [rows]);
    expect(await queryDuckDB(`select s from ${source(path)} where s = '😀'`)).toEqual([
      { s: '😀' },
    ]);
    expect(await queryDuckDB(`select count(*) as n from ${source(path)} where s > 'b'`)).toEqual([
      { n: 2n },
    ]);
  });

  it('finds NaN doubles in range filters (DuckDB orders NaN above every number)', async () => {
    const path = join(dir, 'stats-doubles.parquet');
    const rows: Row[] = [{ x: 1 }, { x: Number.NaN }, { x: 2 }];
    await writeFile({ format: 'parquet', path, fields: [field('x', t.float64)] }, [rows]);
    const read = await queryDuckDB(`select x from ${source(path)} where x > 5`);
    expect(read).toEqual([{ x: Number.NaN }]);
  });

  it('filters negative wide decimals and pre-1970 timestamps correctly', async () => {
    const path = join(dir, 'stats-signed.parquet');
    const fields = [field('d', t.decimal(30, 2)), field('ts', t.timestamp)];
    const rows: Row[] = [
      { d: '-5.00', ts: '1960-01-01T00:00:00Z' },
      { d: '3.00', ts: '2000-01-01T00:00:00Z' },
    ];
    await writeFile({ format: 'parquet', path, fields }, [rows]);
    expect(await queryDuckDB(`select d from ${source(path)} where d < 0`)).toEqual([
      { d: '-5.00' },
    ]);
    const before = await queryDuckDB(
      `select ts from ${source(path)} where ts < timestamp '1970-01-01'`,
    );
    expect(before).toEqual([{ ts: '1960-01-01T00:00:00.000000Z' }]);
  });
});
