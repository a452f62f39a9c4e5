import { parse, type CsvError, type InfoRecord, type Options, type Parser } from 'csv-parse';
import { isFerryError, RecordError } from '@ferry/core';
import type { ByteSource } from './byte-source.js';
import type { OnBadRecord } from './row-reader.js';
import { maxCharsOption, openStream, streamError, tooLongReason } from './text-stream.js';

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

/**
 * Validates a `maxRecordChars` option: an integer from 2 (csv-parse is given the limit less one,
 * and takes 0 as none) to 2^29 - 24 (V8's longest string), defaulting to that maximum.
 */
export function maxRecordCharsOption(value: number | undefined): number {
  return maxCharsOption('maxRecordChars', value, 2);
}

interface CsvInput {
  readonly source: ByteSource;
  readonly csv: CsvOptions;
  readonly signal: AbortSignal | undefined;
  readonly policy: OnBadRecord;
  /** The most characters of a record's values (see {@link maxRecordCharsOption}). */
  readonly maxRecordChars: number;
  /** Called for a record the parser dropped under `skip` (broken quoting). */
  readonly onSkip: (error: RecordError) => void;
  /** Called with the header's column names (when the file has a header). */
  readonly onHeader?: (names: readonly string[]) => void;
}

interface Parsed {
  readonly record: (string | null)[];
  /** The line where the record starts. */
  readonly line: number;
}

/**
 * The records of a CSV file after its header, streaming. Quoting errors end the read with a
 * `RecordError` under `fail`; under `skip` the parser drops the record and goes on (a broken
 * quote may swallow the lines up to the next quote), reported through `onSkip`. A record whose
 * values are longer than `maxRecordChars` ends the read under either policy: csv-parse's skip
 * does not go on after it (it drops the rest of each chunk it reads, and reports it again).
 */
export async function* csvRecords(input: CsvInput): AsyncGenerator<CsvRecord, void, undefined> {
  const { source, csv } = input;
  const nullMarker = csv.nullMarker ?? '';
  const lines = new LineCounter();
  const stream = await openStream(source, input.signal, csvParser(input, lines));
  let names: string[] | undefined;
  let header = csv.header !== false;
  try {
    for await (const parsed of stream as AsyncIterable<Parsed>) {
      const { record, line } = parsed;
      for (let i = 0; i < record.length; i += 1) if (record[i] === nullMarker) record[i] = null;
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
    throw isCsvError(error) ? csvError(error, input, lines) : streamError(error, source);
  } finally {
    stream.destroy();
  }
}

/** The parser of `input`'s CSV into {@link Parsed} records, their lines counted by `lines`. */
function csvParser(input: CsvInput, lines: LineCounter): Parser {
  const quote = input.csv.quote ?? '"';
  const options: Options<Parsed, string[]> = {
    bom: true,
    // Lines are counted as the parser makes records, not as they are read from it: a parser
    // error ends the stream with records still buffered, and its line must count them too.
    on_record: (record, info) => ({ record, line: lines.recordStart(record, info) }),
    delimiter: input.csv.delimiter ?? ',',
    quote,
    escape: quote,
    relax_column_count: true,
    skip_empty_lines: true,
    // csv-parse counts the values' characters (the one being read in UTF-8 bytes) and checks
    // before adding a character whether the count already passes the limit: given `max`, it
    // would let `max + 1` through.
    max_record_size: input.maxRecordChars - 1,
    skip_records_with_error: input.policy === 'skip',
    on_skip: (error) => {
      if (error === undefined) return;
      // Thrown from on_skip, csv-parse fails with it (it cannot go on after this one).
      if (error.code === 'CSV_MAX_RECORD_SIZE') throw error;
      lines.skipped();
      input.onSkip(csvError(error, input, lines));
    },
  };
  // csv-parse's typings let `on_record` change the type of records only along with `columns`.
  return parse(options as unknown as Options);
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
};

/**
 * A parser error as a `RecordError`; csv-parse's own messages quote the data, these do not. A
 * record too long is named by the line where it starts (the parser is further on).
 */
function csvError(error: CsvError, input: CsvInput, lines: LineCounter): RecordError {
  const long = error.code === 'CSV_MAX_RECORD_SIZE';
  const problem = long
    ? tooLongReason('record', input.maxRecordChars)
    : (CSV_PROBLEMS[error.code] ?? `malformed CSV (${error.code})`);
  const at = error as { lines?: unknown; empty_lines?: unknown };
  const line =
    typeof at.lines !== 'number'
      ? undefined
      : long && typeof at.empty_lines === 'number'
        ? lines.openRecordStart({ lines: at.lines, empty: at.empty_lines })
        : lines.line(at.lines);
  const key = input.source.name;
  const position = line === undefined ? { key } : { key, line };
  return new RecordError(`cannot read CSV record: ${problem}`, { position, cause: error });
}

/**
 * Line numbers of records as an editor counts them (`\r\n`, `\n` or a lone `\r` ends a line).
 * csv-parse's `info.lines` counts the `\r` and the `\n` of a CRLF inside a quoted field as two
 * lines, so after such a field every line it reports is too high by one; this counts those pairs
 * and takes them off.
 */
class LineCounter {
  /** Lines csv-parse counted twice so far. */
  #extra = 0;
  /** csv-parse's line count at the end of the last record, and its empty lines by then. */
  #previous = { lines: 0, empty: 0 };
  /** Whether the parser dropped a record since the last one it made (its end is not known). */
  #skipped = false;

  /** The line where `record` starts; call once per record parsed, in order. */
  recordStart(record: readonly (string | null)[], info: InfoRecord): number {
    const start = this.#previous.lines + 1 + (info.empty_lines - this.#previous.empty);
    this.#previous = { lines: info.lines, empty: info.empty_lines };
    this.#skipped = false;
    let breaks = 0;
    // Only a record csv-parse saw spanning lines (or one after a record it skipped) is scanned.
    if (info.lines > start) {
      for (const value of record) {
        if (value === null) continue;
        const counted = lineBreaks(value);
        breaks += counted.breaks;
        this.#extra += counted.crlf;
      }
    }
    return this.line(info.lines) - breaks;
  }

  /** Notes that the parser dropped a record (under `skip`). */
  skipped(): void {
    this.#skipped = true;
  }

  /**
   * The line where the record being parsed starts, from csv-parse's counts at a point inside it
   * (those of an error); that point's own line after a dropped record, whose end is not known.
   */
  openRecordStart(at: { readonly lines: number; readonly empty: number }): number {
    if (this.#skipped) return this.line(at.lines);
    return this.line(this.#previous.lines + 1 + (at.empty - this.#previous.empty));
  }

  /** A line number csv-parse reports, corrected for the CRLF pairs counted twice so far. */
  line(parserLine: number): number {
    return parserLine - this.#extra;
  }
}

/** Line breaks in `text` (`\r\n` counted once), and how many of them are `\r\n`. */
function lineBreaks(text: string): { breaks: number; crlf: number } {
  let breaks = 0;
  let crlf = 0;
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) {
    breaks += 1;
    if (text.charCodeAt(i + 1) === 10) crlf += 1;
  }
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (text.charCodeAt(i - 1) !== 13) breaks += 1;
  }
  return { breaks, crlf };
}
