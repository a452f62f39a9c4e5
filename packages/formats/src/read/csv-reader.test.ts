import { join } from 'node:path';
import { field, RecordError, t } from '@ferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_VALUES_SAMPLED } from './infer.js';
import { tempDir } from '../test-util.js';
import { bytesByteSource, fileByteSource } from './byte-source.js';
import { inferCsvFields, readCsv } from './csv-reader.js';
import { MAX_LINE_CHARS, tooLongReason } from './text-stream.js';
import { chunkedSource, collect, duckCopy, rejection } from './test-read.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

function text(name: string, content: string): ReturnType<typeof bytesByteSource> {
  return bytesByteSource(name, new TextEncoder().encode(content));
}

const SELECT = `select * from (values
  (9007199254740993::bigint, 1.5::double, 'a, "quoted"' , true, date '1969-07-20',
   timestamptz '2025-01-02 03:04:05.123456+00', timestamp '2025-01-02 03:04:05', '007', 'nan'::double),
  (-1, 2, '', false, date '2024-02-29', timestamptz '1900-01-01 00:00:00+00',
   timestamp '1969-12-31 23:59:59.999999', '42', -2.5),
  (null, null, null, null, null, null, null, null, null)
) v(id, x, s, ok, d, ts, naive, code, f)`;

const FIELDS = [
  field('id', t.int64),
  field('x', t.float64),
  field('s', t.string),
  field('ok', t.boolean),
  field('d', t.date),
  field('ts', t.timestamp),
  field('naive', t.timestamp), // no zone: UTC, as DuckDB reads it back
  field('code', t.string),
  field('f', t.float64),
];

const ROWS = [
  {
    id: 9007199254740993n,
    x: 1.5,
    s: 'a, "quoted"',
    ok: true,
    d: '1969-07-20',
    ts: '2025-01-02T03:04:05.123456Z',
    naive: '2025-01-02T03:04:05.000000Z',
    code: '007',
    f: Number.NaN,
  },
  {
    id: -1n,
    x: 2,
    s: null, // DuckDB writes '' as "", and an empty field is null, quoted or not (as in DuckDB)
    ok: false,
    d: '2024-02-29',
    ts: '1900-01-01T00:00:00.000000Z',
    naive: '1969-12-31T23:59:59.999999Z',
    code: '42',
    f: -2.5,
  },
  { id: null, x: null, s: null, ok: null, d: null, ts: null, naive: null, code: null, f: null },
];

