import { join } from 'node:path';
import { field, t, type FieldType } from '@ferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValueIssue } from '../issue.js';
import { tempDir } from '../test-util.js';
import { fileByteSource } from './byte-source.js';
import { readParquet } from './parquet-reader.js';
import { collect, duckCopy } from './test-read.js';
import { widening } from './widen.js';

/** The value of type `from` as `to`; fails the test when there is no such conversion. */
function widened(from: FieldType, to: FieldType, value: unknown): unknown {
  const convert = widening(from, to);
  if (convert === undefined) throw new Error('no widening');
  return convert(value);
}

describe('widening decimals', () => {
  it('rescales a decimal exactly, as text with the wider scale', () => {
    expect(widened(t.decimal(2, 1), t.decimal(10, 3), '1.5')).toBe('1.500');
    expect(widened(t.decimal(3, 2), t.decimal(5, 4), '-0.05')).toBe('-0.0500');
    expect(widened(t.decimal(5, 2), t.decimal(12, 4), '-999.99')).toBe('-999.9900');
    const wide = '-12345678901234567890.123456789012345678';
    expect(widened(t.decimal(38, 18), t.decimal(38, 18), wide)).toBe(wide);
    expect(widened(t.decimal(20, 18), t.decimal(38, 20), '12.345678901234567891')).toBe(
      '12.34567890123456789100',
    );
  });

  it('makes integers decimals without going through floats', () => {
    expect(widened(t.int64, t.decimal(19, 0), 9007199254740993n)).toBe('9007199254740993');
    expect(widened(t.int64, t.decimal(21, 2), -(2n ** 63n))).toBe('-9223372036854775808.00');
    expect(widened(t.int32, t.decimal(12, 2), -2147483648)).toBe('-2147483648.00');
  });

  it('fails for a value the decimal cannot hold, rather than rounding it', () => {
    expect(() => widened(t.decimal(5, 2), t.decimal(4, 1), '1.25')).toThrow(ValueIssue);
    expect(() => widened(t.int64, t.decimal(18, 0), 2n ** 62n)).toThrow('integer digits');
  });
});

describe('widening to json and string', () => {
  it('keeps bigints beyond 2^53 as bigints in json and as digits in text', () => {
    const struct = t.struct([field('n', t.int64), field('m', t.int64)]);
    const value = { n: 9007199254740993n, m: 5n };
    expect(widened(struct, t.json, value)).toEqual({ n: 9007199254740993n, m: 5 });
    expect(widened(t.int64, t.json, -(2n ** 63n))).toBe(-(2n ** 63n));
    expect(widened(t.int64, t.json, 42n)).toBe(42);
    expect(widened(struct, t.string, value)).toBe('{"n":9007199254740993,"m":5}');
  });
});

describe('widening nested values', () => {
  const from = t.struct([field('a', t.int32), field('d', t.decimal(5, 2))]);
  const to = t.struct([
    field('a', t.int64),
    field('d', t.decimal(12, 4)),
    field('extra', t.list(t.int64)),
  ]);

  it('converts struct members by name, a member the file lacks being null', () => {
    expect(widened(from, to, { a: 1, d: '2.50' })).toEqual({ a: 1n, d: '2.5000', extra: null });
    expect(widened(from, to, { a: null, d: '-1.00' })).toEqual({
      a: null,
      d: '-1.0000',
      extra: null,
    });
  });

  it('converts each item of a list, nulls kept, at any depth', () => {
    expect(widened(t.list(t.int32), t.list(t.int64), [1, null, -3])).toEqual([1n, null, -3n]);
    expect(widened(t.list(from), t.list(to), [{ a: 7, d: '0.01' }, null])).toEqual([
      { a: 7n, d: '0.0100', extra: null },
      null,
    ]);
    const map = (value: FieldType): FieldType =>
      t.list(t.struct([field('key', t.string, { nullable: false }), field('value', value)]));
    expect(widened(map(t.int32), map(t.decimal(12, 2)), [{ key: 'k', value: 5 }])).toEqual([
      { key: 'k', value: '5.00' },
    ]);
  });

  it('names the member path of a value that does not fit', () => {
    const narrow = t.list(t.struct([field('d', t.decimal(3, 1))]));
    const error = (() => {
      try {
        widened(t.list(t.struct([field('d', t.decimal(5, 2))])), narrow, [
          { d: '1.00' },
          { d: '1.25' },
        ]);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValueIssue);
    expect((error as ValueIssue).path).toEqual([1, 'd']);
  });

  it('refuses a struct lacking a member that may not be null, and unrelated types', () => {
    const strict = t.struct([field('a', t.int64), field('b', t.int64, { nullable: false })]);
    expect(widening(t.struct([field('a', t.int64)]), strict)).toBeUndefined();
    expect(widening(t.list(t.decimal(5, 2)), t.list(t.int64))).toBeUndefined();
    expect(widening(t.struct([field('a', t.int64)]), t.list(t.int64))).toBeUndefined();
  });
});

describe('reading a Parquet file as united nested types', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it('widens decimals, integers, struct members, list items and map values of the file', async () => {
    const path = await duckCopy(
      join(dir, 'nested.parquet'),
      `SELECT 1::INTEGER AS id, 1.5::DECIMAL(5,2) AS d,
         {'a': 2::INTEGER, 'd': -0.25::DECIMAL(5,2)} AS s, [1::INTEGER, NULL] AS l,
         MAP {'k': 3::INTEGER} AS m`,
      'FORMAT parquet',
    );
    const map = (value: FieldType): FieldType =>
      t.list(t.struct([field('key', t.string, { nullable: false }), field('value', value)]));
    const fields = [
      field('id', t.decimal(19, 0)),
      field('d', t.decimal(12, 4)),
      field(
        's',
        t.struct([field('a', t.int64), field('d', t.decimal(12, 4)), field('x', t.string)]),
      ),
      field('l', t.list(t.int64)),
      field('m', map(t.int64)),
    ];
    const { rows } = await collect(readParquet(await fileByteSource(path), { fields }));
    expect(rows).toEqual([
      {
        id: '1',
        d: '1.5000',
        s: { a: 2n, d: '-0.2500', x: null },
        l: [1n, null],
        m: [{ key: 'k', value: 3n }],
      },
    ]);
  });
});
