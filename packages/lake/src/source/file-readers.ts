import type { Field } from '@ferry/core';
import {
  inferCsvFields,
  inferJsonLinesFields,
  parquetFields,
  readCsv,
  readJsonLines,
  readParquet,
  type ByteSource,
  type CsvOptions,
  type OnBadRecord,
  type RowReader,
} from '@ferry/formats';
import type { ObjectStore } from '@ferry/storage';
import type { LakeSourceOptions } from './options.js';
import type { TableFile } from './table-files.js';

/** The format of one data file. */
export type FileFormat = 'parquet' | 'csv' | 'jsonl';

const EXTENSIONS: readonly (readonly [string, FileFormat])[] = [
  ['.parquet', 'parquet'],
  ['.csv', 'csv'],
  ['.jsonl', 'jsonl'],
  ['.ndjson', 'jsonl'],
  ['.json', 'jsonl'],
];

/**
 * The format of the file at `key` under the `format` option: by extension (optionally followed
 * by `.gz`, which the text readers gunzip; a gzipped Parquet file is no Parquet file), or
 * `undefined` when the file is not one the option reads.
 */
export function fileFormat(
  key: string,
  format: LakeSourceOptions['format'],
): FileFormat | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1).toLowerCase();
  const plain = name.endsWith('.gz') ? name.slice(0, -3) : name;
  const found = EXTENSIONS.find(([extension]) => plain.endsWith(extension))?.[1];
  if (found === 'parquet' && plain !== name) return undefined;
  if (found === undefined || (format !== 'auto' && format !== found)) return undefined;
  return found;
}

/**
 * The bytes of a listed file, read through the store with ranges, stopped by `signal`. With
 * `pinned`, every read asks for the version listed (its ETag): a file rewritten or deleted since
 * it was listed fails with a TransientError naming it, rather than mixing versions or recording
 * the old ETag for the new content.
 */
export function storeByteSource(
  store: ObjectStore,
  file: TableFile,
  read: { readonly signal: AbortSignal; readonly pinned?: boolean },
): ByteSource {
  const { signal } = read;
  const options = read.pinned === true ? { signal, etag: file.etag } : { signal };
  return {
    name: store.describe(file.key),
    size: file.size,
    read: (range) => store.get(file.key, range === undefined ? options : { ...options, range }),
  };
}

/** What reading or sampling a file needs beyond its bytes. */
export interface FileRead {
  readonly format: FileFormat;
  readonly options: LakeSourceOptions;
  readonly signal: AbortSignal;
}

function csvOptions(options: LakeSourceOptions): CsvOptions {
  return {
    header: options.csv_header,
    delimiter: options.csv_delimiter,
    quote: options.csv_quote,
    nullMarker: options.csv_null_marker,
  };
}

/** Rows sampled per CSV or JSONL file to infer its columns (the readers' own default). */
export const SAMPLE_ROWS_PER_FILE = 1000;

/**
 * The columns of one file: its Parquet footer, or inferred from its first
 * {@link SAMPLE_ROWS_PER_FILE} records (bad ones left out under `on_bad_record: skip`).
 * @throws RecordError naming the file (not Parquet, a bad record in the sample under `fail`).
 */
export function fileFields(source: ByteSource, read: FileRead): Promise<Field[]> {
  const { signal, options } = read;
  const onBadRecord: OnBadRecord = options.on_bad_record;
  switch (read.format) {
    case 'parquet':
      return parquetFields(source, { signal });
    case 'jsonl':
      return inferJsonLinesFields(source, {
        signal,
        onBadRecord,
        sampleRows: SAMPLE_ROWS_PER_FILE,
      });
    case 'csv':
      return inferCsvFields(source, {
        ...csvOptions(options),
        signal,
        onBadRecord,
        sampleRows: SAMPLE_ROWS_PER_FILE,
      });
  }
}

/** A reader of one file's rows as `fields` (missing columns null, others converted or refused). */
export function fileRows(
  source: ByteSource,
  read: FileRead & { readonly fields: readonly Field[] },
): RowReader {
  const common = {
    fields: read.fields,
    signal: read.signal,
    onBadRecord: read.options.on_bad_record,
  };
  switch (read.format) {
    case 'parquet':
      return readParquet(source, common);
    case 'jsonl':
      return readJsonLines(source, common);
    case 'csv':
      return readCsv(source, { ...csvOptions(read.options), ...common });
  }
}