describe('CSV reader', () => {
  for (const gz of [false, true]) {
    it(`infers and reads a CSV file DuckDB wrote${gz ? ', gzipped' : ''}`, async () => {
      const name = gz ? 'duck.csv.gz' : 'duck.csv';
      const options = `FORMAT csv, HEADER, COMPRESSION ${gz ? 'gzip' : 'none'}`;
      const source = await fileByteSource(await duckCopy(join(dir, name), SELECT, options));
      const fields = await inferCsvFields(source);
      expect(fields).toEqual(FIELDS);
      const { rows, batches } = await collect(readCsv(source, { fields, batchRows: 2 }));
      expect(rows).toEqual(ROWS);
      expect(batches.map((b) => [b.firstRow, b.line])).toEqual([
        [0, 2],
        [2, 4],
      ]);
    });
  }

  it('names columns like DuckDB without a header, and takes another delimiter, quote and null', async () => {
    const content = "1;'x;y';NULL\n2;'it''s';\n";
    const csv = { header: false, delimiter: ';', quote: "'", nullMarker: 'NULL' };
    const source = text('t.csv', content);
    const fields = await inferCsvFields(source, csv);
    expect(fields).toEqual([
      field('column0', t.int64),
      field('column1', t.string),
      field('column2', t.string, { description: NO_VALUES_SAMPLED }),
    ]);
    const { rows } = await collect(readCsv(source, { ...csv, fields }));
    expect(rows).toEqual([
      { column0: 1n, column1: 'x;y', column2: null },
      { column0: 2n, column1: "it's", column2: '' },
    ]);
  });

  it('reads declared types from text, nested ones as JSON, missing columns as null', async () => {
    const content =
      'id,tags,when,amount\n1,"[""a"",null]",2025-01-02 03:04:05.1234567+02:00,12345678901234.5678\n';
    const fields = [
      field('when', t.timestamp),
      field('tags', t.list(t.string)),
      field('amount', t.decimal(18, 4)),
      field('id', t.int32),
      field('absent', t.boolean),
    ];
    expect((await collect(readCsv(text('t.csv', content), { fields }))).rows).toEqual([
      {
        when: '2025-01-02T01:04:05.123456Z',
        tags: ['a', null],
        amount: '12345678901234.5678',
        id: 1,
        absent: null,
      },
    ]);
  });

  it('keeps integers beyond 2^53 inside JSON text of json columns exactly', async () => {
    const content =
      'j\n"{""a"": {""id"": 12345678901234567890}, ""n"": [1, 0.5]}"\n"[-9007199254740993]"\n';
    const fields = [field('j', t.json)];
    expect((await collect(readCsv(text('j.csv', content), { fields }))).rows).toEqual([
      { j: { a: { id: 12345678901234567890n }, n: [1, 0.5] } },
      { j: [-9007199254740993n] },
    ]);
  });

  it('names the file and line of a record with the wrong number of fields, or a bad value', async () => {
    const fields = [field('a', t.int64), field('b', t.string), field('c', t.date)];
    const content = 'a,b,c\n1,x,2020-01-01\n\n2,"multi\nline",2020-01-02\n3,y\n4,z,2020-13-01\n';
    const error = await rejection(collect(readCsv(text('s3://b/t.csv', content), { fields })));
    expect(error.message).toBe(
      'cannot read CSV record: expected 3 fields, got 2 (s3://b/t.csv, line 6)',
    );
    const reader = readCsv(text('s3://b/t.csv', content), { fields, onBadRecord: 'skip' });
    const { rows } = await collect(reader);
    expect(rows.map((r) => r.a)).toEqual([1n, 2n]);
    expect(reader.skipped).toBe(2);
    expect(reader.firstSkipped?.message).toBe(error.message);
    const bad = await rejection(collect(readCsv(text('t.csv', 'a,b,c\nx,1,\n'), { fields })));
    expect(bad.message).toBe(
      'cannot read CSV record: expected an int64, got a string that is not an integer (t.csv, line 2, field a)',
    );
    const date = await rejection(
      collect(readCsv(text('t.csv', 'a,b,c\n1,1,2020-13-01\n'), { fields })),
    );
    expect(date.message).toBe(
      'cannot read CSV record: expected a date (YYYY-MM-DD), got a string that is not a valid date (t.csv, line 2, field c)',
    );
  });

  it('counts lines right after a quoted field spanning CRLF lines', async () => {
    const fields = [field('a', t.int64), field('b', t.string)];
    // csv-parse counts the CR and the LF of a CRLF inside quotes as two lines.
    const content = 'a,b\r\n1,"two\r\nline\r\nnote"\r\n\r\n2,"lone\nLF"\r\n3\r\n4,x\r\n';
    const source = text('s3://b/crlf.csv', content);
    const error = await rejection(collect(readCsv(source, { fields })));
    expect(error.message).toBe(
      'cannot read CSV record: expected 2 fields, got 1 (s3://b/crlf.csv, line 8)',
    );
    const reader = readCsv(source, { fields, batchRows: 1, onBadRecord: 'skip' });
    const { rows, batches } = await collect(reader);
    expect(rows).toEqual([
      { a: 1n, b: 'two\r\nline\r\nnote' },
      { a: 2n, b: 'lone\nLF' },
      { a: 4n, b: 'x' },
    ]);
    expect(batches.map((b) => b.line)).toEqual([2, 6, 9]);
    const value = await rejection(
      collect(readCsv(text('v.csv', 'a,b\r\n1,"x\r\ny"\r\nz,w\r\n'), { fields })),
    );
    expect(value.message).toBe(
      'cannot read CSV record: expected an int64, got a string that is not an integer (v.csv, line 4, field a)',
    );
    const quote = await rejection(
      collect(readCsv(text('q.csv', 'a,b\r\n1,"x\r\ny"\r\n3,"x"secret\r\n'), { fields })),
    );
    expect(quote.message).toBe(
      'cannot read CSV record: a closing quote is followed by other text than a delimiter or line end (q.csv, line 4)',
    );
  });

  it('names broken quoting and a duplicate header, without quoting the data', async () => {
    const fields = [field('a', t.string), field('b', t.string)];
    const quote = await rejection(
      collect(readCsv(text('q.csv', 'a,b\n1,2\n3,"x"secret\n'), { fields })),
    );
    expect(quote.message).toBe(
      'cannot read CSV record: a closing quote is followed by other text than a delimiter or line end (q.csv, line 3)',
    );
    const open = await rejection(
      collect(readCsv(text('o.csv', 'a,b\n1,"never closed\n'), { fields })),
    );
    expect(open.message).toBe(
      'cannot read CSV record: a quoted field is not closed before the end of the file (o.csv, line 2)',
    );
    const header = await rejection(inferCsvFields(text('h.csv', 'a,b,a\n1,2,3\n')));
    expect(header.message).toBe(
      'cannot read CSV header: the column name "a" appears twice (h.csv, line 1)',
    );
  });

  it("names the header's columns not among the fields once the header is read", async () => {
    const fields = [field('c', t.string), field('x', t.string)];
    const reader = readCsv(text('t.csv', 'a,b,c\n1,2,3\n'), { fields });
    expect(reader.extraColumns).toEqual([]);
    const batches = reader[Symbol.asyncIterator]();
    expect((await batches.next()).value).toEqual({
      rows: [{ c: '3', x: null }],
      firstRow: 0,
      line: 2,
    });
    expect(reader.extraColumns).toEqual(['a', 'b']);
    await batches.return?.();
    const headerOnly = readCsv(text('h.csv', 'a,c\n'), { fields });
    await collect(headerOnly);
    expect(headerOnly.extraColumns).toEqual(['a']);
    // Without a header there are no names to compare: nothing is reported.
    const plain = readCsv(text('p.csv', '1,2,3\n'), { header: false, fields });
    await collect(plain);
    expect(plain.extraColumns).toEqual([]);
  });

  it('refuses a record longer than the limit, naming the file and the line where it starts, also under skip', async () => {
    // The limit is lowered to 100 characters so that the test needs no record of 512 MiB.
    const fields = [field('id', t.int64), field('s', t.string)];
    const long = `"${'x'.repeat(60)}\r\n${'x'.repeat(60)}"`;
    // Lines: 1 header, 2-3 a record with a CRLF inside quotes, 4 empty, 5-6 the long record.
    const content = `id,s\r\n1,"a\r\nb"\r\n\r\n2,${long}\r\n3,y\r\n`;
    const message =
      'cannot read CSV record: the record is longer than 100 characters; ferry reads records up to that size (s3://b/long.csv, line 5)';
    for (const chunkBytes of [7, 64, 1 << 20]) {
      const source = chunkedSource('s3://b/long.csv', content, chunkBytes);
      const options = { fields, maxRecordChars: 100 };
      const error = await rejection(collect(readCsv(source, options)));
      expect(error).toBeInstanceOf(RecordError);
      expect(error.message).toBe(message);
      expect((await rejection(inferCsvFields(source, options))).message).toBe(message);
      // csv-parse's skip does not go on after such a record (it drops the rest of every chunk it
      // reads), so under skip it fails the read too rather than lose the rest of the file.
      const reader = readCsv(source, { ...options, onBadRecord: 'skip' });
      expect((await rejection(collect(reader))).message).toBe(message);
      expect(reader.skipped).toBe(0);
    }
    // The values' characters are counted, delimiters not: 100 are read, 101 are not.
    const atLimit = `id,s\n1,${'y'.repeat(99)}\n`;
    const rows = (await collect(readCsv(text('l.csv', atLimit), { fields, maxRecordChars: 100 })))
      .rows;
    expect(rows).toEqual([{ id: 1n, s: 'y'.repeat(99) }]);
    const over = text('o.csv', `id,s\n1,y\n10,${'y'.repeat(99)}\n`);
    expect((await rejection(collect(readCsv(over, { fields, maxRecordChars: 100 })))).message).toBe(
      'cannot read CSV record: the record is longer than 100 characters; ferry reads records up to that size (o.csv, line 3)',
    );
    expect(tooLongReason('record', MAX_LINE_CHARS)).toBe(
      'the record is longer than 512 MiB; ferry reads records up to that size',
    );
  });

  it('reads a file with a header only', async () => {
    const source = text('h.csv', 'a,b\n');
    expect(await inferCsvFields(source)).toEqual([field('a', t.string), field('b', t.string)]);
    expect((await collect(readCsv(source, { fields: [field('a', t.string)] }))).rows).toEqual([]);
  });
});
