/**
 * ferry field types -> Parquet, on @dsnp/parquetjs 1.8.8, checked by reading every value back
 * with DuckDB 1.5 (see parquet-writer.test.ts).
 *
 * | ferry type      | Parquet physical (annotation)                 | DuckDB 1.5 reads   |
 * | --------------- | --------------------------------------------- | ------------------ |
 * | string          | BYTE_ARRAY (UTF8)                             | VARCHAR            |
 * | int32           | INT32                                         | INTEGER            |
 * | int64           | INT64                                         | BIGINT             |
 * | float64         | DOUBLE                                        | DOUBLE             |
 * | boolean         | BOOLEAN                                       | BOOLEAN            |
 * | timestamp       | INT64 (TIMESTAMP_MICROS), UTC                 | TIMESTAMP          |
 * | date            | INT32 (DATE)                                  | DATE               |
 * | decimal p <= 18 | INT64 (DECIMAL(p,s)), unscaled                | DECIMAL(p,s)       |
 * | decimal p 19-38 | FIXED_LEN_BYTE_ARRAY(n) (DECIMAL(p,s))        | DECIMAL(p,s)       |
 * | decimal p > 38  | BYTE_ARRAY (UTF8), the exact decimal text     | VARCHAR            |
 * | json            | BYTE_ARRAY (JSON), minified JSON text         | JSON               |
 * | binary          | BYTE_ARRAY                                    | BLOB               |
 * | list<T>         | group (LIST) { repeated group list { optional T element } } | T[]  |
 * | struct{...}     | group { ... }                                 | STRUCT(...)        |
 *
 * Non-nullable fields are REQUIRED, nullable ones OPTIONAL. List items are always OPTIONAL (ferry
 * list types say nothing about item nullability, so a null item is written as null).
 *
 * Exact: every value above, int64 at +-(2^63-1), timestamps to the microsecond and before 1970,
 * dates before 1970, decimals up to precision 38, nulls at every level, and a null list apart from
 * an empty one (the 3-level LIST layout keeps them apart; parquetjs's own bare `repeated` fields
 * would read back as `[]` for both).
 * Not exact / not native:
 * - timestamp: parquetjs writes only ConvertedType annotations (no LogicalType), so DuckDB shows
 *   TIMESTAMP (naive), not TIMESTAMP WITH TIME ZONE. The value is the UTC instant.
 * - decimal precision > 38: no Parquet reader we target has a wider decimal (DuckDB would read a
 *   DOUBLE), so the exact text is written as a string column.
 * - string: a lone UTF-16 surrogate cannot be encoded as UTF-8 and becomes U+FFFD.
 * - json: written as JSON.stringify writes it (members that are `undefined` dropped, NaN -> null),
 *   bigints as their exact digits; DuckDB returns the text as written.
 *
 * Three workarounds for parquetjs 1.8.8 (why the schema comes in two versions; a fourth, rows
 * shredded column-wise into its row buffer, is in parquet-append.ts):
 * 1. Its TIMESTAMP_MICROS and DATE converters reject values before 1970, and its INT64 DECIMAL
 *    encoder multiplies by 10^scale in floating point. So values are written through a *value
 *    schema* of bare physical types (INT64 micros, INT32 days, INT64 unscaled decimals, bytes),
 *    and the annotations come from a *footer schema*, swapped in just before the footer is
 *    written (see parquet-open.ts). Both have the same columns in the same order.
 * 2. Its min/max statistics compare JavaScript strings by UTF-16 code units, not UTF-8 bytes:
 *    DuckDB then skips row groups wrongly (`where s = '😀'` missed a row next to `'！'`). String
 *    columns therefore keep their min and max themselves, in UTF-8 byte order, and hand parquetjs
 *    only those two, as UTF-8 Buffers, which it compares bytewise (parquet-statistics.ts).
 * 3. Its statistics are wrong for doubles with NaN (DuckDB then misses NaN rows in `x > 5`) and
 *    for two's complement decimals (compared unsigned). They are off for those columns, and for
 *    json and binary, whose min/max would copy large values into every page header for no use.
 */
