import { join } from 'node:path';
import { field, t, type Row } from '@ferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../test-util.js';
import { fileByteSource } from './byte-source.js';
import { parquetFields, readParquet } from './parquet-reader.js';
import { collect, duckCopy } from './test-read.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

// Three rows written by DuckDB: values at the edges, empty collections and nulls inside, nulls.
const SELECT = `
select * from (
  select 0 as n, 1::int as i, 9007199254740993::bigint as b, 0.1::double as f, 1.5::float as r,
    'a,"b" 😀' as s, true as bo,
    timestamp '1969-12-31 23:59:59.123456' as ts,
    timestamptz '2025-01-02 03:04:05.123456+00' as tstz,
    '2025-01-01 00:00:00.123'::timestamp_ms as tms,
    '1969-12-31 23:59:59.999999999'::timestamp_ns as tns,
    '2025-01-01 00:00:01'::timestamp_s as tsec,
    date '1900-03-01' as d,
    123.4::decimal(4,1) as d4, -12345.6789::decimal(9,4) as d9,
    '-12345678901234.5678'::decimal(18,4) as d18,
    '-12345678901234567890.123456789012345678'::decimal(38,18) as d38,
    [1, null, 3] as l, [[1], [], null] as ll, [{'x': 1, 'y': 'a'}, null] as ls,
    {'a': 1, 'b': ['x', null], 'c': {'d': date '2020-01-01'}} as st,
    map {'k1': 10, 'k2': null} as m, map {2: 'two', 1: 'one'} as mi,
    '\\x00\\xFF'::blob as bl, '{"a": [1, 2.5]}'::json as j, 'b'::enum('a', 'b') as e,
    '6ba7b810-9dad-11d1-80b4-00c04fd430c8'::uuid as u, 200::utinyint as ut,
    4000000000::uinteger as ui, 18446744073709551615::ubigint as ub, time '12:34:56.789' as tm
  union all by name
  select 1 as n, [] as l, [] as ll, {'a': null, 'b': [], 'c': null} as st, map {} as m
  union all by name
  select 2 as n
) order by n`;

const FIELDS = [
  field('n', t.int32),
  field('i', t.int32),
  field('b', t.int64),
  field('f', t.float64),
  field('r', t.float64),
  field('s', t.string),
  field('bo', t.boolean),
  field('ts', t.timestamp),
  field('tstz', t.timestamp),
  field('tms', t.timestamp),
  field('tns', t.timestamp),
  field('tsec', t.timestamp),
  field('d', t.date),
  field('d4', t.decimal(4, 1)),
  field('d9', t.decimal(9, 4)),
  field('d18', t.decimal(18, 4)),
  field('d38', t.decimal(38, 18)),
  field('l', t.list(t.int32)),
  field('ll', t.list(t.list(t.int32))),
  field('ls', t.list(t.struct([field('x', t.int32), field('y', t.string)]))),
  field(
    'st',
    t.struct([
      field('a', t.int32),
      field('b', t.list(t.string)),
      field('c', t.struct([field('d', t.date)])),
    ]),
  ),
  field(
    'm',
    t.list(t.struct([field('key', t.string, { nullable: false }), field('value', t.int32)])),
  ),
  field(
    'mi',
    t.list(t.struct([field('key', t.int32, { nullable: false }), field('value', t.string)])),
  ),
  field('bl', t.binary),
  field('j', t.json),
  field('e', t.string),
  field('u', t.string),
  field('ut', t.int32),
  field('ui', t.int64),
  field('ub', t.decimal(20, 0)),
  field('tm', t.string),
];

const NULLS = Object.fromEntries(FIELDS.map((f) => [f.name, null]));

const ROWS: Row[] = [
  {
    n: 0,
    i: 1,
    b: 9007199254740993n,
    f: 0.1,
    r: 1.5,
    s: 'a,"b" 😀',
    bo: true,
    ts: '1969-12-31T23:59:59.123456Z',
    tstz: '2025-01-02T03:04:05.123456Z',
    tms: '2025-01-01T00:00:00.123000Z',
    tns: '1969-12-31T23:59:59.999999Z', // nanoseconds truncated toward the past
    tsec: '2025-01-01T00:00:01.000000Z',
    d: '1900-03-01',
    d4: '123.4',
    d9: '-12345.6789',
    d18: '-12345678901234.5678',
    d38: '-12345678901234567890.123456789012345678',
    l: [1, null, 3],
    ll: [[1], [], null],
    ls: [{ x: 1, y: 'a' }, null],
    st: { a: 1, b: ['x', null], c: { d: '2020-01-01' } },
    m: [
      { key: 'k1', value: 10 },
      { key: 'k2', value: null },
    ],
    mi: [
      { key: 2, value: 'two' },
      { key: 1, value: 'one' },
    ],
    bl: Uint8Array.from([0, 255]),
    j: { a: [1, 2.5] },
    e: 'b',
    u: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
    ut: 200,
    ui: 4000000000n,
    ub: '18446744073709551615',
    tm: '12:34:56.789000',
  },
  { ...NULLS, n: 1, l: [], ll: [], st: { a: null, b: [], c: null }, m: [] },
  { ...NULLS, n: 2 },
];

describe('parquet reader on files DuckDB wrote', () => {
  for (const options of ['COMPRESSION zstd', 'COMPRESSION snappy', 'COMPRESSION gzip']) {
    it(`reads every type with the right ferry type and exact values (${options})`, async () => {
      const name = `types-${options.replace(/\W+/g, '-')}.parquet`;
      const path = await duckCopy(join(dir, name), SELECT, `FORMAT parquet, ${options}`);
      const source = await fileByteSource(path);
      expect(await parquetFields(source)).toEqual(FIELDS);
      const { rows } = await collect(readParquet(source));
      expect(rows).toEqual(ROWS);
    });
  }

  it('reads integers beyond 2^53 in a JSON column exactly, as bigints', async () => {
    const path = await duckCopy(
      join(dir, 'json-bigint.parquet'),
      `select '{"a": {"id": 12345678901234567890}, "l": [-9007199254740993, 0.5, 7]}'::json as j`,
      'FORMAT parquet',
    );
    const source = await fileByteSource(path);
    expect(await parquetFields(source)).toEqual([field('j', t.json)]);
    const { rows } = await collect(readParquet(source));
    expect(rows).toEqual([
      { j: { a: { id: 12345678901234567890n }, l: [-9007199254740993n, 0.5, 7] } },
    ]);
  });

  it('reads Parquet v2 pages (DELTA encodings)', async () => {
    // Without `ui`: hyparquet 1.31.5 decodes the first DELTA_BINARY_PACKED value of an INT32
    // column modulo 2^31, so a UINT_32 of 2^31 or more comes out wrong (DuckDB reads it right).
    const select = `select * exclude (ui) from (${SELECT})`;
    const path = await duckCopy(
      join(dir, 'v2.parquet'),
      select,
      'FORMAT parquet, PARQUET_VERSION v2',
    );
    const source = await fileByteSource(path);
    expect(await parquetFields(source)).toEqual(FIELDS.filter((f) => f.name !== 'ui'));
    const { rows } = await collect(readParquet(source));
    expect(rows).toEqual(ROWS.map(({ ui: _ui, ...rest }) => rest));
  });
});
