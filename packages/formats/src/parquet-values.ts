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
 * *value schema* of parquet-schema.ts: strings, json and wide decimals as Buffers, timestamps as
 * microseconds, dates as days, decimals up to precision 18 as unscaled bigints, lists as
 * `{ list: [{ element }] }`. Every converted value adds its encoded size to `meter`.
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

function utf8(text: string, meter: SizeMeter): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  meter.bytes += bytes.length + 4;
  return bytes;
}

function parquetLeaf(type: FieldType, meter: SizeMeter): Convert<unknown> {
  switch (type.kind) {
    case 'string':
      return (value) => utf8(stringValue(value), meter);
    case 'json':
      return (value) => utf8(jsonText(value), meter);
    case 'binary':
      return (value) => {
        const bytes = binaryValue(value);
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
  return (value) => utf8(decimalText(unscaledDecimal(value, precision, scale), scale), meter);
}
