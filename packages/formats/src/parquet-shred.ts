/**
 * A column-wise shredder for parquetjs's row buffer, compiled once per schema.
 *
 * parquetjs's own `shredRecord` (lib/shred.js) allocates, for every row, a fresh
 * `{ dlevels, rlevels, values, distinct_values: new Set() }` per column, joins column paths into
 * strings per field, then copies each column's part of the row into its buffer: for wide, nested
 * schemas that was most of the writer's time. This shredder appends straight into the buffer's
 * column arrays with code generated once per schema, and computes the same Dremel levels
 * (checked against `shredRecord` value by value in parquet-shred.test.ts):
 *
 * - a present leaf: repetition level `r` of its position, definition level its `dLevelMax`;
 * - an absent value (null, undefined, an empty repeated field) at a field: every leaf below it
 *   gets `r` and the definition level of the deepest present ancestor (its parent's `dLevelMax`);
 * - the first item of a repeated field inherits `r`, the next ones get the field's `rLevelMax`.
 *
 * So for `list<int64>`, i.e. `optional group (LIST) { repeated group list { optional element } }`
 * at the top level (definition levels 1, 2, 3): a null list writes (0, 0), an empty list (0, 1),
 * `[null]` (0, 2), `[5, 6]` (0, 3, 5) and (1, 3, 6).
 *
 * Records must be converted by `compileParquetRow` (or `compileParquetConverter`, which gives the
 * same records): leaf values already in their physical form. For numbers, bigints and booleans
 * parquetjs's `toPrimitive` is the identity. For BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY values it is
 * `Buffer.from`, a copy (or the UTF-8 of a string), which its PLAIN encoder makes again anyway:
 * the buffer keeps our strings and Buffers as they are (nobody else holds the Buffers), and the
 * encoded pages are the same.
 */
import type { ParquetSchema } from '@dsnp/parquetjs';
import { InternalError } from '@ferry/core';
import { shredderCode } from './parquet-shred-code.js';
import { StringStatistics } from './parquet-statistics.js';

/** One leaf column in parquetjs's row buffer (`rowBuffer.columnData[path.join(',')]`). */
export interface ColumnBuffer {
  dlevels: number[];
  rlevels: number[];
  values: unknown[];
  /**
   * Feeds min/max and distinct_count statistics of the column's page: a Set of every value, as
   * parquetjs keeps it, or for BYTE_ARRAY (string) columns the equivalent
   * {@link StringStatistics}.
   */
  distinct_values: Set<unknown> | StringStatistics;
  /** Levels appended (parquetjs writes it as the page's `num_rows`). */
  count: number;
}

/** parquetjs's `ParquetWriter.rowBuffer` once it holds rows (lib/shred.js `shredRecord`). */
export interface RowBuffer {
  rowCount: number;
  pageRowCount: number;
  columnData: Record<string, ColumnBuffer>;
  pages: Record<string, unknown[]>;
}

/** A shredder compiled by {@link compileShredder}. */
export interface RecordShredder {
  /**
   * The keys of `rowBuffer.columnData` and `pages`: one per field of the schema's `fieldList`,
   * groups included (parquetjs gives them empty columns too).
   */
  readonly bufferKeys: readonly string[];
  /**
   * Points the shredder at `buffer`'s columns and gives BYTE_ARRAY columns with statistics (whose
   * values are strings) a {@link StringStatistics} instead of parquetjs's empty Set. Call it
   * whenever parquetjs may have replaced them: after every `appendRow`.
   * @throws InternalError if a column is missing or not shaped like parquetjs 1.8.8's.
   */
  attach(buffer: RowBuffer): void;
  /** Appends the levels and values of one record. Does not count the row (`rowCount`). */
  shred(record: Record<string, unknown>): void;
}

/** Builds a row buffer shaped like the one `shredRecord` creates for its first record. */
export function emptyRowBuffer(keys: readonly string[]): RowBuffer {
  const buffer: RowBuffer = { rowCount: 0, pageRowCount: 0, columnData: {}, pages: {} };
  for (const key of keys) {
    buffer.columnData[key] = {
      dlevels: [],
      rlevels: [],
      values: [],
      distinct_values: new Set(),
      count: 0,
    };
    buffer.pages[key] = [];
  }
  return buffer;
}

/**
 * Compiles the shredder of records of `schema` (a parquetjs value schema: physical types only)
 * into one generated function (parquet-shred-code.ts). Columns with `statistics: false` get
 * nothing in `distinct_values`: parquetjs reads it only for statistics, and keeping it would hold
 * every value of the row group in memory.
 *
 * @throws InternalError for a leaf with a converted type (its values would need `toPrimitive`).
 */
export function compileShredder(schema: ParquetSchema): RecordShredder {
  const code = shredderCode(Object.values(schema.fields));
  // Generated from the schema's names (as JSON literals) and levels only, never from row data.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const shred = new Function('columns', 'missing', 'record', code.body) as GeneratedShredder;
  const columns: ColumnBuffer[] = [];
  return {
    bufferKeys: schema.fieldList.map((field) => field.path.join(',')),
    attach(buffer) {
      code.leaves.forEach((leaf, i) => {
        const column = checkedColumn(buffer, leaf.key);
        if (leaf.statistics === 'strings') useStringStatistics(column, leaf.key);
        columns[i] = column;
      });
    },
    shred(record) {
      shred(columns, missing, record);
    },
  };
}

type GeneratedShredder = (
  columns: readonly ColumnBuffer[],
  missing: (path: string) => never,
  record: Record<string, unknown>,
) => void;

function missing(path: string): never {
  throw new InternalError(`parquet shredder: required field ${path} is missing`);
}

function useStringStatistics(column: ColumnBuffer, key: string): void {
  if (column.distinct_values instanceof StringStatistics) return;
  // parquetjs starts every page with an empty Set; one with values would be lost here.
  if (column.distinct_values.size !== 0) internalsChanged(`column ${key} has a Set of values`);
  column.distinct_values = new StringStatistics();
}

function checkedColumn(buffer: RowBuffer, key: string): ColumnBuffer {
  const column = buffer.columnData[key];
  const shaped =
    column !== undefined &&
    Array.isArray(column.dlevels) &&
    Array.isArray(column.rlevels) &&
    Array.isArray(column.values) &&
    (column.distinct_values instanceof Set || column.distinct_values instanceof StringStatistics) &&
    typeof column.count === 'number';
  if (!shaped) internalsChanged(`no column ${key} of the expected shape`);
  return column;
}

function internalsChanged(what: string): never {
  throw new InternalError(
    `parquet shredder: parquetjs's row buffer has ${what}; its internals differ from the ` +
      'version parquet-append.ts was verified against',
  );
}
