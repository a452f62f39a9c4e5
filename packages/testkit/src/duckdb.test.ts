import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InternalError } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { dateString, decimalString, queryDuckDB, timestampString } from './duckdb.js';
import { sqlString } from './sql.js';

describe('queryDuckDB', () => {
  it('returns integers wider than 32 bits as bigint, narrower ones and floats as number', async () => {
    const rows = await queryDuckDB(`select
      9223372036854775807::bigint as max64, (-9223372036854775807 - 1)::bigint as min64,
      9007199254740993::bigint as over53, 170141183460469231731687303715884105727::hugeint as huge,
      18446744073709551615::ubigint as umax, 2147483647::integer as i32, (-32768)::smallint as i16,
      0.1::double as d, 1.5::float as f, true as b, 'zürich 😀' as s`);
    expect(rows).toEqual([
      {
        max64: 9223372036854775807n,
        min64: -9223372036854775808n,
        over53: 9007199254740993n,
        huge: 170141183460469231731687303715884105727n,
        umax: 18446744073709551615n,
        i32: 2147483647,
        i16: -32768,
        d: 0.1,
        f: 1.5,
        b: true,
        s: 'zürich 😀',
      },
    ]);
  });

  it('formats dates and timestamps from their stored value, microseconds kept, in UTC', async () => {
    // The session time zone must not leak into TIMESTAMPTZ values.
    const rows = await queryDuckDB(`set TimeZone='America/New_York'; select
      date '1969-12-31' as d0, date '0001-01-01' as d1, date '2024-02-29' as d2,
      timestamp '1969-12-31 23:59:59.999999' as t0, timestamp '2025-01-02 03:04:05.000001' as t1,
      timestamptz '2025-01-02 03:04:05.123456+02:00' as tz,
      'infinity'::timestamp as inf, '-infinity'::date as ninf`);
    expect(rows).toEqual([
      {
        d0: '1969-12-31',
        d1: '0001-01-01',
        d2: '2024-02-29',
        t0: '1969-12-31T23:59:59.999999Z',
        t1: '2025-01-02T03:04:05.000001Z',
        tz: '2025-01-02T01:04:05.123456Z',
        inf: 'infinity',
        ninf: '-infinity',
      },
    ]);
  });

  it('returns decimals as exact strings with the column scale', async () => {
    const rows = await queryDuckDB(`select -12.34::decimal(18,4) as a, 0.05::decimal(4,2) as b,
      -0.5::decimal(3,1) as c, 12345678901234567890123456789.123456789::decimal(38,9) as d,
      7::decimal(5,0) as e`);
    expect(rows).toEqual([
      { a: '-12.3400', b: '0.05', c: '-0.5', d: '12345678901234567890123456789.123456789', e: '7' },
    ]);
  });

  it('converts blobs, lists, structs, json and nulls', async () => {
    const rows = await queryDuckDB(`select '\\x00\\xFFa'::blob as bin,
      [1, null, 3]::bigint[] as list, {'a': 1::integer, 'b': [{'c': 'x'}], 'n': null::varchar} as st,
      '{"k": [1, 2]}'::json as j, null::varchar as nul, []::integer[] as empty`);
    expect(rows).toEqual([
      {
        bin: Uint8Array.from([0, 255, 97]),
        list: [1n, null, 3n],
        st: { a: 1, b: [{ c: 'x' }], n: null },
        j: '{"k": [1, 2]}',
        nul: null,
        empty: [],
      },
    ]);
  });

  it('reads files named with sqlString, quotes included', async () => {
    const dir = await mkdtemp(join(tmpdir(), "ferry-testkit-'q"));
    try {
      const path = join(dir, "it's.csv");
      await writeFile(path, 'a,b\n1,x\n');
      const rows = await queryDuckDB(`select * from read_csv(${sqlString(path)})`);
      expect(rows).toEqual([{ a: 1n, b: 'x' }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a type it has no ferry form for, naming it', async () => {
    const result = queryDuckDB('select interval 1 day as i');
    await expect(result).rejects.toThrow(InternalError);
    await expect(result).rejects.toThrow(/DuckDBIntervalValue/);
  });

  it('rejects invalid SQL with the DuckDB error', async () => {
    await expect(queryDuckDB('select * from no_such_table')).rejects.toThrow(/no_such_table/);
  });
});

describe('value formatting', () => {
  it('formats extreme and negative values', () => {
    expect(decimalString(-5n, 2)).toBe('-0.05');
    expect(decimalString(0n, 3)).toBe('0.000');
    expect(dateString(-719162)).toBe('0001-01-01');
    expect(dateString(2932896)).toBe('9999-12-31');
    expect(timestampString(-1n)).toBe('1969-12-31T23:59:59.999999Z');
    expect(timestampString(-86_400_000_000n)).toBe('1969-12-31T00:00:00.000000Z');
    expect(timestampString(253402300799999999n)).toBe('9999-12-31T23:59:59.999999Z');
  });
});

describe('sqlString', () => {
  it('doubles single quotes', () => {
    expect(sqlString("it's")).toBe("'it''s'");
    expect(sqlString('')).toBe("''");
  });
});
