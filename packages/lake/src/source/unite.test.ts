import { field, t } from '@ferry/core';
import { inferFields, NO_VALUES_SAMPLED } from '@ferry/formats';
import { describe, expect, it } from 'vitest';
import { spread } from './discover.js';
import { fileFormat } from './file-readers.js';
import { uniteSchemas, type FileSchema } from './unite.js';

const file = (name: string, fields: FileSchema['fields'], inferred = false): FileSchema => ({
  name,
  fields,
  inferred,
});

describe('uniting the schemas of a table', () => {
  it('widens int32 -> int64 -> float64 and date -> timestamp; a missing column is nullable', () => {
    const fields = uniteSchemas('t', [
      file('a', [
        field('n', t.int32, { nullable: false }),
        field('d', t.date),
        field('x', t.int64),
      ]),
      file('b', [field('n', t.int64, { nullable: false }), field('d', t.timestamp)]),
      file('c', [field('n', t.float64, { nullable: false }), field('d', t.date)]),
    ]);
    expect(fields.map((f) => [f.name, f.type.kind, f.nullable])).toEqual([
      ['n', 'float64', false],
      ['d', 'timestamp', true],
      ['x', 'int64', true],
    ]);
  });

  it('mixes inferred types as inference does; refuses a clash of declared ones', () => {
    const inferred = uniteSchemas('t', [
      file('a.csv', [field('v', t.int64), field('j', t.json)], true),
      file('b.csv', [field('v', t.boolean), field('j', t.string)], true),
    ]);
    expect(inferred.map((f) => f.type.kind)).toEqual(['string', 'json']);
    expect(() =>
      uniteSchemas('t', [
        file('a.parquet', [field('v', t.int64)]),
        file('b.csv', [field('v', t.boolean)], true),
      ]),
    ).toThrow('column "v": int64 in a.parquet, boolean in b.csv');
  });
});

describe('columns without values in a sample', () => {
  it('take the type another file shows, so an empty export does not make a column text', () => {
    // An empty CSV (a header only) and one with values, in either order.
    const empty = file('empty.csv', inferFields([{ id: '', amount: '' }], 'csv'), true);
    const full = file('full.csv', inferFields([{ id: '1', amount: '2.5' }], 'csv'), true);
    for (const order of [
      [empty, full],
      [full, empty],
    ]) {
      expect(uniteSchemas('t', order).map((f) => [f.name, f.type.kind, f.nullable])).toEqual([
        ['id', 'int64', true],
        ['amount', 'float64', true],
      ]);
    }
    // Without any value anywhere the column stays a string, and says why.
    const [only] = uniteSchemas('t', [empty]);
    expect([only?.type.kind, only?.description]).toEqual(['string', NO_VALUES_SAMPLED]);
  });
});

describe('file formats by extension', () => {
  it('reads .parquet, .csv and JSON Lines names, gzipped text, and only the format asked for', () => {
    const keys = [
      'a.parquet',
      'b.csv',
      'c.csv.gz',
      'd.jsonl',
      'e.ndjson.gz',
      'f.json',
      'g.txt',
      'h.parquet.gz',
      'I.CSV',
    ];
    expect(keys.map((k) => fileFormat(`t/${k}`, 'auto') ?? null)).toEqual([
      'parquet',
      'csv',
      'csv',
      'jsonl',
      'jsonl',
      'jsonl',
      null,
      null,
      'csv',
    ]);
    expect(keys.map((k) => fileFormat(k, 'jsonl') ?? null).filter((f) => f !== null)).toHaveLength(
      3,
    );
  });

  it('samples files spread over the table, first and last included', () => {
    expect(spread([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4)).toEqual([0, 3, 6, 9]);
    expect(spread([1, 2], 100)).toEqual([1, 2]);
  });
});
