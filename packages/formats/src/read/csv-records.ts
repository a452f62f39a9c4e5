import { parse, type CsvError, type InfoRecord } from 'csv-parse';
import { isFerryError, RecordError } from '@ferry/core';
import type { ByteSource } from './byte-source.js';
import type { OnBadRecord } from './row-reader.js';
import { openStream, streamError } from './text-stream.js';

/** How a CSV file is written. */
export interface CsvOptions {
  /** Whether the first record names the columns (default true). Without, columns are named like DuckDB names them: `column0`, `column1`... (`column00`... from 11 columns on). */
  readonly header?: boolean;
  /** Field delimiter, one or more characters (default `,`). */
  readonly delimiter?: string;
  /** Quote character (default `"`); a quote inside a quoted field is doubled. */
  readonly quote?: string;
  /**
   * The text that stands for null (default `''`: an empty field is null). Quoted or not, as
   * DuckDB reads CSV by default (`allow_quoted_nulls`); csv-parse would tell quoted fields apart
   * only through a per-field callback that makes parsing 5x slower.
   */
  readonly nullMarker?: string;
}

/** One CSV record: its values by column position (null marker applied), and its start line. */
export interface CsvRecord {
  readonly names: readonly string[];
  readonly values: readonly (string | null)[];
  readonly line: number;
  /** Set when the record has the wrong number of fields. */
  readonly error?: RecordError;
}

interface CsvInput {
  readonly source: ByteSource;
  readonly csv: CsvOptions;
  readonly signal: AbortSignal | undefined;
  readonly policy: OnBadRecord;
  /** Called for a record the parser dropped under `skip` (broken quoting). */
  readonly onSkip: (error: RecordError) => void;
  /** Called with the header's column names (when the file has a header). */
  readonly onHeader?: (names: readonly string[]) => void;
}

interface Parsed {
  readonly record: (string | null)[];
  readonly info: InfoRecord;
}

/**
 * The records of a CSV file after its header, streaming. Quoting errors end the read with a
 * `RecordError` under `fail`; under `skip` the parser drops the record and goes on (a broken
 * quote may swallow the lines up to the next quote), reported through `onSkip`.
 */
export async function* csvRecords(input: CsvInput): AsyncGenerator<CsvRecord, void, undefined> {
  const { source, csv } = input;
  const nullMarker = csv.nullMarker ?? '';
  const quote = csv.quote ?? '"';
  const parser = parse({
    bom: true,
    info: true,
    delimiter: csv.delimiter ?? ',',
    quote,
    escape: quote,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: input.policy === 'skip',
    on_skip: (error) => {
      if (error !== undefined) input.onSkip(csvError(error, source));
    },
  });
  const stream = await openStream(source, input.signal, parser);
  let names: string[] | undefined;
  let header = csv.header !== false;
  let previous = { lines: 0, empty: 0 };
  try {
    for await (const parsed of stream as AsyncIterable<Parsed>) {
      const { record, info } = parsed;
      for (let i = 0; i < record.length; i += 1) if (record[i] === nullMarker) record[i] = null;
      const line = previous.lines + 1 + (info.empty_lines - previous.empty);
      previous = { lines: info.lines, empty: info.empty_lines };
      if (header) {
        names = headerNames(record, source, line);
        input.onHeader?.(names);
        header = false;
        continue;
      }
      names ??= record.map((_, i) => defaultName(i, record.length));
      if (record.length === names.length) {
        yield { names, values: record, line };
      } else {
        const error = new RecordError(
          `cannot read CSV record: expected ${names.length} fields, got ${record.length}`,
          { position: { key: source.name, line } },
        );
        yield { names, values: record, line, error };
      }
    }
  } catch (error) {
    throw isCsvError(error) ? csvError(error, source) : streamError(error, source);
  } finally {
    stream.destroy();
  }
}

/** `column0`..`column9`, or `column00`.. with 11 to 100 columns (DuckDB's names). */
function defaultName(index: number, count: number): string {
  return `column${String(index).padStart(String(count - 1).length, '0')}`;
}

function headerNames(record: (string | null)[], source: ByteSource, line: number): string[] {
  const names = record.map((name, i) =>
    name === null || name === '' ? defaultName(i, record.length) : name,
  );
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw new RecordError(
        `cannot read CSV header: the column name ${JSON.stringify(name)} appears twice`,
        {
          position: { key: source.name, line },
        },
      );
    }
    seen.add(name);
  }
  return names;
}

function isCsvError(error: unknown): error is CsvError {
  const code = (error as { code?: unknown } | null)?.code;
  return !isFerryError(error) && typeof code === 'string' && code.startsWith('CSV_');
}

const CSV_PROBLEMS: Record<string, string> = {
  CSV_INVALID_CLOSING_QUOTE:
    'a closing quote is followed by other text than a delimiter or line end',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE:
    'a closing quote is followed by other text than a delimiter or line end',
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed before the end of the file',
  CSV_INVALID_OPENING_QUOTE: 'a quote appears inside an unquoted field',
  CSV_MAX_RECORD_SIZE: 'a record is too large',
};

/** A parser error as a `RecordError`; csv-parse's own messages quote the data, these do not. */
function csvError(error: CsvError, source: ByteSource): RecordError {
  const problem = CSV_PROBLEMS[error.code] ?? `malformed CSV (${error.code})`;
  const line = (error as { lines?: unknown }).lines;
  const position = typeof line === 'number' ? { key: source.name, line } : { key: source.name };
  return new RecordError(`cannot read CSV record: ${problem}`, { position, cause: error });
}
