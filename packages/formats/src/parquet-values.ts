import { InternalError, type Field, type FieldType, type Row } from '@ferry/core';
import { compileRow, type Convert, type FormatRules } from './compile.js';
import { decimalByteLength, decimalBytes, decimalText, unscaledDecimal } from './decimal.js';
import { MAX_BINARY_DECIMAL_PRECISION, MAX_INT64_DECIMAL_PRECISION } from './parquet-schema.js';
import {
  binaryValue,
  booleanValue,
  float64Value,
  int32Value,
  int64Value,
  jsonText,
  stringValue,
} from './scalars.js';
import { wellFormed } from './parquet-statistics.js';
import { parseDate, parseTimestamp } from './temporal.js';

/**
 * Counts the bytes of the values converted so far (as PLAIN-encoded, before compression), so the
 * writer can estimate the size of rows still buffered in a row group.
 */
export interface SizeMeter {
  bytes: number;
}

/**
 * Compiles the converter of rows of `fields` into the records parquetjs shreds, following the
 * *value schema* of parquet-schema.ts: strings, json and wide decimals as well-formed strings
 * (encoded to UTF-8 by parquetjs), binary as a Buffer copy (owned: the row group keeps it until it
 * is written), fixed-length decimals as Buffers, timestamps as microseconds, dates as days,
 * decimals up to precision 18 as unscaled bigints, lists as `{ list: [{ element }] }`. Every
 * converted value adds its encoded size to `meter`.
 *
 * This is the reference: the writer uses `compileParquetConverter` (parquet-convert.ts), generated
 * code that gives the same records faster and asks this one why a row was rejected.
 *
 * The returned function throws a `ValueIssue` for a value that does not fit its field.
 */
export function compileParquetRow(
  fields: readonly Field[],
  meter: SizeMeter,
): (row: Row) => Record<string, unknown> {
  const rules: FormatRules<unknown> = {
    leaf: (type) => parquetLeaf(type, meter),
    nullValue: null,
    struct: (names) => (values) => {
      const record: Record<string, unknown> = {};
      let i = 0;
      for (const name of names) record[name] = values[i++];
      return record;
    },
    list: (items) => ({ list: items.map((element) => ({ element })) }),
  };
  return compileRow(fields, rules) as (row: Row) => Record<string, unknown>;
}

/**
 * Text for a BYTE_ARRAY column, kept as a string: parquetjs's PLAIN encoder writes it as UTF-8
 * (one conversion, no intermediate Buffer), and string statistics compare it by code point
 * (parquet-statistics.ts), so a lone surrogate is replaced as UTF-8 encoding replaces it.
 */
function text(value: string, meter: SizeMeter): string {
  if (!NON_ASCII.test(value)) {
    meter.bytes += value.length + 4;
    return value;
  }
  const well = wellFormed(value);
  meter.bytes += Buffer.byteLength(well, 'utf8') + 4;
  return well;
}

// Most text is ASCII: then it is well-formed and its UTF-8 is as long as it is.
const NON_ASCII = /[\u0080-\uFFFF]/;

/** The converter of one non-null scalar of `type` into its parquetjs value (see above). */
export function parquetLeaf(type: FieldType, meter: SizeMeter): Convert<unknown> {
  switch (type.kind) {
    case 'string':
      return (value) => text(stringValue(value), meter);
    case 'json':
      return (value) => text(jsonText(value), meter);
    case 'binary':
      return (value) => {
        // A copy: the row group keeps it until it is written, and the caller may reuse its array.
        const bytes = Buffer.from(binaryValue(value));
        meter.bytes += bytes.length + 4;
        return bytes;
      };
    case 'int32':
      return fixed(int32Value, 4, meter);
    case 'int64':
      return fixed(int64Value, 8, meter);
    case 'float64':
      return fixed(float64Value, 8, meter);
    case 'boolean':
      return fixed(booleanValue, 1, meter);
    case 'timestamp':
      return fixed(parseTimestamp, 8, meter);
    case 'date':
      return fixed(parseDate, 4, meter);
    case 'decimal':
      return decimalLeaf(type.precision, type.scale, meter);
    case 'list':
    case 'struct':
      throw new InternalError(`parquet leaf converter requested for a ${type.kind}`);
  }
}

function fixed<T>(convert: Convert<T>, size: number, meter: SizeMeter): Convert<T> {
  return (value) => {
    meter.bytes += size;
    return convert(value);
  };
}

function decimalLeaf(precision: number, scale: number, meter: SizeMeter): Convert<unknown> {
  if (precision <= MAX_INT64_DECIMAL_PRECISION) {
    return fixed((value) => BigInt(unscaledDecimal(value, precision, scale)), 8, meter);
  }
  if (precision <= MAX_BINARY_DECIMAL_PRECISION) {
    const length = decimalByteLength(precision);
    return fixed(
      (value) => decimalBytes(unscaledDecimal(value, precision, scale), length),
      length,
      meter,
    );
  }
  return (value) => text(decimalText(unscaledDecimal(value, precision, scale), scale), meter);
}
