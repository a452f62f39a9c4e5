import { stringifyJson } from '@ferry/core';
import { fail, failType } from './issue.js';

/**
 * Checks of the scalar ferry types shared by every format. Each returns the value in the form the
 * encoders use, or throws a `ValueIssue` (never naming the value itself).
 */

const INT32_EXPECTED = 'an int32 (integer number from -2147483648 to 2147483647)';
const INT64_EXPECTED = 'an int64 (bigint, or safe-integer number)';
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** An int32: an integer `number` within 32 bits. */
export function int32Value(value: unknown): number {
  if (typeof value !== 'number') return failType(INT32_EXPECTED, value);
  if (!Number.isInteger(value)) fail(INT32_EXPECTED, 'a number that is not an integer');
  if (value < -2147483648 || value > 2147483647) fail(INT32_EXPECTED, 'a number out of range');
  return value;
}

/** An int64: a `bigint` within 64 bits, or a safe-integer `number` (returned as is). */
export function int64Value(value: unknown): bigint | number {
  if (typeof value === 'bigint') {
    if (value < INT64_MIN || value > INT64_MAX) fail(INT64_EXPECTED, 'a bigint out of range');
    return value;
  }
  if (typeof value !== 'number') return failType(INT64_EXPECTED, value);
  if (!Number.isSafeInteger(value)) {
    fail(
      INT64_EXPECTED,
      Number.isInteger(value) ? 'an unsafe integer number' : 'a number that is not an integer',
    );
  }
  return value;
}

/** A float64: any `number`, NaN and infinities included. */
export function float64Value(value: unknown): number {
  if (typeof value !== 'number') return failType('a float64 (number)', value);
  return value;
}

/** A boolean. */
export function booleanValue(value: unknown): boolean {
  if (typeof value !== 'boolean') return failType('a boolean', value);
  return value;
}

/** A string. */
export function stringValue(value: unknown): string {
  if (typeof value !== 'string') return failType('a string', value);
  return value;
}

/** Binary data: a `Uint8Array` (a `Buffer` is one). */
export function binaryValue(value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) return failType('binary data (Uint8Array)', value);
  return value;
}

/**
 * The JSON text of a json value. A bigint anywhere inside is written as its exact digits (json
 * values hold integers beyond 2^53 as bigints, see `@ferry/core` fields.ts). Fails for what JSON
 * cannot hold: `undefined`, functions, symbols and cycles. Inside objects, JSON.stringify drops
 * `undefined` members and writes NaN and infinities as `null`, as usual.
 */
export function jsonText(value: unknown): string {
  try {
    return stringifyJson(value);
  } catch {
    // The TypeError's message could quote data.
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
      return failType('a JSON value', value);
    }
    return fail(
      'a JSON value',
      `${typeof value} that JSON cannot serialise (a cycle inside, or too long)`,
    );
  }
}

/**
 * An integer as a json value holds it: a `number` when a double holds it exactly (|n| <= 2^53-1),
 * else the `bigint` itself. (Defined in `@ferry/core`, beside the JSON text it is read from.)
 */
export { jsonInteger } from '@ferry/core';
