import { field, t, type Field, type Row } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { ValueIssue } from './issue.js';
import { compileParquetConverter } from './parquet-convert.js';
import { compileParquetRow } from './parquet-values.js';
import { ALL_TYPES, ALL_TYPES_ROWS } from './test-fixtures.js';
import { REQUIRED_NESTING, REQUIRED_NESTING_ROWS, variedRows } from './test-parquet-rows.js';

const INHERITED_NAMES: readonly Field[] = [
  field('constructor', t.string),
  field('toString', t.struct([field('valueOf', t.int32)])),
];

function issueOf(convert: (row: Row) => unknown, row: Row): ValueIssue {
  try {
    convert(row);
  } catch (error) {
    if (error instanceof ValueIssue) return error;
    throw error;
  }
  throw new Error('expected a ValueIssue');
}

describe('generated parquet converter', () => {
  it.each([
    ['every type', ALL_TYPES, ALL_TYPES_ROWS],
    ['required nesting', REQUIRED_NESTING, REQUIRED_NESTING_ROWS],
    ['varied rows', ALL_TYPES, variedRows(300)],
    ['names of Object.prototype', INHERITED_NAMES, [{}, { constructor: 'c', toString: {} }]],
  ] as const)('gives the records and sizes of the reference converter: %s', (_, fields, rows) => {
    const [fastMeter, referenceMeter] = [{ bytes: 0 }, { bytes: 0 }];
    const fast = compileParquetConverter(fields, fastMeter);
    const reference = compileParquetRow(fields, referenceMeter);
    for (const row of rows) expect(fast(row)).toStrictEqual(reference(row));
    expect(fastMeter.bytes).toBe(referenceMeter.bytes);
  });

  it.each([
    ['a row that is not an object', [1]],
    ['a struct that is not an object', { id: 1, rs: 'x', rl: [] }],
    ['a list that is not an array', { id: 1, rs: { a: 'a' }, rl: 'x' }],
    ['null in a required field', { id: 1, rs: { a: null }, rl: [] }],
    ['a wrong item deep in lists', { id: 1, rs: { a: 'a', l: [{ x: 1, y: ['ok', 5] }] }, rl: [] }],
    ['a wrong item in a nested list', { id: 1, rs: { a: 'a' }, rl: [['a'], [null, 7]] }],
  ] as const)('rejects %s with the reference issue and path', (_, row) => {
    const fast = compileParquetConverter(REQUIRED_NESTING, { bytes: 0 });
    const reference = compileParquetRow(REQUIRED_NESTING, { bytes: 0 });
    const issue = issueOf(fast, row as Row);
    const expected = issueOf(reference, row as Row);
    expect([issue.message, issue.path]).toEqual([expected.message, expected.path]);
  });
});
