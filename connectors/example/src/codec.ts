/**
 * Rows <-> lines of JSON, driven by the field types, so that every value reads back as it was
 * written: int64 as a decimal string (most JSON readers round numbers beyond 2^53), binary as
 * base64, timestamps as `YYYY-MM-DDTHH:MM:SS.ffffffZ`, decimals with exactly `scale` digits, json
 * values as they are, integers beyond 2^53 inside with their exact digits. Only the stream's
 * fields are kept; a null or missing value is `null`.
 */
import {
  isPlainObject,
  parseJsonExact,
  RecordError,
  stringifyJson,
  type Field,
  type FieldType,
  type JsonFieldValue,
  type Row,
} from '@ferry/core';
import { SCALARS } from './scalars.js';

type Direction = 'encode' | 'decode';

/**
 * The line of `row`, without its newline: {@link encodeRow} as JSON text, where the bigints of
 * json values are written as their digits (`JSON.stringify` throws for a bigint).
 * @throws RecordError as {@link encodeRow}.
 */
export function encodeLine(row: Row, fields: readonly Field[]): string {
  return stringifyJson(encodeRow(row, fields));
}

/**
 * The row of one line. The text is parsed by `parseJsonExact`, so the integers beyond 2^53 of a
 * json value come back exactly, as bigints (`JSON.parse` would round them).
 * @throws RecordError as {@link decodeRow}; SyntaxError when the line is not JSON.
 */
export function decodeLine(text: string, fields: readonly Field[]): Row {
  return decodeRow(parseJsonExact(text), fields);
}

/**
 * The JSON object of `row`.
 * @throws RecordError naming the field when a value does not fit its type (or is null in a
 *   field that is not nullable).
 */
export function encodeRow(row: Row, fields: readonly Field[]): Record<string, JsonFieldValue> {
  const line = convertStruct(row, fields, { direction: 'encode', path: '' });
  return line as Record<string, JsonFieldValue>;
}

/**
 * The row a line holds, with ferry's in-memory values (`bigint`, `Uint8Array`, ...).
 * @throws RecordError naming the field, as {@link encodeRow}.
 */
export function decodeRow(line: unknown, fields: readonly Field[]): Row {
  if (!isPlainObject(line)) throw new RecordError('the line is not a JSON object');
  return convertStruct(line, fields, { direction: 'decode', path: '' });
}

interface Walk {
  readonly direction: Direction;
  /** Dotted path of the value, for error positions (`properties.client.url`, `segments[2]`). */
  readonly path: string;
}

function convertStruct(
  value: Record<string, unknown>,
  fields: readonly Field[],
  walk: Walk,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const path = walk.path === '' ? field.name : `${walk.path}.${field.name}`;
    const item = value[field.name] ?? null;
    if (item === null && !field.nullable) {
      throw new RecordError('the value is null but the field is not nullable', {
        position: { field: path },
      });
    }
    out[field.name] = item === null ? null : convert(item, field.type, { ...walk, path });
  }
  return out;
}

function convert(value: unknown, type: FieldType, walk: Walk): unknown {
  if (type.kind === 'list') {
    if (!Array.isArray(value)) throw notA('list', walk.path);
    // List items may always be null (see `fields.ts`).
    return value.map((item: unknown, i) =>
      item === null || item === undefined
        ? null
        : convert(item, type.items, { ...walk, path: `${walk.path}[${String(i)}]` }),
    );
  }
  if (type.kind === 'struct') {
    if (!isPlainObject(value)) throw notA('struct (plain object)', walk.path);
    return convertStruct(value, type.fields, walk);
  }
  try {
    const codec = SCALARS[type.kind];
    return walk.direction === 'encode'
      ? codec.encode(value, type)
      : codec.decode(value as JsonFieldValue, type);
  } catch (error) {
    throw error instanceof RecordError ? error.at({ field: walk.path }) : error;
  }
}

function notA(expected: string, path: string): RecordError {
  return new RecordError(`expected a ${expected}`, { position: { field: path } });
}
