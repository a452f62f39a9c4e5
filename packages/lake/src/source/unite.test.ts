import { field, RecordError, t, typeName, type Field, type FieldType } from '@ferry/core';
import { inferFields, NO_VALUES_SAMPLED } from '@ferry/formats';
import { describe, expect, it } from 'vitest';
import { tempLake } from '../test-support.js';
import { spread } from './discover.js';
import { fileFormat } from './file-readers.js';
import { byId, SchemaDir } from './test-schema.js';
import { configured, readStream, sourceConfig } from './test-source.js';
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

/** The united type of column `v` in files a.parquet, b.parquet... declaring `types`. */
function united(...types: FieldType[]): string {
  const schemas = types.map((type, i) =>
    file(`${String.fromCharCode(97 + i)}.parquet`, [field('v', type)]),
  );
  const [v] = uniteSchemas('t', schemas);
  return v === undefined ? 'none' : typeName(v.type);
}

/** The message and field position of the clash of `types` in files a.parquet, b.parquet... */
function clashOf(...types: FieldType[]): string {
  try {
    return `united as ${united(...types)}`;
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    return `${error.reason} @${error.position.field ?? ''}`;
  }
}

const kv = (value: FieldType): FieldType =>
  t.list(t.struct([field('key', t.string, { nullable: false }), field('value', value)]));

describe('uniting decimals', () => {
  it('takes the larger scale and the most integer digits', () => {
    expect(united(t.decimal(5, 2), t.decimal(12, 4))).toBe('decimal(12,4)');
    expect(united(t.decimal(12, 4), t.decimal(5, 2))).toBe('decimal(12,4)');
    expect(united(t.decimal(10, 0), t.decimal(5, 4))).toBe('decimal(14,4)');
    expect(united(t.decimal(18, 18), t.decimal(20, 0))).toBe('decimal(38,18)');
  });

  it('gives int32 10 integer digits and int64 19; with float64 an int stays a float', () => {
    expect(united(t.int32, t.decimal(5, 2))).toBe('decimal(12,2)');
    expect(united(t.decimal(5, 2), t.int64)).toBe('decimal(21,2)');
    expect(united(t.int32, t.int64, t.decimal(30, 10))).toBe('decimal(30,10)');
    expect(united(t.decimal(19, 0), t.int64)).toBe('decimal(19,0)');
    expect(united(t.int64, t.float64)).toBe('float64');
  });

  it('refuses a union wider than 38 digits, and decimals with floats', () => {
    expect(clashOf(t.decimal(38, 0), t.decimal(2, 2))).toBe(
      'the files of the table disagree on column "v": decimal(38,0) in a.parquet, decimal(2,2) in b.parquet (a decimal holding both needs 40 digits, more than 38); rewrite one of them, or exclude the table @v',
    );
    expect(clashOf(t.int64, t.decimal(38, 20))).toContain('needs 39 digits, more than 38');
    expect(clashOf(t.decimal(10, 2), t.float64)).toContain(
      'decimal(10,2) in a.parquet, float64 in b.parquet; rewrite',
    );
  });

  it('names every file a united type comes from in a clash', () => {
    expect(clashOf(t.decimal(10, 0), t.decimal(5, 4), t.decimal(30, 30))).toContain(
      '"v": decimal(14,4) uniting a.parquet and b.parquet, decimal(30,30) in c.parquet (a decimal holding both needs 40 digits',
    );
  });
});

