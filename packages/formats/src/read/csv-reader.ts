import type { Field, Row } from '@ferry/core';
import { withSegment } from '../issue.js';
import type { ByteSource } from './byte-source.js';
import { fieldValue } from './coerce.js';
import {
  csvRecords,
  maxRecordCharsOption,
  type CsvOptions,
  type CsvRecord,
} from './csv-records.js';
import { inferFields } from './infer.js';
import { DEFAULT_SAMPLE_ROWS } from './jsonl-reader.js';
import { recordIssue } from './record-errors.js';
import {
  batchRowsOption,
  columnsBeyond,
  rowReader,
  TextBatches,
  type OnBadRecord,
  type RowReader,
} from './row-reader.js';

/** Options of {@link readCsv}. */
export interface ReadCsvOptions extends CsvOptions {
  /**
   * The columns to read, in order, matched to the file's columns by name (header) or by the
   * default names `column0`... (no header). A field the file lacks is null.
   */
  readonly fields: readonly Field[];
  /** Rows per batch (default 10,000). */
  readonly batchRows?: number;
  /** Aborting stops the read: the iteration throws the signal's reason. */
  readonly signal?: AbortSignal;
  /** `fail` (default): the first bad record ends the read with its error; `skip`: drop and count. */
  readonly onBadRecord?: OnBadRecord;
  /**
   * The longest record read: the characters of its values, delimiters and quotes not counted (the
   * value being parsed counted in UTF-8 bytes). Default and most 2^29 - 24 (V8's longest string).
   */
  readonly maxRecordChars?: number;
}

/** Options of {@link inferCsvFields}. */
export interface InferCsvOptions extends CsvOptions {
  /** Records sampled from the start of the file (default 1,000). */
  readonly sampleRows?: number;
  readonly signal?: AbortSignal;
  /** `fail` (default): a bad record in the sample throws; `skip`: it is left out of the sample. */
  readonly onBadRecord?: OnBadRecord;
  /**
   * The longest record read: the characters of its values, delimiters and quotes not counted (the
   * value being parsed counted in UTF-8 bytes). Default and most 2^29 - 24 (V8's longest string).
   */
  readonly maxRecordChars?: number;
}

/**
 * Reads a CSV file (gunzipped when its name ends in `.gz`), streaming, in batches of rows of
 * `fields`. Values are converted from text as coerce.ts describes; empty lines are skipped; a
 * UTF-8 BOM is ignored.
 *
 * Errors (thrown by the iteration), each a `RecordError` naming the file and the line where the
 * record starts: a record with another number of fields than the header (`cannot read CSV
 * record: expected 3 fields, got 4 (/data/t.csv, line 9)`), broken quoting, a value that does not
 * fit its field (with the field's name). Under `onBadRecord: 'skip'` such records are dropped and
 * counted. A duplicate header name, broken gzip and a record longer than `maxRecordChars` always
 * fail (`cannot read CSV record: the record is longer than 512 MiB; ferry reads records up to that
 * size (s3://b/t.csv, line 7)`, naming the line where it starts: csv-parse cannot go on after
 * it); the source's own errors pass through unchanged.
 *
 * With a header, the reader's `extraColumns` are the header's names not among `fields`.
 */
export function readCsv(source: ByteSource, options: ReadCsvOptions): RowReader {
  const batchRows = batchRowsOption(options.batchRows);
  const maxRecordChars = maxRecordCharsOption(options.maxRecordChars);
  const policy = options.onBadRecord ?? 'fail';
  return rowReader(policy, async function* (bad, found) {
    const batches = new TextBatches(batchRows);
    let index = -1;
    let convert: ((record: CsvRecord) => Row) | undefined;
    const records = csvRecords({
      source,
      csv: options,
      signal: options.signal,
      policy,
      maxRecordChars,
      onSkip: (error) => {
        bad.handle(error, () => error);
      },
      onHeader: (names) => {
        found.extraColumns = columnsBeyond(names, options.fields);
      },
    });
    for await (const record of records) {
      index += 1;
      let row: Row;
      try {
        if (record.error !== undefined) throw record.error;
        convert ??= compileCsvRow(options.fields, record.names);
        row = convert(record);
      } catch (error) {
        bad.handle(error, () =>
          recordIssue(error, 'CSV record', { key: source.name, line: record.line }),
        );
        continue;
      }
      const full = batches.add(row, { row: index, line: record.line });
      if (full !== undefined) yield full;
      options.signal?.throwIfAborted();
    }
    const rest = batches.flush();
    if (rest !== undefined) yield rest;
  });
}

/**
 * Infers the fields of a CSV file from its first `sampleRows` records (rules in infer.ts): the
 * header's columns in order, typed from their text.
 * @throws RecordError for a bad record in the sample (under `fail`), a duplicate header name,
 *   broken gzip, or a record longer than `maxRecordChars`.
 */
export async function inferCsvFields(
  source: ByteSource,
  options: InferCsvOptions = {},
): Promise<Field[]> {
  const limit = options.sampleRows ?? DEFAULT_SAMPLE_ROWS;
  const policy = options.onBadRecord ?? 'fail';
  const sample: Record<string, unknown>[] = [];
  let names: readonly string[] = [];
  const records = csvRecords({
    source,
    csv: options,
    signal: options.signal,
    policy,
    maxRecordChars: maxRecordCharsOption(options.maxRecordChars),
    onSkip: () => undefined,
    onHeader: (header) => (names = header),
  });
  for await (const record of records) {
    names = record.names;
    if (sample.length >= limit) break;
    if (record.error !== undefined) {
      if (policy === 'fail') throw record.error;
      continue;
    }
    sample.push(Object.fromEntries(names.map((name, i) => [name, record.values[i]])));
  }
  // Columns of the header come first and in its order, even when the sample has no values.
  const inferred = new Map(inferFields(sample, 'csv').map((f) => [f.name, f]));
  return names.map(
    (name) => inferred.get(name) ?? { name, type: { kind: 'string' }, nullable: true },
  );
}

function compileCsvRow(
  fields: readonly Field[],
  names: readonly string[],
): (record: CsvRecord) => Row {
  const index = new Map(names.map((name, i) => [name, i]));
  const columns = fields.map((f) => ({
    name: f.name,
    at: index.get(f.name) ?? -1,
    coerce: fieldValue(f, 'csv'),
  }));
  return ({ values }) => {
    const row: Row = {};
    for (const { name, at, coerce } of columns) {
      try {
        row[name] = coerce(at < 0 ? null : values[at]);
      } catch (error) {
        throw withSegment(error, name);
      }
    }
    return row;
  };
}
