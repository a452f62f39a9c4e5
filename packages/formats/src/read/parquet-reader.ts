import { isFerryError, RecordError, typeName, type Field, type Row } from '@ferry/core';
import {
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
  type AsyncBuffer,
  type FileMetaData,
} from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { fail, withSegment } from '../issue.js';
import { readRange, type ByteSource } from './byte-source.js';
import { columnPlans, rawMetadata, type ColumnPlan } from './parquet-columns.js';
import { RAW_PARSERS } from './parquet-leaf.js';
import { recordIssue } from './record-errors.js';
import {
  batchRowsOption,
  columnsBeyond,
  rowReader,
  type OnBadRecord,
  type RowReader,
} from './row-reader.js';
import { unchanged, widening } from './widen.js';

/** Options of {@link parquetFields}. */
export interface ParquetFieldsOptions {
  readonly signal?: AbortSignal;
}

/** Options of {@link readParquet}. */
export interface ReadParquetOptions {
  /**
   * The columns to read, in order (default: every column of the file, as {@link parquetFields}
   * gives them). A column the file lacks is null; one of another type is converted where that is
   * safe (widen.ts: int32 -> int64 -> float64, date -> timestamp, anything -> string or json...).
   */
  readonly fields?: readonly Field[];
  /** Rows per batch (default 10,000); a batch never spans two row groups. */
  readonly batchRows?: number;
  /** Aborting stops the read: the iteration throws the signal's reason. */
  readonly signal?: AbortSignal;
  /**
   * For rows whose value cannot be converted to `fields` (a null in a non-nullable field, a value
   * that does not fit): `fail` (default) or `skip`. A corrupt row group always fails.
   */
  readonly onBadRecord?: OnBadRecord;
}

// The footer is read with the file's last bytes; most footers fit in this (else a second read).
const FOOTER_FETCH_BYTES = 64 * 1024;

interface OpenParquet {
  readonly metadata: FileMetaData;
  readonly plans: readonly ColumnPlan[];
  readonly file: AsyncBuffer;
}

/**
 * The ferry fields of a Parquet file, from its footer only (one or two range reads). Mapping
 * in parquet-leaf.ts and parquet-columns.ts.
 *
 * @throws RecordError naming the file when it is not Parquet, truncated or corrupt, or when a
 *   column has a type ferry does not read (naming the column); the source's errors unchanged.
 */
export async function parquetFields(
  source: ByteSource,
  options: ParquetFieldsOptions = {},
): Promise<Field[]> {
  const { plans } = await openParquet(source, options.signal);
  return plans.map((plan) => plan.field);
}

/**
 * Reads a Parquet file one row group at a time (memory: one row group's column chunks and rows,
 * never the whole file), in batches of ferry rows; each batch says its row group and the file
 * row number of its first row. The file's columns not among `fields` are in the reader's
 * `extraColumns` once the footer is read.
 *
 * @throws (from the iteration) RecordError naming the file and the row group for corrupt data
 *   (`cannot read Parquet row group 3 (rows 300000-399999): …`), and the errors of
 *   {@link parquetFields}; RecordError naming the row and field for a value that does not fit
 *   `fields` (or skipped, under `onBadRecord: 'skip'`).
 */
export function readParquet(source: ByteSource, options: ReadParquetOptions = {}): RowReader {
  const batchRows = batchRowsOption(options.batchRows);
  const { signal } = options;
  return rowReader(options.onBadRecord ?? 'fail', async function* (bad, found) {
    const { metadata, plans, file } = await openParquet(source, signal);
    const names = plans.map((p) => p.field.name);
    if (options.fields !== undefined) found.extraColumns = columnsBeyond(names, options.fields);
    const convert = rowConverter(plans, options.fields ?? plans.map((p) => p.field), source);
    const columns = names.filter((name) => convert.columns.has(name));
    const group: GroupRead = { source, file, metadata: rawMetadata(metadata), columns };
    let first = 0;
    for (const [index, rowGroup] of metadata.row_groups.entries()) {
      const where = { index, first, count: Number(rowGroup.num_rows) };
      first += where.count;
      if (where.count === 0) continue;
      signal?.throwIfAborted();
      const raw = await groupRows(group, where);
      for (let offset = 0; offset < raw.length; offset += batchRows) {
        const rows: Row[] = [];
        for (let i = offset; i < Math.min(offset + batchRows, raw.length); i += 1) {
          try {
            rows.push(convert.row(raw[i] ?? {}));
          } catch (error) {
            bad.handle(error, () =>
              recordIssue(error, 'Parquet row', { key: source.name, row: where.first + i }),
            );
          }
        }
        if (rows.length > 0) yield { rows, firstRow: where.first + offset, rowGroup: index };
        signal?.throwIfAborted();
      }
    }
  });
}

