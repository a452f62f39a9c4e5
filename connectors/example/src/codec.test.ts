import { field, RecordError, t, type Field, type Row } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { decodeLine, decodeRow, encodeLine, encodeRow } from './codec.js';

const fields: Field[] = [
  field('id', t.int64, { nullable: false }),
  field('small', t.int32),
  field('ratio', t.float64),
  field('flag', t.boolean),
  field('label', t.string),
  field('at', t.timestamp),
  field('day', t.date),
  field('price', t.decimal(10, 4)),
  field('doc', t.json),
  field('bytes', t.binary),
  field('tags', t.list(t.int64)),
  field('address', t.struct([field('city', t.string), field('zip', t.int32)])),
];

/** What a row becomes after a trip through a line of text. */
function roundTrip(row: Row, using: readonly Field[] = fields): Row {
  return decodeLine(encodeLine(row, using), using);
}

const full: Row = {
  id: 2n ** 63n - 1n,
  small: -(2 ** 31),
  ratio: 0.1,
  flag: true,
  label: 'zoë 🚢 "quoted"\nnext line',
  at: '2025-01-02T03:04:05.123456Z',
  day: '2024-02-29',
  price: '-12.3400',
  doc: { a: [1, 'two', null], b: { c: true }, big: [2n ** 64n + 1n, -(2n ** 53n) - 1n] },
  bytes: new Uint8Array([0, 1, 254, 255]),
  tags: [-(2n ** 63n), null, 0n],
  address: { city: 'Zürich', zip: 8001 },
};

describe('codec', () => {
  it('reads back every type exactly, int64 beyond 2^53 included', () => {
    expect(roundTrip(full)).toEqual(full);
  });

  it('writes the integers beyond 2^53 of a json value as their digits', () => {
    expect(encodeLine(full, fields)).toContain(
      '"doc":{"a":[1,"two",null],"b":{"c":true},"big":[18446744073709551617,-9007199254740993]}',
    );
  });

  it('reads the numbers of a line written by another tool exactly', () => {
    const line =
      '{"id": 9007199254740993, "ratio": 1152921504606846976, "doc": {"n": [9007199254740993, 0.5]}}';
    expect(decodeLine(line, fields)).toMatchObject({
      id: 9007199254740993n,
      ratio: 2 ** 60,
      doc: { n: [9007199254740993n, 0.5] },
    });
    const wide = [field('amount', t.decimal(20, 0))];
    expect(decodeLine('{"amount": 12345678901234567890}', wide)).toEqual({
      amount: '12345678901234567890',
    });
  });

  it('writes int64 as decimal strings and binary as base64', () => {
    const line = encodeRow(full, fields);
    expect(line.id).toBe('9223372036854775807');
    expect(line.tags).toEqual(['-9223372036854775808', null, '0']);
    expect(line.bytes).toBe('AAH+/w==');
  });

  it('keeps nulls, and turns missing values into nulls', () => {
    const row = roundTrip({ id: 1n, address: { city: null } });
    expect(row).toMatchObject({
      id: 1n,
      small: null,
      doc: null,
      address: { city: null, zip: null },
    });
  });

  it('gives timestamps, decimals and NaN in one canonical form', () => {
    const row = roundTrip({
      id: 1,
      at: '2025-01-02T04:04:05.5+01:00',
      price: 7.5,
      ratio: NaN,
    });
    expect(row).toMatchObject({ id: 1n, at: '2025-01-02T03:04:05.500000Z', price: '7.5000' });
    expect(row.ratio).toBeNaN();
    expect(roundTrip({ id: 1, at: new Date(0) }).at).toBe('1970-01-01T00:00:00.000000Z');
    // JSON.stringify writes this double as 19 digits, which are read back as a bigint at first.
    expect(roundTrip({ id: 1, ratio: 2 ** 60 }).ratio).toBe(2 ** 60);
  });

  it.each([
    ['a string in an int64 field', { id: 'one' }, 'id'],
    ['a missing value in a field that is not nullable', { small: 1 }, 'id'],
    ['an int64 beyond 2^63 - 1', { id: 2n ** 63n }, 'id'],
    ['an int32 beyond 2^31 - 1', { id: 1n, small: 2 ** 31 }, 'small'],
    ['a decimal with more digits than its scale', { id: 1n, price: '1.23456' }, 'price'],
    ['a day that does not exist', { id: 1n, day: '2025-02-30' }, 'day'],
    ['a wrong type inside a list', { id: 1n, tags: [1n, 'x'] }, 'tags[1]'],
    ['a wrong type inside a struct', { id: 1n, address: { zip: '8001' } }, 'address.zip'],
    ['a json value JSON cannot hold', { id: 1n, doc: { at: new Date(0) } }, 'doc'],
  ])('refuses %s, naming the field', (_name, row, path) => {
    const error = catchError(() => encodeRow(row, fields));
    expect(error).toBeInstanceOf(RecordError);
    expect((error as RecordError).position.field).toBe(path);
  });

  it('refuses a line that is not an object or holds a wrong type', () => {
    expect(() => decodeRow([1], fields)).toThrow(RecordError);
    expect(() => decodeRow({ id: '1', bytes: 'not base64!' }, fields)).toThrow(/field bytes/);
    expect(() => decodeLine('{"id": "1", "doc": NaN}', fields)).toThrow(SyntaxError);
  });
});

function catchError(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}
