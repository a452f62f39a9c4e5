import { isPlainObject, typeName, type Field, type FieldType, type Row } from '@ferry/core';
import { fail, withSegment } from '../issue.js';
import { jsonText } from '../scalars.js';
import { NumberText, parseJson, plainJson } from './json-text.js';
import {
  binaryFromText,
  booleanFromText,
  dateFromText,
  decimalFromText,
  float64FromText,
  int32FromText,
  int64FromText,
  timestampFromText,
} from './text-values.js';

/**
 * Values parsed from JSON Lines or CSV, coerced to ferry field types. Compiled once per schema.
 *
 * JSON values: each type takes its own JSON form (what ferry's JSONL writer writes) and text:
 * | type      | takes                                                                      |
 * | --------- | -------------------------------------------------------------------------- |
 * | string    | a string; a number or boolean as its JSON text; an object or array as JSON text |
 * | int32/64  | an integer number (long ones exactly, see json-text.ts) or integer text     |
 * | float64   | a number, or number text (`NaN`, `Infinity`, `-inf`... any case)            |
 * | boolean   | true/false, or the text `true`/`false` (any case)                           |
 * | timestamp | text, ISO 8601 (`T` or space, up to 9 fraction digits, truncated to 6), `Z` or an offset; no zone = UTC |
 * | date      | text `YYYY-MM-DD`                                                           |
 * | decimal   | a number (its exact digits) or number text; more fraction digits than the scale fail |
 * | json      | any value (integers beyond 2^53 as bigints; long decimals rounded to doubles) |
 * | binary    | base64 text                                                                 |
 * | list      | an array; struct: an object (missing keys are null, other keys ignored)     |
 *
 * CSV fields are text: a field that is empty (or the null marker, decided by the reader) is null
 * for every type but string; list, struct and json fields hold JSON text, parsed as above.
 */
export type RecordShape = 'json' | 'csv';

type Coerce = (value: unknown) => unknown;

/**
 * The converter of parsed records (`{ name: value }`) into rows of `fields`, keys in field order.
 * It throws a `ValueIssue` with the field path for a value that does not fit.
 */
export function compileRecord(
  fields: readonly Field[],
  shape: RecordShape,
): (record: Record<string, unknown>) => Row {
  const members = fields.map((f) => ({ name: f.name, coerce: fieldValue(f, shape) }));
  return (record) => {
    const row: Row = {};
    for (const { name, coerce } of members) {
      try {
        row[name] = coerce(record[name]);
      } catch (error) {
        throw withSegment(error, name);
      }
    }
    return row;
  };
}

/** The converter of one field's value (null or missing allowed when the field is nullable). */
export function fieldValue(f: Field, shape: RecordShape): (value: unknown) => unknown {
  const inner = shape === 'csv' ? csvValue(f.type) : jsonValue(f.type);
  const type = typeName(f.type);
  return (value) => {
    if (value === null || value === undefined) {
      if (f.nullable) return null;
      return fail(`a non-null ${type}`, value === null ? 'null' : 'a missing value');
    }
    return inner(value);
  };
}

function csvValue(type: FieldType): Coerce {
  if (type.kind === 'string') return (text) => text;
  const fromJson = jsonValue(type);
  const parse = type.kind === 'list' || type.kind === 'struct' || type.kind === 'json';
  return (text) => {
    if (text === '') return null; // an empty field of a non-string column
    return fromJson(parse ? parseJson(text as string) : text);
  };
}

function jsonValue(type: FieldType): Coerce {
  switch (type.kind) {
    case 'string':
      return stringValue;
    case 'int32':
      return numeric('an int32', int32FromText, (n) => Number(int64Of(n, 'an int32', 32)));
    case 'int64':
      return numeric('an int64', int64FromText, (n) => int64Of(n, 'an int64', 64));
    case 'float64':
      return numeric('a float64', float64FromText, (n) =>
        typeof n === 'number' ? n : Number(n.text),
      );
    case 'decimal': {
      const { precision, scale } = type;
      const fromText = (text: string): string => decimalFromText(text, precision, scale);
      return numeric(typeName(type), fromText, (n) =>
        fromText(typeof n === 'number' ? String(n) : n.text),
      );
    }
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? v : textOnly('a boolean', booleanFromText)(v));
    case 'timestamp':
      return textOnly('a timestamp', timestampFromText);
    case 'date':
      return textOnly('a date (YYYY-MM-DD)', dateFromText);
    case 'binary':
      return textOnly('binary data as base64', binaryFromText);
    case 'json':
      return plainJson;
    case 'list':
      return listValue(type.items);
    case 'struct':
      return structValue(type.fields);
  }
}

function stringValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof NumberText) return value.text;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return jsonText(plainJson(value));
}

function numeric<T>(
  expected: string,
  fromText: (text: string) => T,
  fromNumber: (n: number | NumberText) => T,
): Coerce {
  return (value) => {
    if (typeof value === 'number' || value instanceof NumberText) return fromNumber(value);
    if (typeof value === 'string') return fromText(value);
    return fail(expected, describe(value));
  };
}

function textOnly(expected: string, fromText: (text: string) => unknown): Coerce {
  return (value) => (typeof value === 'string' ? fromText(value) : fail(expected, describe(value)));
}

function int64Of(n: number | NumberText, expected: string, bits: 32 | 64): bigint {
  const integral = typeof n === 'number' ? Number.isInteger(n) : n.integral;
  if (!integral) fail(expected, 'a number that is not an integer');
  const value = typeof n === 'number' ? BigInt(n) : BigInt(n.text);
  const limit = 2n ** BigInt(bits - 1);
  if (value < -limit || value >= limit) fail(expected, 'an integer out of range');
  return value;
}

function listValue(items: FieldType): Coerce {
  const item = jsonValue(items);
  return (value) => {
    if (!Array.isArray(value)) return fail('a list (array)', describe(value));
    return value.map((v: unknown, i) => {
      try {
        return v === null || v === undefined ? null : item(v);
      } catch (error) {
        throw withSegment(error, i);
      }
    });
  };
}

function structValue(fields: readonly Field[]): Coerce {
  const record = compileRecord(fields, 'json');
  return (value) => {
    if (!isPlainObject(value) || value instanceof NumberText) {
      return fail('a struct (object)', describe(value));
    }
    return record(value);
  };
}

/** The JSON type of a value for messages (never the value). */
function describe(value: unknown): string {
  if (value instanceof NumberText || typeof value === 'number') return 'a number';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return `a ${typeof value}`;
}