import type { FieldDefinition, ParquetCompression, SchemaDefinition } from '@dsnp/parquetjs';
import { InternalError, type Field, type FieldType } from '@ferry/core';
import { decimalByteLength } from './decimal.js';

/** Precision up to which a decimal is an INT64 of unscaled digits. */
export const MAX_INT64_DECIMAL_PRECISION = 18;
/** Precision up to which a decimal is a two's complement FIXED_LEN_BYTE_ARRAY. */
export const MAX_BINARY_DECIMAL_PRECISION = 38;

/** The two versions of one schema: values go through `value`, annotations come from `footer`. */
export interface ParquetSchemas {
  readonly value: SchemaDefinition;
  readonly footer: SchemaDefinition;
}

type Leaf = Pick<FieldDefinition, 'type' | 'typeLength' | 'precision' | 'scale' | 'statistics'>;

/** Builds the value and footer schema definitions of `fields` (see the table above). */
export function parquetSchemas(
  fields: readonly Field[],
  compression: ParquetCompression,
): ParquetSchemas {
  const value: SchemaDefinition = {};
  const footer: SchemaDefinition = {};
  for (const field of fields) {
    const pair = definitions(field.type, !field.nullable, compression);
    value[field.name] = pair.value;
    footer[field.name] = pair.footer;
  }
  return { value, footer };
}

interface DefinitionPair {
  readonly value: FieldDefinition;
  readonly footer: FieldDefinition;
}

function definitions(
  type: FieldType,
  required: boolean,
  compression: ParquetCompression,
): DefinitionPair {
  const optional = !required;
  if (type.kind === 'struct') {
    const inner = parquetSchemas(type.fields, compression);
    return { value: { optional, fields: inner.value }, footer: { optional, fields: inner.footer } };
  }
  if (type.kind === 'list') {
    const element = definitions(type.items, false, compression);
    const wrap = (item: FieldDefinition): FieldDefinition => ({
      type: 'LIST',
      optional,
      fields: { list: { repeated: true, fields: { element: item } } },
    });
    return { value: wrap(element.value), footer: wrap(element.footer) };
  }
  const [value, footer] = leaves(type);
  return {
    value: { ...value, optional, compression },
    footer: { ...footer, optional, compression },
  };
}

function leaves(type: FieldType): [value: Leaf, footer: Leaf] {
  switch (type.kind) {
    case 'string':
      return [{ type: 'BYTE_ARRAY' }, { type: 'UTF8' }];
    case 'int32':
      return [{ type: 'INT32' }, { type: 'INT32' }];
    case 'int64':
      return [{ type: 'INT64' }, { type: 'INT64' }];
    case 'float64':
      return [{ type: 'DOUBLE', statistics: false }, { type: 'DOUBLE' }];
    case 'boolean':
      return [{ type: 'BOOLEAN' }, { type: 'BOOLEAN' }];
    case 'timestamp':
      return [{ type: 'INT64' }, { type: 'TIMESTAMP_MICROS' }];
    case 'date':
      return [{ type: 'INT32' }, { type: 'DATE' }];
    case 'decimal':
      return decimalLeaves(type.precision, type.scale);
    case 'json':
      return [{ type: 'BYTE_ARRAY', statistics: false }, { type: 'JSON' }];
    case 'binary':
      return [{ type: 'BYTE_ARRAY', statistics: false }, { type: 'BYTE_ARRAY' }];
    case 'list':
    case 'struct':
      throw new InternalError(`parquet leaf requested for a ${type.kind}`);
  }
}

function decimalLeaves(precision: number, scale: number): [value: Leaf, footer: Leaf] {
  if (precision <= MAX_INT64_DECIMAL_PRECISION) {
    return [{ type: 'INT64' }, { type: 'DECIMAL', precision, scale }];
  }
  if (precision <= MAX_BINARY_DECIMAL_PRECISION) {
    const typeLength = decimalByteLength(precision);
    return [
      { type: 'FIXED_LEN_BYTE_ARRAY', typeLength, statistics: false },
      { type: 'DECIMAL', typeLength, precision, scale },
    ];
  }
  return [{ type: 'BYTE_ARRAY' }, { type: 'UTF8' }];
}