async function openParquet(
  source: ByteSource,
  signal: AbortSignal | undefined,
): Promise<OpenParquet> {
  signal?.throwIfAborted();
  const file: AsyncBuffer = {
    byteLength: source.size,
    slice: async (start, end = source.size) => {
      signal?.throwIfAborted();
      return (await readRange(source, start, end)).buffer;
    },
  };
  const position = { key: source.name };
  if (source.size < 12) {
    throw new RecordError(
      `cannot read Parquet file: ${source.size} bytes are too few for Parquet`,
      { position },
    );
  }
  try {
    const metadata = await parquetMetadataAsync(file, {
      initialFetchSize: FOOTER_FETCH_BYTES,
      geoparquet: false,
    });
    return { metadata, plans: columnPlans(parquetSchema(metadata), source.name), file };
  } catch (error) {
    if (isFerryError(error)) throw error;
    throw new RecordError(`cannot read Parquet file: ${footerProblem(error)}`, {
      position,
      cause: error,
    });
  }
}

function footerProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes('PAR1'))
    return 'it does not end with the Parquet magic bytes (truncated, or not Parquet)';
  if (message.includes('exceeds available buffer'))
    return 'its footer is longer than the file (truncated or corrupt)';
  return `its footer is corrupt (${message})`;
}

interface GroupWhere {
  readonly index: number;
  readonly first: number;
  readonly count: number;
}

interface GroupRead {
  readonly source: ByteSource;
  readonly file: AsyncBuffer;
  /** The metadata hyparquet reads with (see `rawMetadata`). */
  readonly metadata: FileMetaData;
  readonly columns: string[];
}

/** The rows of one row group as hyparquet assembles them; its errors as `RecordError`s. */
async function groupRows(group: GroupRead, where: GroupWhere): Promise<Record<string, unknown>[]> {
  if (group.columns.length === 0) return emptyRows(where.count);
  try {
    return await parquetReadObjects({
      file: group.file,
      metadata: group.metadata,
      columns: group.columns,
      rowStart: where.first,
      rowEnd: where.first + where.count,
      compressors,
      utf8: false,
      parsers: RAW_PARSERS,
    });
  } catch (error) {
    if (isFerryError(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const rows = `rows ${where.first}-${where.first + where.count - 1}`;
    throw new RecordError(
      `cannot read Parquet row group ${where.index} (${rows}): corrupt data (${message})`,
      { position: { key: group.source.name, row: where.first }, cause: error },
    );
  }
}

function emptyRows(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, () => ({}));
}

interface RowConverter {
  /** The file's columns that are read. */
  readonly columns: ReadonlySet<string>;
  readonly row: (raw: Record<string, unknown>) => Row;
}

function rowConverter(
  plans: readonly ColumnPlan[],
  fields: readonly Field[],
  source: ByteSource,
): RowConverter {
  const byName = new Map(plans.map((p) => [p.field.name, p]));
  const columns = fields.map((f) => ({
    name: f.name,
    nullable: f.nullable,
    read: columnReader(f, byName.get(f.name), source),
  }));
  return {
    columns: new Set(fields.map((f) => f.name).filter((name) => byName.has(name))),
    row: (raw) => {
      const row: Row = {};
      for (const { name, nullable, read } of columns) {
        try {
          const value = read(raw[name]);
          if (value === null && !nullable) fail('a non-null value', 'null');
          row[name] = value;
        } catch (error) {
          throw withSegment(error, name);
        }
      }
      return row;
    },
  };
}

function columnReader(
  f: Field,
  plan: ColumnPlan | undefined,
  source: ByteSource,
): (raw: unknown) => unknown {
  const position = { key: source.name, field: f.name };
  if (plan === undefined) {
    if (f.nullable) return () => null;
    throw new RecordError(
      'cannot read Parquet file: the column is not in the file, and not nullable',
      { position },
    );
  }
  const widen = widening(plan.field.type, f.type);
  if (widen === undefined) {
    const from = typeName(plan.field.type);
    throw new RecordError(
      `cannot read Parquet column: it is ${from} in the file, which cannot be read as ${typeName(f.type)}`,
      { position },
    );
  }
  if (widen === unchanged) return plan.read;
  return (raw) => {
    const value = plan.read(raw);
    return value === null ? null : widen(value);
  };
}
