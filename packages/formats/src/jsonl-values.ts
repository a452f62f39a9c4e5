/**
 * ferry field types -> JSON Lines. One JSON object per row, keys in field order, every field
 * present (`null` when null or missing):
 *
 * | ferry type | JSON                                                                     |
 * | ---------- | ------------------------------------------------------------------------ |
 * | string     | string                                                                   |
 * | int32      | number                                                                   |
 * | int64      | number, the exact digits (`9223372036854775807`); JSON.parse would round |
 * | float64    | number; NaN, Infinity, -Infinity (not JSON) as the strings "NaN", "Infinity", "-Infinity" |
 * | boolean    | true / false                                                             |
 * | timestamp  | string `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, always 6 fraction digits)       |
 * | date       | string `YYYY-MM-DD`                                                      |
 * | decimal    | number, the exact digits with `scale` fraction digits (`-12.3400`)       |
 * | json       | the JSON value itself, embedded (not a string holding JSON); bigints as digits |
 * | binary     | string, base64                                                           |
 * | list       | array                                                                    |
 * | struct     | object, keys in field order                                              |
 */
import { InternalError, type Field, type FieldType, type Row } from '@ferry/core';
import { compileRow, type Convert, type FormatRules } from './compile.js';
import { decimalText, unscaledDecimal } from './decimal.js';
import {
  binaryValue,
  booleanValue,
  float64Value,
  int32Value,
  int64Value,
  jsonText,
  stringValue,
} from './scalars.js';
import { formatTimestamp, parseDate, parseTimestamp } from './temporal.js';

/**
 * Compiles the serializer of rows of `fields` into one JSON text each (without newline).
 * The returned function throws a `ValueIssue` for a value that does not fit its field.
 */
export function compileJsonRow(fields: readonly Field[]): (row: Row) => string {
  const rules: FormatRules<string> = {
    leaf: jsonLeaf,
    nullValue: 'null',
    struct: (names) => {
      const keys = names.map((name, i) => (i === 0 ? '' : ',') + JSON.stringify(name) + ':');
      return (values) => {
        let text = '{';
        let i = 0;
        for (const key of keys) text += key + (values[i++] ?? 'null');
        return text + '}';
      };
    },
    list: (items) => `[${items.join(',')}]`,
  };
  return compileRow(fields, rules);
}

function jsonLeaf(type: FieldType): Convert<string> {
  switch (type.kind) {
    case 'string':
      return (value) => JSON.stringify(stringValue(value));
    case 'int32':
      return (value) => String(int32Value(value));
    case 'int64':
      return (value) => String(int64Value(value));
    case 'float64':
      return (value) => floatText(float64Value(value));
    case 'boolean':
      return (value) => (booleanValue(value) ? 'true' : 'false');
    case 'timestamp':
      return timestampJson;
    case 'date':
      return (value) => {
        parseDate(value);
        return `"${value as string}"`;
      };
    case 'decimal': {
      const { precision, scale } = type;
      return (value) => decimalText(unscaledDecimal(value, precision, scale), scale);
    }
    case 'json':
      return jsonText;
    case 'binary':
      return (value) => {
        const bytes = binaryValue(value);
        return `"${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}"`;
      };
    case 'list':
    case 'struct':
      throw new InternalError(`jsonl leaf serializer requested for a ${type.kind}`);
  }
}

function floatText(value: number): string {
  if (Number.isFinite(value)) return String(value);
  return Number.isNaN(value) ? '"NaN"' : value > 0 ? '"Infinity"' : '"-Infinity"';
}

function timestampJson(value: unknown): string {
  const micros = parseTimestamp(value);
  // Already canonical (the common case): keep the text, skip formatting.
  if (
    typeof value === 'string' &&
    value.length === 27 &&
    value[10] === 'T' &&
    value[19] === '.' &&
    value[26] === 'Z'
  ) {
    return `"${value}"`;
  }
  return `"${formatTimestamp(micros)}"`;
}
