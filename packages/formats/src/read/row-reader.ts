import { InternalError, RecordError, type Field, type Row } from '@ferry/core';
import { ValueIssue } from '../issue.js';

/** What a reader does with a record it cannot read: stop with its error, or drop and count it. */
export type OnBadRecord = 'fail' | 'skip';

/** Rows per batch when a reader is not told (ARCHITECTURE.md: batches of 1k-10k rows). */
export const DEFAULT_BATCH_ROWS = 10_000;

/** A batch of rows in ferry's in-memory form, and where in the file it starts. */
export interface RowBatch {
  readonly rows: Row[];
  /**
   * Zero-based position in the file of the batch's first row: its row number (Parquet), or the
   * number of records before it, skipped ones included (JSONL, CSV; blank lines and the header
   * not counted).
   */
  readonly firstRow: number;
  /** Parquet: zero-based index of the row group the rows come from. */
  readonly rowGroup?: number;
  /** JSONL and CSV: one-based line where the batch's first row starts. */
  readonly line?: number;
}

/**
 * The batches of one file. Iterate it once. `skipped`, `firstSkipped` and `extraColumns` are
 * set while it is read, so read them after the loop for the run report.
 */
export interface RowReader extends AsyncIterable<RowBatch> {
  /** Records dropped so far under `onBadRecord: 'skip'` (always 0 under `'fail'`). */
  readonly skipped: number;
  /** The error of the first dropped record (names the file, the line or row, and the problem). */
  readonly firstSkipped: RecordError | undefined;
  /**
   * The file's columns that are not among the `fields` read, in the file's order: its top-level
   * Parquet columns (from the footer) or its CSV header's names (with `header: true`), known
   * before the first batch is yielded. Empty until then, when `fields` was not given (Parquet
   * reads every column), for CSV without a header, and always for JSON Lines: a line's keys are
   * only known by parsing it, and gathering them from every record would cost a set lookup per
   * key of every line.
   */
  readonly extraColumns: readonly string[];
}

/** What a reader learns about its file besides rows (see {@link RowReader.extraColumns}). */
export interface FileFindings {
  extraColumns: readonly string[];
}

/** The names of `columns` (a file's, in order) that are not among `fields`. */
export function columnsBeyond(columns: readonly string[], fields: readonly Field[]): string[] {
  const read = new Set(fields.map((f) => f.name));
  return columns.filter((name) => !read.has(name));
}

/** Applies an {@link OnBadRecord} policy and counts what it dropped. */
export class BadRecords {
  count = 0;
  first: RecordError | undefined;

  constructor(private readonly policy: OnBadRecord) {}

  /**
   * Throws the record's error under `'fail'`; counts it under `'skip'`. `cause` is what was
   * thrown: anything but a `ValueIssue` or `RecordError` is a bug, rethrown whatever the policy.
   * `error` makes the record's error, only when needed (a file of bad records would otherwise
   * build one per record).
   */
  handle(cause: unknown, error: () => RecordError): void {
    if (!(cause instanceof ValueIssue || cause instanceof RecordError)) throw cause;
    if (this.policy === 'fail') throw error();
    this.count += 1;
    this.first ??= error();
  }
}

/**
 * A {@link RowReader} whose batches come from `run`, started on the first iteration; `run` sets
 * what it learns of the file in `found`.
 */
export function rowReader(
  policy: OnBadRecord,
  run: (bad: BadRecords, found: FileFindings) => AsyncGenerator<RowBatch, void, undefined>,
): RowReader {
  const bad = new BadRecords(policy);
  const found: FileFindings = { extraColumns: [] };
  let started = false;
  return {
    get skipped() {
      return bad.count;
    },
    get firstSkipped() {
      return bad.first;
    },
    get extraColumns() {
      return found.extraColumns;
    },
    [Symbol.asyncIterator]() {
      if (started) throw new InternalError('a RowReader can be iterated only once');
      started = true;
      return run(bad, found);
    },
  };
}

/**
 * Gathers the rows of a text file (JSONL, CSV) into batches of `size`, remembering where each
 * batch begins (its record number and line).
 */
export class TextBatches {
  readonly #size: number;
  #rows: Row[] = [];
  #first = { row: 0, line: 0 };

  constructor(size: number) {
    this.#size = size;
  }

  /** Adds the row of record `row`, starting on `line`; returns the batch it completes, if any. */
  add(row: Row, at: { readonly row: number; readonly line: number }): RowBatch | undefined {
    if (this.#rows.length === 0) this.#first = at;
    this.#rows.push(row);
    return this.#rows.length === this.#size ? this.flush() : undefined;
  }

  /** The rows gathered since the last batch, as a batch; `undefined` when there are none. */
  flush(): RowBatch | undefined {
    if (this.#rows.length === 0) return undefined;
    const batch = { rows: this.#rows, firstRow: this.#first.row, line: this.#first.line };
    this.#rows = [];
    return batch;
  }
}

/** Validates a `batchRows` option (a positive integer), defaulting to {@link DEFAULT_BATCH_ROWS}. */
export function batchRowsOption(value: number | undefined): number {
  const rows = value ?? DEFAULT_BATCH_ROWS;
  if (!Number.isSafeInteger(rows) || rows < 1) {
    throw new InternalError(`batchRows must be a positive integer, got ${rows}`);
  }
  return rows;
}
