import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { field, RecordError, t, type Row } from '@ferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_VALUES_SAMPLED } from './infer.js';
import { ALL_TYPES, ALL_TYPES_EXPECTED, ALL_TYPES_ROWS } from '../test-fixtures.js';
import { tempDir, writeFile as writeRows } from '../test-util.js';
import { bytesByteSource, fileByteSource } from './byte-source.js';
import { inferJsonLinesFields, readJsonLines } from './jsonl-reader.js';
import { chunkedSource, collect, duckCopy, rejection } from './test-read.js';
import { MAX_LINE_CHARS, tooLongReason } from './text-stream.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

const ALL_TYPES_READ: Row[] = ALL_TYPES_EXPECTED.map((row) => ({
  ...row,
  j: typeof row.j === 'string' ? (JSON.parse(row.j) as unknown) : null,
}));

function text(name: string, content: string): ReturnType<typeof bytesByteSource> {
  return bytesByteSource(name, new TextEncoder().encode(content));
}

describe('JSON Lines reader', () => {
  for (const compression of ['gzip', 'none'] as const) {
    it(`round-trips every ferry type through our JSONL writer exactly (${compression})`, async () => {
      const path = join(dir, `all.jsonl${compression === 'gzip' ? '.gz' : ''}`);
      await writeRows({ format: 'jsonl', path, fields: ALL_TYPES, compression }, [ALL_TYPES_ROWS]);
      const reader = readJsonLines(await fileByteSource(path), { fields: ALL_TYPES, batchRows: 2 });
      const { rows, batches } = await collect(reader);
      expect(rows).toEqual(ALL_TYPES_READ);
      expect(batches.map((b) => [b.firstRow, b.line, b.rows.length])).toEqual([
        [0, 1, 2],
        [2, 3, 2],
        [4, 5, 1],
      ]);
    });
  }

  it('infers and reads a file DuckDB wrote, gzipped', async () => {
    const select = `select 9007199254740993::bigint as big, 12345678901234567890::hugeint as huge,
      0.5 as half, 'x' as s, true as ok, date '1900-03-01' as d,
      timestamptz '2025-01-02 03:04:05.123456+00' as tz, timestamp '2025-01-02 03:04:05' as naive,
      [1, 2] as l, {'a': 'b'} as st, null as nothing, 'NaN'::double as nan
      union all select 1, 2, 1, 'y', false, date '2024-02-29', null,
        timestamp '1969-07-20 20:17:40.000001', [], null, null, 1.5`;
    const path = await duckCopy(
      join(dir, 'duck.jsonl.gz'),
      select,
      'FORMAT json, COMPRESSION gzip',
    );
    const source = await fileByteSource(path);
    const fields = await inferJsonLinesFields(source);
    expect(fields).toEqual([
      field('big', t.int64),
      field('huge', t.float64), // beyond int64
      field('half', t.float64),
      field('s', t.string),
      field('ok', t.boolean),
      field('d', t.date),
      field('tz', t.timestamp),
      field('naive', t.timestamp), // no zone: UTC, as DuckDB reads it back
      field('l', t.json),
      field('st', t.json),
      field('nothing', t.string, { description: NO_VALUES_SAMPLED }),
      field('nan', t.float64),
    ]);
    const { rows } = await collect(readJsonLines(source, { fields }));
    expect(rows).toEqual([
      {
        big: 9007199254740993n,
        huge: Number(12345678901234567890n),
        half: 0.5,
        s: 'x',
        ok: true,
        d: '1900-03-01',
        tz: '2025-01-02T03:04:05.123456Z',
        naive: '2025-01-02T03:04:05.000000Z',
        l: [1, 2],
        st: { a: 'b' },
        nothing: null,
        nan: Number.NaN,
      },
      {
        big: 1n,
        huge: 2,
        half: 1,
        s: 'y',
        ok: false,
        d: '2024-02-29',
        tz: null,
        naive: '1969-07-20T20:17:40.000001Z',
        l: [],
        st: null,
        nothing: null,
        nan: 1.5,
      },
    ]);
  });

  it('reads big integers and long decimals exactly, from numbers and strings', async () => {
    const fields = [field('id', t.int64), field('amount', t.decimal(18, 4)), field('f', t.float64)];
    const source = text(
      'big.jsonl',
      [
        '{"id": 9223372036854775807, "amount": 12345678901234.5678, "f": 0.1}',
        '{"id": "-9223372036854775808", "amount": "-0.0001", "f": "Infinity"}',
        '{"id": 1e3, "amount": 1, "f": 12345678901234567890}',
      ].join('\n'),
    );
    expect((await collect(readJsonLines(source, { fields }))).rows).toEqual([
      { id: 9223372036854775807n, amount: '12345678901234.5678', f: 0.1 },
      { id: -9223372036854775808n, amount: '-0.0001', f: Number.POSITIVE_INFINITY },
      { id: 1000n, amount: '1.0000', f: Number('12345678901234567890') },
    ]);
  });

  it('keeps integers beyond 2^53 inside json values exactly, as bigints', async () => {
    const source = text(
      'nested.jsonl',
      [
        '{"a": {"id": 12345678901234567890, "l": [-9007199254740993, 1.5]}}',
        '{"a": {"id": 9007199254740991, "x": 0.1, "s": "12345678901234567890"}}',
      ].join('\n'),
    );
    const fields = await inferJsonLinesFields(source);
    expect(fields).toEqual([field('a', t.json)]);
    expect((await collect(readJsonLines(source, { fields }))).rows).toEqual([
      { a: { id: 12345678901234567890n, l: [-9007199254740993n, 1.5] } },
      { a: { id: 9007199254740991, x: 0.1, s: '12345678901234567890' } },
    ]);
    // As a string field: the JSON text, digits kept.
    const asText = await collect(readJsonLines(source, { fields: [field('a', t.string)] }));
    expect(asText.rows[0]).toEqual({
      a: '{"id":12345678901234567890,"l":[-9007199254740993,1.5]}',
    });
  });

  it('round-trips json values holding bigints through our JSONL writer', async () => {
    const path = join(dir, 'json-bigint.jsonl');
    const fields = [field('j', t.json)];
    const rows: Row[] = [
      { j: { a: { id: 12345678901234567890n }, l: [-(2n ** 80n), 2, 'x'] } },
      { j: [1, { b: 0.25 }] },
    ];
    await writeRows({ format: 'jsonl', path, fields, compression: 'none' }, [rows]);
    const reader = readJsonLines(await fileByteSource(path), { fields });
    expect((await collect(reader)).rows).toEqual(rows);
  });

  it('takes CRLF, blank lines, a BOM, a last line without newline and lines of any length', async () => {
    const long = 'x'.repeat(3_000_000);
    const content = `\uFEFF{"s": "a"}\r\n\r\n   \n{"s": "${long}"}\n{"s": "é", "other": 1}`;
    const reader = readJsonLines(text('t.jsonl', content), { fields: [field('s', t.string)] });
    const { rows, batches } = await collect(reader);
    expect(rows.map((r) => (r.s as string).length)).toEqual([1, 3_000_000, 1]);
    expect(rows[2]).toEqual({ s: 'é' });
    expect(batches[0]?.line).toBe(1);
  });

  it('stops at the first bad line with its file, line and problem', async () => {
    const fields = [field('id', t.int64, { nullable: false }), field('tags', t.list(t.int64))];
    const cases: [string, string, string][] = [
      ['{"id": 1,}', 'expected valid JSON, got text that is not JSON (error at character 10)', ''],
      ['{"id": 1', 'expected valid JSON, got text that ends before the JSON value does', ''],
      ['[1, 2]', 'expected a JSON object, got an array', ''],
      ['{"id": "x1"}', 'expected an int64, got a string that is not an integer', 'id'],
      ['{"id": 1.5}', 'expected an int64, got a number that is not an integer', 'id'],
      ['{"id": 99999999999999999999}', 'expected an int64, got an integer out of range', 'id'],
      ['{"tags": []}', 'expected a non-null int64, got a missing value', 'id'],
      ['{"id": 1, "tags": "a"}', 'expected a list (array), got a string', 'tags'],
      [
        '{"id": 1, "tags": [1, "2x"]}',
        'expected an int64, got a string that is not an integer',
        'tags[1]',
      ],
    ];
    for (const [line, problem, at] of cases) {
      const source = text('s3://b/t/f.jsonl', `{"id": 0}\n\n${line}\n{"id": 3}\n`);
      const error = await rejection(collect(readJsonLines(source, { fields })));
      const where = at === '' ? '' : `, field ${at}`;
      expect(error.message).toBe(
        `cannot read JSON line: ${problem} (s3://b/t/f.jsonl, line 3${where})`,
      );
    }
  });

  it('refuses a line longer than the limit as a record error naming the file and line', async () => {
    // The limit is lowered to 100 characters so that the test needs no line of 512 MiB.
    const fields = [field('id', t.int64), field('s', t.string)];
    const long = `{"id": 2, "s": "${'x'.repeat(200)}"}`;
    const atLimit = `{"id": 3, "s": "${'y'.repeat(100 - 18)}"}`;
    expect(atLimit).toHaveLength(100);
    const content = `{"id": 1}\r\n${long}\r\n${atLimit}\n${long}`;
    const message =
      'cannot read JSON line: the line is longer than 100 characters; ferry reads lines up to that size (s3://b/long.jsonl, line 2)';
    for (const chunkBytes of [7, 64, 1 << 20]) {
      const source = chunkedSource('s3://b/long.jsonl', content, chunkBytes);
      const options = { fields, maxLineChars: 100 };
      const error = await rejection(collect(readJsonLines(source, options)));
      expect(error).toBeInstanceOf(RecordError);
      expect(error.message).toBe(message);
      expect((await rejection(inferJsonLinesFields(source, options))).message).toBe(message);
      // Under skip, the rest of the line is passed over and the read goes on at the next line.
      const reader = readJsonLines(source, { ...options, onBadRecord: 'skip' });
      const { rows } = await collect(reader);
      expect(rows.map((r) => r.id)).toEqual([1n, 3n]);
      expect(reader.skipped).toBe(2);
      expect(reader.firstSkipped?.message).toBe(message);
    }
    expect(tooLongReason('line', MAX_LINE_CHARS)).toBe(
      'the line is longer than 512 MiB; ferry reads lines up to that size',
    );
  });

  it('skips bad lines when told, counting them and keeping the first error', async () => {
    const source = text('f.jsonl', '{"id": 1}\nnope\n{"id": 2}\n{"id": "x"}\n{"id": 3}');
    const reader = readJsonLines(source, { fields: [field('id', t.int64)], onBadRecord: 'skip' });
    const { rows, batches } = await collect(reader);
    expect(rows).toEqual([{ id: 1n }, { id: 2n }, { id: 3n }]);
    expect(batches[0]?.firstRow).toBe(0);
    expect(reader.skipped).toBe(2);
    expect(reader.firstSkipped?.message).toBe(
      'cannot read JSON line: expected valid JSON, got text that is not JSON (f.jsonl, line 2)',
    );
  });

  it('does not report keys beyond the fields (that would take a lookup per key of every line)', async () => {
    const reader = readJsonLines(text('k.jsonl', '{"id": 1, "extra": true}\n'), {
      fields: [field('id', t.int64)],
    });
    expect((await collect(reader)).rows).toEqual([{ id: 1n }]);
    expect(reader.extraColumns).toEqual([]);
  });

  it('names broken gzip as such', async () => {
    const fields = [field('id', t.int64)];
    const plain = text('t/f.jsonl.gz', '{"id": 1}\n');
    expect((await rejection(collect(readJsonLines(plain, { fields })))).message).toBe(
      'cannot decompress the file: not valid gzip data (incorrect header check) (t/f.jsonl.gz)',
    );
    const gz = gzipSync('{"id": 1}\n'.repeat(1000));
    const cut = bytesByteSource('t/cut.jsonl.gz', gz.subarray(0, gz.length - 10));
    expect((await rejection(collect(readJsonLines(cut, { fields })))).message).toBe(
      'cannot decompress the file: not valid gzip data (unexpected end of file) (t/cut.jsonl.gz)',
    );
  });

  it('stops when aborted, with the reason, and closes the file', async () => {
    const path = join(dir, 'abort.jsonl.gz');
    await writeFile(path, gzipSync('{"id": 1}\n'.repeat(200_000)));
    const controller = new AbortController();
    const reason = new Error('run aborted');
    const reader = readJsonLines(await fileByteSource(path), {
      fields: [field('id', t.int64)],
      batchRows: 1000,
      signal: controller.signal,
    });
    let batches = 0;
    const error = await rejection(
      (async () => {
        for await (const _batch of reader) {
          batches += 1;
          controller.abort(reason);
        }
      })(),
    );
    expect(error).toBe(reason);
    expect(batches).toBe(1);
  });

  it('samples only the first rows for inference', async () => {
    const path = join(dir, 'sample.jsonl');
    const lines = Array.from({ length: 100 }, (_, i) => JSON.stringify({ a: i, [`k${i}`]: true }));
    await writeFile(path, `${lines.join('\n')}\n{"a": "text"}\n`);
    const fields = await inferJsonLinesFields(await fileByteSource(path), { sampleRows: 3 });
    expect(fields).toEqual([
      field('a', t.int64),
      field('k0', t.boolean),
      field('k1', t.boolean),
      field('k2', t.boolean),
    ]);
  });
});
