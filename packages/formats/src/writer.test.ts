import { field, InternalError, t, type Field } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { createWriter, fileExtension } from './writer.js';

describe('fileExtension', () => {
  it('names the format and the whole-file compression', () => {
    expect(fileExtension('parquet')).toBe('.parquet');
    expect(fileExtension('parquet', 'gzip')).toBe('.parquet');
    expect(fileExtension('jsonl')).toBe('.jsonl.gz');
    expect(fileExtension('jsonl', 'gzip')).toBe('.jsonl.gz');
    expect(fileExtension('jsonl', 'none')).toBe('.jsonl');
  });
});

describe('createWriter', () => {
  const ok = [field('a', t.string)];

  it.each<[string, readonly Field[], RegExp]>([
    ['no fields', [], /the schema has no fields/],
    ['duplicate names', [field('a', t.string), field('a', t.int32)], /two fields named a/],
    ['an empty name', [field('', t.string)], /field named ''/],
    ['a __proto__ field', [field('__proto__', t.string)], /field named '__proto__'/],
    ['an empty struct', [field('s', t.struct([]))], /struct s has no fields/],
    ['scale above precision', [field('d', t.decimal(4, 5))], /field d: invalid decimal\(4,5\)/],
    ['precision 0', [field('l', t.list(t.decimal(0, 0)))], /field l\[\]: invalid decimal\(0,0\)/],
  ])('rejects a schema with %s', (_case, fields, message) => {
    for (const format of ['parquet', 'jsonl'] as const) {
      expect(() => createWriter(format, { fields })).toThrow(InternalError);
      expect(() => createWriter(format, { fields })).toThrow(message);
    }
  });

  it('rejects field names with a comma in parquet only (parquetjs keys columns by a,b paths)', () => {
    const fields = [field('a,b', t.string)];
    expect(() => createWriter('parquet', { fields })).toThrow(/names containing ','/);
    const writer = createWriter('jsonl', { fields });
    writer.abort(new Error('not needed'));
  });

  it('rejects snappy for jsonl and a row group size that is not a positive integer', () => {
    expect(() => createWriter('jsonl', { fields: ok, compression: 'snappy' })).toThrow(
      InternalError,
    );
    for (const rowGroupRows of [0, -1, 1.5, Number.NaN]) {
      expect(() => createWriter('parquet', { fields: ok, rowGroupRows })).toThrow(/rowGroupRows/);
    }
  });
});
