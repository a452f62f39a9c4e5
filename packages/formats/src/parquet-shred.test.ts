import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ParquetSchema, ParquetShredder } from '@dsnp/parquetjs';
import { InternalError, type Field, type Row } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { ByteOutput } from './output.js';
import { ParquetAppender } from './parquet-append.js';
import { openParquet } from './parquet-open.js';
import { parquetSchemas } from './parquet-schema.js';
import {
  compileShredder,
  emptyRowBuffer,
  type ColumnBuffer,
  type RowBuffer,
} from './parquet-shred.js';
import { StringStatistics } from './parquet-statistics.js';
import { compileParquetRow } from './parquet-values.js';
import { ALL_TYPES, ALL_TYPES_ROWS } from './test-fixtures.js';
import { REQUIRED_NESTING, REQUIRED_NESTING_ROWS, variedRows } from './test-parquet-rows.js';
import { createWriter } from './writer.js';

function records(fields: readonly Field[], rows: readonly Row[]): Record<string, unknown>[] {
  return rows.map(compileParquetRow(fields, { bytes: 0 }));
}

/**
 * A converted value as the writer had it before strings stayed strings: every string a UTF-8
 * Buffer, which parquetjs then compared bytewise in a Set of every value (the reference).
 */
function withUtf8Buffers(value: unknown): unknown {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (Array.isArray(value)) return value.map(withUtf8Buffers);
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withUtf8Buffers(v)]));
}

function referenceRecords(fields: readonly Field[], rows: readonly Row[]) {
  return records(fields, rows).map((record) => withUtf8Buffers(record) as Record<string, unknown>);
}

function valueSchema(fields: readonly Field[]): ParquetSchema {
  return new ParquetSchema(parquetSchemas(fields, 'UNCOMPRESSED').value);
}

function shredWithParquetjs(schema: ParquetSchema, input: readonly Record<string, unknown>[]) {
  const buffer = {};
  for (const record of input) ParquetShredder.shredRecord(schema, record, buffer);
  return buffer as RowBuffer;
}

function shredWithOurs(schema: ParquetSchema, input: readonly Record<string, unknown>[]) {
  const shredder = compileShredder(schema);
  const buffer = emptyRowBuffer(shredder.bufferKeys);
  shredder.attach(buffer);
  for (const record of input) shredder.shred(record);
  buffer.rowCount = input.length;
  buffer.pageRowCount = input.length;
  return buffer;
}

/** What parquetjs's encodePages takes from a Set of Buffers: size, bytewise min and max. */
function byteStatistics(set: ColumnBuffer['distinct_values']) {
  const values = [...set] as Buffer[];
  const min = values.reduce((a, b) => (Buffer.compare(b, a) < 0 ? b : a), values[0]!);
  const max = values.reduce((a, b) => (Buffer.compare(b, a) > 0 ? b : a), values[0]!);
  return { size: set.size, minMax: Buffer.compare(min, max) === 0 ? [min] : [min, max] };
}

function expectSameBuffers(schema: ParquetSchema, ours: RowBuffer, theirs: RowBuffer): void {
  expect(Object.keys(ours.columnData)).toEqual(Object.keys(theirs.columnData));
  expect(ours.pages).toEqual(theirs.pages);
  expect([ours.rowCount, ours.pageRowCount]).toEqual([theirs.rowCount, theirs.pageRowCount]);
  for (const field of schema.fieldList) {
    const key = field.path.join(',');
    const [a, b] = [ours.columnData[key]!, theirs.columnData[key]!];
    const { distinct_values: ourSet, ...ourLevels } = a;
    const { distinct_values: theirSet, ...theirLevels } = b;
    // Strings stay strings in our buffer; parquetjs's encoder makes the same UTF-8 of both.
    expect({ ...ourLevels, values: ourLevels.values.map(withUtf8Buffers) }, key).toStrictEqual(
      theirLevels,
    );
    if (field.isNested === true || field.statistics === false) {
      // Nested fields have no values; statistics-less columns need no Set (parquetjs never
      // reads it for them), so ours stays empty.
      expect(ourSet.size, key).toBe(0);
    } else if (ourSet instanceof StringStatistics) {
      expect(byteStatistics(ourSet), key).toEqual(byteStatistics(theirSet));
    } else {
      expect(ourSet, key).toEqual(theirSet);
    }
  }
}

