import { join } from 'node:path';
import parquet from '@dsnp/parquetjs';
import { field, t, type Field, type Row } from '@ferry/core';
import { conformanceFields, conformanceRows } from '@ferry/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_TYPES, ALL_TYPES_EXPECTED, ALL_TYPES_ROWS } from '../test-fixtures.js';
import { REQUIRED_NESTING, REQUIRED_NESTING_ROWS } from '../test-parquet-rows.js';
import { tempDir, writeFile } from '../test-util.js';
import { fileByteSource } from './byte-source.js';
import { parquetFields, readParquet } from './parquet-reader.js';
import { collect } from './test-read.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

/** ALL_TYPES_EXPECTED as a ferry reader gives it: json values parsed (DuckDB gives the text). */
const ALL_TYPES_READ: Row[] = ALL_TYPES_EXPECTED.map((row) => ({
  ...row,
  j: typeof row.j === 'string' ? (JSON.parse(row.j) as unknown) : null,
}));

async function written(
  name: string,
  content: { fields: readonly Field[]; rows: readonly Row[] },
  rowGroupRows = 2,
): Promise<string> {
  const { fields, rows } = content;
  const path = join(dir, name);
  await writeFile({ format: 'parquet', path, fields, rowGroupRows }, [rows]);
  return path;
}

describe('parquet reader on files of our own writer', () => {
  it('round-trips every ferry type exactly: edge values, nulls at every level, several row groups', async () => {
    const source = await fileByteSource(
      await written('all.parquet', { fields: ALL_TYPES, rows: ALL_TYPES_ROWS }),
    );
    const { rows, batches } = await collect(readParquet(source, { fields: ALL_TYPES }));
    expect(rows).toEqual(ALL_TYPES_READ);
    expect(batches.map((b) => [b.rowGroup, b.firstRow, b.rows.length])).toEqual([
      [0, 0, 2],
      [1, 2, 2],
      [2, 4, 1],
    ]);
  });

  it('maps the schema back to the written fields (decimals above precision 38 are strings)', async () => {
    const source = await fileByteSource(
      await written('fields.parquet', { fields: ALL_TYPES, rows: ALL_TYPES_ROWS }),
    );
    const expected = ALL_TYPES.map((f) => (f.name === 'decwide' ? field('decwide', t.string) : f));
    expect(await parquetFields(source)).toEqual(expected);
    const { rows } = await collect(readParquet(source));
    expect(rows.map((r) => r.decwide)).toEqual(ALL_TYPES_READ.map((r) => r.decwide));
  });

  it('round-trips the conformance rows (int64 beyond 2^53, timestamps before 1970, decimal(18,4))', async () => {
    const expected = conformanceRows(0, 250);
    const path = await written(
      'conformance.parquet',
      { fields: conformanceFields, rows: expected },
      100,
    );
    const source = await fileByteSource(path);
    expect(await parquetFields(source)).toEqual(conformanceFields);
    const { rows, batches } = await collect(readParquet(source, { batchRows: 40 }));
    expect(rows).toEqual(expected);
    // A batch never spans two row groups.
    expect(batches.map((b) => `${b.rowGroup}:${b.firstRow}+${b.rows.length}`)).toEqual([
      '0:0+40',
      '0:40+40',
      '0:80+20',
      '1:100+40',
      '1:140+40',
      '1:180+20',
      '2:200+40',
      '2:240+10',
    ]);
  });

  it('round-trips json values holding integers beyond 2^53 exactly', async () => {
    const fields = [field('j', t.json)];
    const rows: Row[] = [
      { j: { a: { id: 12345678901234567890n }, l: [-(2n ** 70n), 9007199254740991, 0.5] } },
      { j: { a: { id: 1 }, s: 'x' } },
      { j: 123456789012345678901234567890n },
    ];
    const source = await fileByteSource(await written('json-bigint.parquet', { fields, rows }));
    expect((await collect(readParquet(source))).rows).toEqual(rows);
  });

  it('reads required groups and lists at depth', async () => {
    const source = await fileByteSource(
      await written('required.parquet', { fields: REQUIRED_NESTING, rows: REQUIRED_NESTING_ROWS }),
    );
    expect(await parquetFields(source)).toEqual(REQUIRED_NESTING);
    const { rows } = await collect(readParquet(source));
    expect(rows).toEqual(
      REQUIRED_NESTING_ROWS.map((r) => ({
        ...r,
        rs:
          r.id === 3
            ? {
                a: 'c',
                l: [{ x: 1n, y: null }, { x: 2n, y: [] }, null, { x: -3n, y: [null, 'y'] }],
              }
            : r.rs,
      })),
    );
  });

  it("reads parquetjs's own bare repeated fields as lists that are never null", async () => {
    const path = join(dir, 'bare.parquet');
    const schema = new parquet.ParquetSchema({
      id: { type: 'INT32' },
      tags: { type: 'UTF8', repeated: true },
      events: {
        repeated: true,
        fields: { name: { type: 'UTF8' }, n: { type: 'INT64', optional: true } },
      },
    });
    const writer = await parquet.ParquetWriter.openFile(schema, path);
    await writer.appendRow({
      id: 1,
      tags: ['a', 'b'],
      events: [{ name: 'e', n: 5n }, { name: 'f' }],
    });
    await writer.appendRow({ id: 2, tags: [], events: [] });
    await writer.close();
    const source = await fileByteSource(path);
    expect(await parquetFields(source)).toEqual([
      field('id', t.int32, { nullable: false }),
      field('tags', t.list(t.string), { nullable: false }),
      field(
        'events',
        t.list(t.struct([field('name', t.string, { nullable: false }), field('n', t.int64)])),
        { nullable: false },
      ),
    ]);
    const { rows } = await collect(readParquet(source));
    expect(rows).toEqual([
      {
        id: 1,
        tags: ['a', 'b'],
        events: [
          { name: 'e', n: 5n },
          { name: 'f', n: null },
        ],
      },
      { id: 2, tags: [], events: [] },
    ]);
  });
});
