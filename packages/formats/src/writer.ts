import type { Readable } from 'node:stream';
import { InternalError, type Field, type Row } from '@ferry/core';
import { JsonlRowWriter } from './jsonl-writer.js';
import { ParquetRowWriter } from './parquet-writer.js';

/** A file format ferry writes. */
export type FileFormat = 'parquet' | 'jsonl';

/**
 * Compression of a file. Parquet: `snappy` (default), `gzip` or `none`, applied per page.
 * JSONL: `gzip` (default) or `none`, applied to the whole file.
 */
export type Compression = 'snappy' | 'gzip' | 'none';

/** Options of {@link createWriter}. */
export interface WriterOptions {
  /** The columns to write, in order. Keys of a row that are not listed here are ignored. */
  readonly fields: readonly Field[];
  /** Defaults to `snappy` for Parquet and `gzip` for JSONL. */
  readonly compression?: Compression;
  /**
   * Parquet only: rows per row group (default {@link DEFAULT_ROW_GROUP_ROWS}). A row group is
   * held in memory until it is full (encoded a page of 8,192 rows at a time), so this bounds the
   * writer's memory.
   */
  readonly rowGroupRows?: number;
}

/** The result of {@link RowWriter.close}. */
export interface WriteSummary {
  readonly rows: number;
  /** Exact size of the file in bytes. */
  readonly bytes: number;
}

/**
 * Encodes rows into one file whose bytes stream out of {@link RowWriter.output}.
 *
 * Call `write` and `close` one at a time (await each); a second call while one is pending
 * rejects with an `InternalError`. Memory stays bounded whatever the number of rows: `write`
 * waits while the output is not consumed.
 */
export interface RowWriter {
  /** The encoded file; pipe it to storage (e.g. `store.put(key, writer.output)`) while writing. */
  readonly output: Readable;
  /** Rows accepted so far. */
  readonly rows: number;
  /**
   * Estimated file size so far: bytes emitted plus an estimate of what is still buffered. Grows
   * monotonically while writing (for size-based rotation); exact after `close`.
   */
  readonly bytes: number;
  /**
   * Validates, converts and encodes `rows`. Resolves when the rows are accepted, which waits
   * while the output is not being read.
   *
   * @throws RecordError when a value does not fit its field: the message names the expected type
   *   and the JavaScript type received (never the value), the position the row index (counted
   *   from this writer's first row) and the dotted field path (`properties.client.url`,
   *   `segments[3]`). No row of a rejected batch is written; the writer stays usable.
   * @throws the abort reason (or the consumer's error) once the writer failed.
   */
  write(rows: readonly Row[]): Promise<void>;
  /**
   * Writes what is buffered and the file's end (Parquet footer, gzip trailer), then ends
   * `output`. Resolves with the row count and the exact byte size; like `write`, it waits while
   * the output is not read. Calling `close` without rows gives a valid empty file.
   *
   * @throws the abort reason (or the consumer's error) if the writer failed.
   */
  close(): Promise<WriteSummary>;
  /**
   * Destroys `output` with `reason`, so the consumer (e.g. an upload) fails with it; pending and
   * later `write`/`close` calls reject with it. Idempotent: only the first reason counts.
   */
  abort(reason: Error): void;
}

/**
 * Default rows per Parquet row group: 100,000, near DuckDB's own default (122,880). Measured on
 * 1M-row event tables (Node 20, see the package README): write speed does not move with the row
 * group size; memory grows by roughly 1 KB per buffered row (encoded pages, and parquetjs's copies
 * while it assembles the row group), so a writer peaks near 300-400 MiB RSS, less than 25,000 rows
 * cost before rows were shredded column-wise. Readers get 4x fewer row groups and column chunks
 * than at 25,000 (fewer range requests on S3). Lower it for very wide rows, or when many files
 * are written at once.
 */
export const DEFAULT_ROW_GROUP_ROWS = 100_000;

/**
 * Creates a writer of `format` for rows of `options.fields`.
 *
 * @throws InternalError for an invalid schema (duplicate or empty names, bad decimal
 *   precision/scale, an empty struct), a compression the format does not support, or a
 *   `rowGroupRows` that is not a positive integer.
 */
export function createWriter(format: FileFormat, options: WriterOptions): RowWriter {
  if (format === 'parquet') {
    const rowGroupRows = options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
    if (!Number.isSafeInteger(rowGroupRows) || rowGroupRows < 1) {
      throw new InternalError(`parquet writer: rowGroupRows must be a positive integer`);
    }
    return new ParquetRowWriter({
      fields: options.fields,
      compression: options.compression ?? 'snappy',
      rowGroupRows,
    });
  }
  const compression = options.compression ?? 'gzip';
  if (compression === 'snappy') {
    throw new InternalError('jsonl writer: compression must be gzip or none, not snappy');
  }
  return new JsonlRowWriter({ fields: options.fields, compression });
}

/**
 * The file name extension of `format` with `compression` (defaults as in
 * {@link createWriter}): `.parquet` (compression is inside the file), `.jsonl.gz`, `.jsonl`.
 */
export function fileExtension(format: FileFormat, compression?: Compression): string {
  if (format === 'parquet') return '.parquet';
  return compression === 'none' ? '.jsonl' : '.jsonl.gz';
}