describe('compiled shredder', () => {
  it.each([
    ['every type, nulls at every level', ALL_TYPES, ALL_TYPES_ROWS],
    ['required groups and lists at depth', REQUIRED_NESTING, REQUIRED_NESTING_ROWS],
    ['varied rows', ALL_TYPES, variedRows(200)],
  ] as const)('fills the same buffer as parquetjs shredRecord: %s', (_, fields, rows) => {
    const schema = valueSchema(fields);
    const ours = shredWithOurs(schema, records(fields, rows));
    expectSameBuffers(schema, ours, shredWithParquetjs(schema, referenceRecords(fields, rows)));
  });

  it('computes the levels of a list<int64> as documented', () => {
    const fields = REQUIRED_NESTING.slice(0, 1).concat(ALL_TYPES.filter((f) => f.name === 'nums'));
    const schema = valueSchema(fields);
    const rows = [{ nums: null }, { nums: [] }, { nums: [null] }, { nums: [5n, 6n] }];
    const buffer = shredWithOurs(
      schema,
      records(
        fields,
        rows.map((row, id) => ({ ...row, id })),
      ),
    );
    const column = buffer.columnData['nums,list,element']!;
    expect(column.dlevels).toEqual([0, 1, 2, 3, 3]);
    expect(column.rlevels).toEqual([0, 0, 0, 0, 1]);
    expect(column.values).toEqual([5n, 6n]);
  });
});

async function collect(output: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  await pipeline(output, sink);
  return Buffer.concat(chunks);
}

/** The file parquetjs writes through its own `appendRow`, row by row: the writer before. */
async function parquetjsFile(fields: readonly Field[], rows: readonly Row[], rowGroupRows: number) {
  const out = new ByteOutput();
  const bytes = collect(out.stream);
  const writer = await openParquet(parquetSchemas(fields, 'SNAPPY'), out, rowGroupRows);
  for (const record of referenceRecords(fields, rows)) await writer.appendRow(record);
  await writer.close();
  return bytes;
}

async function ourFile(fields: readonly Field[], rows: readonly Row[], rowGroupRows: number) {
  const writer = createWriter('parquet', { fields, rowGroupRows });
  const bytes = collect(writer.output);
  // Batches that end before, on and after page (8192 rows) and row group boundaries.
  for (let from = 0; from < rows.length; from += 3333) {
    await writer.write(rows.slice(from, from + 3333));
  }
  await writer.close();
  return bytes;
}

describe('parquet file through the compiled shredder', () => {
  it('is byte for byte the file parquetjs writes row by row, across pages and row groups', async () => {
    // Row groups of 9000 rows: a full page (8192) and a partial one each, a partial last group.
    const rows = variedRows(20_000);
    const [ours, theirs] = [
      await ourFile(ALL_TYPES, rows, 9000),
      await parquetjsFile(ALL_TYPES, rows, 9000),
    ];
    expect(ours.length).toBeGreaterThan(100_000);
    expect(ours.equals(theirs)).toBe(true);
  }, 60_000);

  it('is byte for byte the same for required groups and lists', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => REQUIRED_NESTING_ROWS[i % 4]!);
    const ours = await ourFile(REQUIRED_NESTING, rows, 7);
    expect(ours.equals(await parquetjsFile(REQUIRED_NESTING, rows, 7))).toBe(true);
  });
});

describe('guard on parquetjs internals', () => {
  // Covers a gap no real part can: a parquetjs whose appendRow no longer flushes as 1.8.8 does.
  it('fails loudly when appendRow does not write the full row group', async () => {
    const out = new ByteOutput();
    const writer = await openParquet(parquetSchemas(ALL_TYPES, 'SNAPPY'), out, 2);
    const appender = new ParquetAppender(writer);
    writer.appendRow = () => Promise.resolve();
    const input = records(ALL_TYPES, ALL_TYPES_ROWS);
    await expect(appender.append(input, 0)).rejects.toThrow(InternalError);
    await expect(appender.append(input, 0)).rejects.toThrow(/internals differ from 1\.8\.8/);
  });
});
