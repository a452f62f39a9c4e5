import { t, type FieldType } from '@ferry/core';
import type { SchemaElement } from 'hyparquet';
import { decimalText } from '../decimal.js';
import { fail } from '../issue.js';
import { civilFromDays, formatTimestamp } from '../temporal.js';
import { parseJson, plainJson } from './json-text.js';

/**
 * Parquet leaf columns -> ferry types. hyparquet decodes only physical values here (strings and
 * UUIDs aside: see `rawElement`); each leaf's converter makes the ferry value, exactly:
 *
 * | Parquet (annotation)                                  | ferry          | value                    |
 * | ----------------------------------------------------- | -------------- | ------------------------ |
 * | BYTE_ARRAY UTF8 / STRING / ENUM, FIXED UUID           | string         | text (UUID 8-4-4-4-12)   |
 * | BYTE_ARRAY JSON                                       | json           | parsed value             |
 * | BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY (none)               | binary         | Uint8Array               |
 * | INT32, INT_8/16/32, UINT_8/16                         | int32          | number                   |
 * | INT64, INT_64, UINT_32                                | int64          | bigint                   |
 * | UINT_64                                               | decimal(20,0)  | exact text (> int64 max) |
 * | DECIMAL(p,s) on INT32, INT64, FIXED, BYTE_ARRAY       | decimal(p,s)   | exact text, s digits     |
 * | FLOAT, DOUBLE, FLOAT16                                | float64        | number                   |
 * | BOOLEAN                                               | boolean        | boolean                  |
 * | DATE                                                  | date           | YYYY-MM-DD, any year     |
 * | TIMESTAMP MILLIS/MICROS/NANOS (UTC or not), INT96     | timestamp      | 6 digits + Z; nanoseconds truncated toward the past |
 * | TIME MILLIS/MICROS/NANOS                              | string         | HH:MM:SS.ffffff          |
 *
 * Timestamps not adjusted to UTC are taken as UTC (the wall-clock digits are kept). Not
 * supported: INTERVAL, BSON, GEOMETRY, GEOGRAPHY, VARIANT.
 */
export interface Leaf {
  readonly type: FieldType;
  /** Converts a non-null decoded value; throws a `ValueIssue` for a value it cannot take. */
  readonly read: (value: unknown) => unknown;
}

const identity = (value: unknown): unknown => value;
const STRING_ANNOTATIONS = new Set(['UTF8', 'ENUM', 'STRING', 'JSON']);

/** The leaf's ferry type and converter, or a description of why it is not supported. */
export function leafOf(element: SchemaElement): Leaf | string {
  const ctype = element.converted_type;
  const logical = element.logical_type;
  if (logical?.type === 'JSON' || ctype === 'JSON') return { type: t.json, read: jsonValue };
  if (
    logical?.type === 'STRING' ||
    logical?.type === 'ENUM' ||
    ctype === 'UTF8' ||
    ctype === 'ENUM'
  ) {
    return { type: t.string, read: identity };
  }
  if (logical?.type === 'UUID') return { type: t.string, read: identity };
  if (logical?.type === 'DECIMAL' || ctype === 'DECIMAL') {
    const precision = logical?.type === 'DECIMAL' ? logical.precision : (element.precision ?? 0);
    const scale = logical?.type === 'DECIMAL' ? logical.scale : (element.scale ?? 0);
    return {
      type: t.decimal(precision, scale),
      read: (v) => decimalText(unscaled(v).toString(), scale),
    };
  }
  if (logical?.type === 'DATE' || ctype === 'DATE') return { type: t.date, read: dateValue };
  const timestamp = timestampUnit(element);
  if (timestamp !== undefined) {
    const toMicros = MICROS[timestamp];
    return {
      type: t.timestamp,
      read: (v) => formatTimestamp(toMicros(BigInt(v as number | bigint))),
    };
  }
  const time = timeUnit(element);
  if (time !== undefined)
    return { type: t.string, read: (v) => timeText(MICROS[time](BigInt(v as number | bigint))) };
  if (logical?.type === 'INTEGER' || (ctype !== undefined && /^U?INT_/.test(ctype))) {
    return integerLeaf(element);
  }
  if (logical?.type === 'FLOAT16') return { type: t.float64, read: identity };
  if (logical !== undefined || ctype !== undefined) {
    return `${element.type ?? 'group'} (${logical?.type ?? ctype ?? ''})`;
  }
  return physicalLeaf(element);
}

/**
 * Parsers given to hyparquet: INT96 (which it converts whatever the annotations) arrives as
 * nanoseconds, not as a `Date`.
 */
export const RAW_PARSERS = { timestampFromNanoseconds: (nanos: bigint): bigint => nanos };

