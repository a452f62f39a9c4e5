import { isJsonValue, RecordError, type FieldType, type JsonFieldValue } from '@ferry/core';

/** A field type other than `list` and `struct`. */
export type ScalarType = Exclude<FieldType, { kind: 'list' | 'struct' }>;
type DecimalType = Extract<FieldType, { kind: 'decimal' }>;

/**
 * How one scalar type is written to JSON and read back. Both directions accept only what fits the
 * type and throw a `RecordError` without position otherwise (the caller adds the field). A decoder
 * gets the value as `parseJsonExact` reads it: a JSON number beyond 2^53 as a bigint.
 */
interface ScalarCodec {
  encode(value: unknown, type: ScalarType): JsonFieldValue;
  decode(value: JsonFieldValue, type: ScalarType): unknown;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const NON_FINITE = new Map([
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
]);
const TIMESTAMP =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?([Zz]|[+-]\d{2}:\d{2})$/;
const DECIMAL = /^([+-]?)0*(\d+?)(?:\.(\d*))?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function mismatch(expected: string, value: unknown): RecordError {
  const got = value instanceof Uint8Array ? 'bytes' : Array.isArray(value) ? 'array' : typeof value;
  return new RecordError(`expected ${expected}, got ${value === null ? 'null' : got}`);
}

/**
 * int64 is a decimal string in the file, so that every JSON reader gets it exactly (`JSON.parse`
 * rounds a number beyond 2^53). A number written by another tool is read too.
 */
function int64(value: unknown): bigint {
  let big: bigint;
  if (typeof value === 'bigint') big = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) big = BigInt(value);
  else if (typeof value === 'string' && /^-?\d{1,19}$/.test(value)) big = BigInt(value);
  else throw mismatch('an int64 (bigint or safe integer)', value);
  if (big < INT64_MIN || big > INT64_MAX) throw new RecordError(`${String(big)} is beyond int64`);
  return big;
}

function int32(value: unknown): number {
  const fits = typeof value === 'number' && Number.isInteger(value);
  if (fits && value >= -(2 ** 31) && value < 2 ** 31) return value;
  throw mismatch('an int32', value);
}

function float64(value: unknown): number {
  if (typeof value === 'number') return value;
  throw mismatch('a float64', value);
}

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ` in UTC: the one form ferry's readers give. */
function timestamp(value: unknown): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    return value.toISOString().replace('Z', '000Z');
  }
  const parts = typeof value === 'string' ? TIMESTAMP.exec(value) : null;
  const [, day = '', time = '', fraction = '', zone = ''] = parts ?? [];
  const local = Date.parse(`${day}T${time}Z`);
  const utc = Date.parse(`${day}T${time}${zone.toUpperCase()}`);
  // Date.parse rolls 2025-02-30 over into March: the text must come back unchanged.
  const exists = !Number.isNaN(local) && new Date(local).toISOString().startsWith(`${day}T${time}`);
  if (parts === null || !exists || Number.isNaN(utc))
    throw mismatch('an ISO 8601 timestamp', value);
  return `${new Date(utc).toISOString().slice(0, 19)}.${fraction.padEnd(6, '0')}Z`;
}

function date(value: unknown): string {
  const day = typeof value === 'string' ? value : '';
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) {
    throw mismatch('a date YYYY-MM-DD', value);
  }
  return day;
}

/** Exactly `scale` fraction digits (`-12.3400`); a value needing more is refused, never rounded. */
function decimal(value: unknown, { precision, scale }: DecimalType): string {
  const text = typeof value === 'number' ? value.toFixed(scale) : value;
  const parts = typeof text === 'string' ? DECIMAL.exec(text) : null;
  if (parts === null || (typeof value === 'number' && Number(text) !== value)) {
    throw mismatch(`a decimal(${precision},${scale}) string or number`, value);
  }
  const [, sign = '', whole = '', fraction = ''] = parts;
  const wholeDigits = whole === '0' ? 0 : whole.length;
  if (/[1-9]/.test(fraction.slice(scale)) || wholeDigits > precision - scale) {
    throw new RecordError(`${String(value)} does not fit decimal(${precision},${scale})`);
  }
  const digits = scale > 0 ? `${whole}.${fraction.slice(0, scale).padEnd(scale, '0')}` : whole;
  return sign === '-' && /[1-9]/.test(digits) ? `-${digits}` : digits;
}

/** A codec that passes values of one JSON type through unchanged. */
function same<T extends JsonFieldValue>(is: (value: unknown) => value is T, expected: string) {
  const check = (value: unknown): T => {
    if (is(value)) return value;
    throw mismatch(expected, value);
  };
  return { encode: check, decode: check };
}

/** The codec of each scalar type. */
export const SCALARS: Readonly<Record<ScalarType['kind'], ScalarCodec>> = {
  string: same((v): v is string => typeof v === 'string', 'a string'),
  boolean: same((v): v is boolean => typeof v === 'boolean', 'a boolean'),
  // Integers beyond 2^53 inside are bigints: written as their digits, read back exactly.
  json: same(isJsonValue, 'a JSON value'),
  int32: { encode: int32, decode: int32 },
  int64: { encode: (v) => String(int64(v)), decode: int64 },
  // JSON has no NaN or infinities: they are written as strings, as ferry's JSONL format does.
  float64: {
    encode: (v) => (Number.isFinite(float64(v)) ? float64(v) : String(v)),
    decode: (v) =>
      (typeof v === 'string' ? NON_FINITE.get(v) : undefined) ??
      // A number of more than 15 digits without a fraction is read as a bigint: the nearest double.
      float64(typeof v === 'bigint' ? Number(v) : v),
  },
  timestamp: { encode: timestamp, decode: timestamp },
  date: { encode: date, decode: date },
  decimal: {
    encode: (v, type) => decimal(v, type as DecimalType),
    // An integer beyond 2^53 written as a number by another tool: its digits, exactly.
    decode: (v, type) => decimal(typeof v === 'bigint' ? String(v) : v, type as DecimalType),
  },
  binary: {
    encode: (v) => {
      if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
      throw mismatch('bytes (Uint8Array)', v);
    },
    // A plain Uint8Array, not a Buffer, so values compare equal to what a source emitted.
    decode: (v) => {
      if (typeof v === 'string' && BASE64.test(v)) return new Uint8Array(Buffer.from(v, 'base64'));
      throw mismatch('base64 text', v);
    },
  },
};