describe('uniting structs, lists and maps', () => {
  it('unites struct members by name, in order of first appearance, a missing one nullable', () => {
    const strict = { nullable: false };
    const [s] = uniteSchemas('t', [
      file('a.parquet', [
        field('s', t.struct([field('id', t.int32, strict), field('amount', t.decimal(5, 2))])),
      ]),
      file('b.parquet', [
        field(
          's',
          t.struct([
            field('note', t.string, strict),
            field('amount', t.decimal(12, 4)),
            field('id', t.int64, strict),
          ]),
        ),
      ]),
    ]);
    expect(s?.type).toEqual(
      t.struct([
        field('id', t.int64, strict),
        field('amount', t.decimal(12, 4)),
        field('note', t.string),
      ]),
    );
  });

  it('unites list items and map values, recursively', () => {
    expect(united(t.list(t.int32), t.list(t.int64))).toBe('list<int64>');
    expect(united(t.list(t.list(t.date)), t.list(t.list(t.timestamp)))).toBe(
      'list<list<timestamp>>',
    );
    const inner = (type: FieldType, more: Field[] = []): FieldType =>
      t.list(t.struct([field('n', type), ...more]));
    expect(united(inner(t.int32), inner(t.decimal(3, 1), [field('x', t.boolean)]))).toBe(
      'list<struct{n: decimal(11,1), x: boolean}>',
    );
    // A Parquet map reads as a list of key/value structs: the key stays non-null.
    const [m] = uniteSchemas('t', [
      file('a.parquet', [field('m', kv(t.int32))]),
      file('b.parquet', [field('m', kv(t.int64))]),
    ]);
    expect(m?.type).toEqual(kv(t.int64));
  });

  it('names the member path, both files and both types in a clash', () => {
    const s = (b: FieldType): FieldType => t.struct([field('a', t.int32), field('b', b)]);
    expect(clashOf(s(t.int64), s(t.string))).toBe(
      'the files of the table disagree on column "v.b": int64 in a.parquet, string in b.parquet; rewrite one of them, or exclude the table @v.b',
    );
    const l = (b: FieldType): FieldType => t.list(t.struct([field('b', b)]));
    expect(clashOf(l(t.int32), l(t.int64), l(t.boolean))).toContain(
      '"v[].b": int64 in b.parquet, boolean in c.parquet;',
    );
    // A member added by a later file is named with that file.
    const added = t.struct([field('a', t.int32), field('c', t.list(t.date))]);
    expect(clashOf(s(t.int64), added, t.struct([field('c', t.list(t.string))]))).toContain(
      '"v.c[]": date in b.parquet, string in c.parquet;',
    );
    expect(clashOf(s(t.int64), t.list(t.int64))).toContain(
      '"v": struct{a: int32, b: int64} in a.parquet, list<int64> in b.parquet;',
    );
    expect(clashOf(kv(t.int32), kv(t.string))).toContain('"v[].value": int32 in a.parquet');
  });
});

describe('reading a table whose Parquet files differ in decimals and nested types', () => {
  it('reads every file as the united types, values exact', async () => {
    const temp = await tempLake();
    try {
      const dir = new SchemaDir(temp.path);
      await dir.copy(
        `SELECT 1::BIGINT AS id, 123.45::DECIMAL(5,2) AS amount, 7::INTEGER AS n,
           {'a': 1::INTEGER, 'd': -0.5::DECIMAL(5,2)} AS s, [1::INTEGER, NULL] AS l`,
        'sales/a.parquet',
        'FORMAT parquet',
      );
      await dir.copy(
        `SELECT 2::BIGINT AS id, -12345678.1234::DECIMAL(12,4) AS amount,
           0.001::DECIMAL(4,3) AS n, {'a': 9007199254740993::BIGINT, 'z': 'x'} AS s,
           [4::BIGINT] AS l`,
        'sales/b.parquet',
        'FORMAT parquet',
      );
      const stream = await dir.streamOf('sales');
      expect(stream.fields.map((f) => [f.name, typeName(f.type)])).toEqual([
        ['id', 'int64'],
        ['amount', 'decimal(12,4)'],
        ['n', 'decimal(13,3)'],
        ['s', 'struct{a: int64, d: decimal(5,2), z: string}'],
        ['l', 'list<int64>'],
      ]);
      const { rows } = await readStream(sourceConfig({ path: temp.path }), configured(stream));
      expect(rows.sort(byId)).toEqual([
        {
          id: 1n,
          amount: '123.4500',
          n: '7.000',
          s: { a: 1n, d: '-0.50', z: null },
          l: [1n, null],
        },
        {
          id: 2n,
          amount: '-12345678.1234',
          n: '0.001',
          s: { a: 9007199254740993n, d: null, z: 'x' },
          l: [4n],
        },
      ]);
    } finally {
      await temp.cleanup();
    }
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
