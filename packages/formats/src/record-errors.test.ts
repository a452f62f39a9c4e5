import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { field, RecordError, t, type Field, type Row } from '@ferry/core';
import { queryDuckDB, sqlString } from '@ferry/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWriter, fileExtension, type FileFormat } from './writer.js';
import { tempDir, writeFile } from './test-util.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

const FIELDS: readonly Field[] = [
  field('id', t.int32, { nullable: false }),
  field('name', t.string),
  field('at', t.timestamp),
  field('day', t.date),
  field('amount', t.decimal(6, 2)),
  field('count', t.int64),
  field(
    'properties',
    t.struct([field('client', t.struct([field('url', t.string, { nullable: false })]))]),
  ),
  field('segments', t.list(t.struct([field('n', t.int32)]))),
];

const VALID: Row = { id: 1, name: 'ok', properties: { client: { url: 'u' } }, segments: [] };

/** The RecordError that writing `bad` as row 1 of a batch rejects with. */
async function rejection(format: FileFormat, bad: Row): Promise<RecordError> {
  const writer = createWriter(format, { fields: FIELDS });
  writer.output.resume();
  const error: unknown = await writer.write([VALID, bad]).then(
    () => undefined,
    (e: unknown) => e,
  );
  writer.abort(new Error('test over'));
  if (!(error instanceof RecordError))
    throw new Error(`expected a RecordError, got ${String(error)}`);
  return error;
}

// A value that would be recognisable in a message; messages must not contain it.
const SECRET = 'SECRET-4711@example.com';

const CASES: [string, Row, string, string][] = [
  ['wrong JS type', { ...VALID, name: 4711 }, 'name', 'expected a string, got number'],
  [
    'null in a non-nullable field',
    { ...VALID, id: null },
    'id',
    'expected a non-null int32, got null',
  ],
  [
    'missing non-nullable field',
    { name: SECRET },
    'id',
    'expected a non-null int32, got undefined (missing)',
  ],
  ['int32 overflow', { ...VALID, id: 2147483648 }, 'id', 'got a number out of range'],
  ['non-integer int32', { ...VALID, id: 1.5 }, 'id', 'got a number that is not an integer'],
  ['unsafe int64 number', { ...VALID, count: 2 ** 53 }, 'count', 'got an unsafe integer number'],
  ['int64 as string', { ...VALID, count: SECRET }, 'count', 'got string'],
  ['bad timestamp', { ...VALID, at: SECRET }, 'at', 'got a string in another format'],
  [
    'impossible timestamp',
    { ...VALID, at: '2025-02-29T00:00:00Z' },
    'at',
    'got a string with an out-of-range date or time part',
  ],
  [
    'timestamp beyond microseconds',
    { ...VALID, at: '2025-01-01T00:00:00.1234567Z' },
    'at',
    'got a string with more than 6 fraction digits',
  ],
  ['invalid Date', { ...VALID, at: new Date(Number.NaN) }, 'at', 'got an invalid Date'],
  ['bad date', { ...VALID, day: '2025-1-2' }, 'day', 'got a string in another format'],
  [
    'decimal with too many fraction digits',
    { ...VALID, amount: '1.234' },
    'amount',
    'got a value with more than 2 fraction digits',
  ],
  [
    'decimal with too many integer digits',
    { ...VALID, amount: 12345 },
    'amount',
    'got a value with more than 4 integer digits',
  ],
  [
    'nested non-nullable null',
    { ...VALID, properties: { client: { url: null } } },
    'properties.client.url',
    'expected a non-null string, got null',
  ],
  [
    'struct that is not an object',
    { ...VALID, properties: [SECRET] },
    'properties',
    'expected an object, got array',
  ],
  [
    'list item',
    { ...VALID, segments: [{ n: 1 }, { n: 2 }, { n: 3 }, { n: SECRET }] },
    'segments[3].n',
    'expected an int32 (integer number from -2147483648 to 2147483647), got string',
  ],
  ['list that is not an array', { ...VALID, segments: SECRET }, 'segments', 'got string'],
];

describe.each(['parquet', 'jsonl'] as const)('%s RecordError', (format) => {
  it.each(CASES.map(([name, bad, path, text]) => ({ name, bad, path, text })))(
    '$name: names row and field path, not the value',
    async ({ bad, path, text }) => {
      const error = await rejection(format, bad);
      expect(error.position).toEqual({ row: 1, field: path });
      expect(error.message).toContain(text);
      expect(error.message).toContain(`(row 1, field ${path})`);
      expect(error.message).not.toContain(SECRET);
      expect(error.message).not.toContain('4711');
    },
  );

  it('counts rows from the writer start and writes no row of a rejected batch', async () => {
    const path = join(dir, `atomic${fileExtension(format)}`);
    const writer = createWriter(format, { fields: [field('n', t.int32, { nullable: false })] });
    const stored = pipeline(writer.output, createWriteStream(path));
    await writer.write([{ n: 0 }, { n: 1 }, { n: 2 }]);
    const error: unknown = await writer.write([{ n: 3 }, { n: 'four' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordError);
    expect((error as RecordError).position).toEqual({ row: 4, field: 'n' });
    expect(writer.rows).toBe(3);
    await writer.write([{ n: 5 }]);
    const summary = await writer.close();
    await stored;
    expect(summary.rows).toBe(4);
    const read =
      format === 'parquet'
        ? `read_parquet(${sqlString(path)})`
        : `read_json(${sqlString(path)}, format = 'newline_delimited')`;
    const rows = await queryDuckDB(`select n from ${read}`);
    expect(rows.map((r) => Number(r.n))).toEqual([0, 1, 2, 5]);
  });

  it('rejects a row that is not an object, naming only the row', async () => {
    const path = join(dir, `not-object${fileExtension(format)}`);
    const result = writeFile({ format, path, fields: FIELDS }, [[VALID, 'row' as unknown as Row]]);
    await expect(result).rejects.toThrow(RecordError);
    await expect(result).rejects.toMatchObject({ position: { row: 1 } });
  });
});