/**
 * The element as hyparquet should see it: string annotations become UTF8 (hyparquet decodes the
 * text), UUID and FLOAT16 stay (hyparquet formats them), every other annotation goes, so that
 * hyparquet hands over physical values (its own conversions lose digits: decimals become
 * doubles, timestamps `Date`s).
 */
export function rawElement(element: SchemaElement): SchemaElement {
  const { converted_type: ctype, logical_type: logical, ...rest } = element;
  if (STRING_ANNOTATIONS.has(logical?.type ?? '') || STRING_ANNOTATIONS.has(ctype ?? '')) {
    return { ...rest, converted_type: 'UTF8' };
  }
  if (logical?.type === 'UUID' || logical?.type === 'FLOAT16')
    return { ...rest, logical_type: logical };
  return rest;
}

function physicalLeaf(element: SchemaElement): Leaf | string {
  switch (element.type) {
    case 'BOOLEAN':
      return { type: t.boolean, read: identity };
    case 'INT32':
      return { type: t.int32, read: identity };
    case 'INT64':
      return { type: t.int64, read: identity };
    case 'INT96':
      return { type: t.timestamp, read: int96Value };
    case 'FLOAT':
    case 'DOUBLE':
      return { type: t.float64, read: identity };
    case 'BYTE_ARRAY':
    case 'FIXED_LEN_BYTE_ARRAY':
      return { type: t.binary, read: identity };
    default:
      return String(element.type);
  }
}

function integerLeaf(element: SchemaElement): Leaf {
  const logical = element.logical_type;
  const ctype = element.converted_type ?? '';
  const bits =
    logical?.type === 'INTEGER' ? logical.bitWidth : Number(/\d+$/.exec(ctype)?.[0] ?? 0);
  const signed = logical?.type === 'INTEGER' ? logical.isSigned : !ctype.startsWith('U');
  if (bits === 64 && !signed) {
    return { type: t.decimal(20, 0), read: (v) => BigInt.asUintN(64, v as bigint).toString() };
  }
  if (bits === 64) return { type: t.int64, read: identity };
  if (bits === 32 && !signed) return { type: t.int64, read: (v) => BigInt((v as number) >>> 0) };
  return { type: t.int32, read: identity };
}

const MICROS = {
  MILLIS: (v: bigint) => v * 1000n,
  MICROS: (v: bigint) => v,
  // Floor division: -1 ns is the microsecond before the epoch, not the epoch.
  NANOS: (v: bigint) => (v >= 0n ? v / 1000n : -((-v + 999n) / 1000n)),
};

function timestampUnit(element: SchemaElement): keyof typeof MICROS | undefined {
  if (element.logical_type?.type === 'TIMESTAMP') return element.logical_type.unit;
  if (element.converted_type === 'TIMESTAMP_MILLIS') return 'MILLIS';
  if (element.converted_type === 'TIMESTAMP_MICROS') return 'MICROS';
  return undefined;
}

function timeUnit(element: SchemaElement): keyof typeof MICROS | undefined {
  if (element.logical_type?.type === 'TIME') return element.logical_type.unit;
  if (element.converted_type === 'TIME_MILLIS') return 'MILLIS';
  if (element.converted_type === 'TIME_MICROS') return 'MICROS';
  return undefined;
}

/** INT96 comes as nanoseconds since the epoch (hyparquet's conversion, given `RAW_PARSERS`). */
function int96Value(value: unknown): string {
  return formatTimestamp(MICROS.NANOS(value as bigint));
}

function timeText(micros: bigint): string {
  const text = formatTimestamp(micros);
  return text.slice(11, 26);
}

function dateValue(value: unknown): string {
  return civilFromDays(value as number);
}

/** The JSON text of a JSON column as a json value, integers beyond 2^53 as bigints. */
function jsonValue(value: unknown): unknown {
  let parsed: unknown;
  try {
    parsed = parseJson(value as string);
  } catch {
    // parseJson's own message is about JSON text in general; this one names the column kind.
    return fail('valid JSON text in a JSON column', 'text that is not JSON');
  }
  return plainJson(parsed);
}

/** The unscaled integer of a decimal: INT32 number, INT64 bigint, or big-endian two's complement. */
function unscaled(value: unknown): bigint {
  if (typeof value === 'number' || typeof value === 'bigint') return BigInt(value);
  const bytes = value as Uint8Array;
  let result = 0n;
  for (const byte of bytes) result = (result << 8n) | BigInt(byte);
  return bytes.length > 0 && (bytes[0] ?? 0) >= 0x80
    ? result - (1n << BigInt(bytes.length * 8))
    : result;
}
