import { decimalText, unscaledDecimal } from '../decimal.js';
import { fail } from '../issue.js';
import { civilFromDays, daysFromCivil, formatTimestamp } from '../temporal.js';

/**
 * Scalar values from text, as CSV fields and JSON strings hold them. Each `…FromText` returns the
 * ferry value or throws a `ValueIssue` (never quoting the text: rows may hold personal data).
 * The `is…Text` tests are the inference rules (see infer.ts).
 */

const INT_TEXT = /^[+-]?\d+$/;
// `007` is a code, not a number: inference keeps it text.
const LEADING_ZERO = /^[+-]?0\d/;
const FLOAT_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = new Map([
  ['nan', Number.NaN],
  ['+nan', Number.NaN],
  ['-nan', Number.NaN],
  ['inf', Number.POSITIVE_INFINITY],
  ['+inf', Number.POSITIVE_INFINITY],
  ['infinity', Number.POSITIVE_INFINITY],
  ['+infinity', Number.POSITIVE_INFINITY],
  ['-inf', Number.NEGATIVE_INFINITY],
  ['-infinity', Number.NEGATIVE_INFINITY],
]);
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
// ISO 8601 / RFC 3339 and the forms DuckDB and databases print: `T` or a space, optional seconds,
// up to 9 fraction digits, `Z` or an offset `+HH`, `+HHMM`, `+HH:MM` (or none).
const TIMESTAMP_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;
// What DuckDB writes for a TIMESTAMP in CSV and JSON (and Python's isoformat): no zone, seconds,
// up to 9 fraction digits (TIMESTAMP_NS; cut to microseconds like zoned text). Inferred as a
// timestamp in UTC, as DuckDB and BigQuery read it.
const NAIVE_TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?$/;
const BASE64_TEXT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** An integer of up to 64 bits, without leading zeros (`007` is a code, not a number). */
export function isInt64Text(text: string): boolean {
  if (!INT_TEXT.test(text) || LEADING_ZERO.test(text)) return false;
  const value = BigInt(text);
  return value >= INT64_MIN && value <= INT64_MAX;
}

/** A decimal number (`1.5`, `-2e10`, `.5`) without leading zeros, not NaN or an infinity. */
export function isFloatText(text: string): boolean {
  return FLOAT_TEXT.test(text) && !LEADING_ZERO.test(text);
}

/** `nan`, `inf`, `infinity` with an optional sign, any case. */
export function isNonFiniteText(text: string): boolean {
  return NON_FINITE.has(text.toLowerCase());
}

/** `true` or `false`, any case. */
export function isBooleanText(text: string): boolean {
  const lower = text.toLowerCase();
  return lower === 'true' || lower === 'false';
}

/** A valid calendar date `YYYY-MM-DD`. */
export function isDateText(text: string): boolean {
  const m = DATE_TEXT.exec(text);
  return m !== null && validDate(m[1], m[2], m[3]) !== undefined;
}

/**
 * A valid timestamp with a time zone (`Z` or an offset), or without one in the form DuckDB writes
 * (`2025-01-02 03:04:05[.fffffffff]`, `T` or a space), which is read as UTC.
 */
export function isTimestampText(text: string): boolean {
  const m = TIMESTAMP_TEXT.exec(text);
  if (m === null || timestampMicros(m) === undefined) return false;
  return m[8] !== undefined || m[9] !== undefined || NAIVE_TIMESTAMP_TEXT.test(text);
}

/** An int32 from integer text. */
export function int32FromText(text: string): number {
  const expected = 'an int32';
  if (!INT_TEXT.test(text)) fail(expected, 'a string that is not an integer');
  const value = Number(text);
  if (value < -2147483648 || value > 2147483647) fail(expected, 'an integer out of range');
  return value;
}

/** An int64 (bigint) from integer text. */
export function int64FromText(text: string): bigint {
  const expected = 'an int64';
  if (!INT_TEXT.test(text)) fail(expected, 'a string that is not an integer');
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX) fail(expected, 'an integer out of range');
  return value;
}

/** A float64 from decimal text, or `nan` / `inf` / `infinity` with a sign (any case). */
export function float64FromText(text: string): number {
  if (FLOAT_TEXT.test(text)) return Number(text);
  const special = NON_FINITE.get(text.toLowerCase());
  if (special === undefined) fail('a float64', 'a string that is not a number');
  return special;
}

/** A boolean from `true` / `false` (any case). */
export function booleanFromText(text: string): boolean {
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return fail('a boolean (true or false)', 'a string that is neither');
}

/** A date `YYYY-MM-DD`, validated. */
export function dateFromText(text: string): string {
  if (!isDateText(text)) fail('a date (YYYY-MM-DD)', 'a string that is not a valid date');
  return text;
}

/**
 * A timestamp in ferry's form (`YYYY-MM-DDTHH:MM:SS.ffffffZ`). An offset is converted to UTC; a
 * text without zone is taken as UTC (as DuckDB and BigQuery read one); fraction digits beyond the
 * sixth (nanoseconds) are truncated.
 */
export function timestampFromText(text: string): string {
  const m = TIMESTAMP_TEXT.exec(text);
  const micros = m === null ? undefined : timestampMicros(m);
  if (micros === undefined) {
    fail(
      'a timestamp (YYYY-MM-DD HH:MM:SS[.ffffff], then Z, a UTC offset or nothing for UTC)',
      'a string that is not a valid timestamp',
    );
  }
  return formatTimestamp(micros);
}

/** A decimal(precision, scale) in ferry's form (exact, `scale` fraction digits). */
export function decimalFromText(text: string, precision: number, scale: number): string {
  return decimalText(unscaledDecimal(text, precision, scale), scale);
}

/** Binary data from base64 (the form ferry's JSONL writer gives binary). */
export function binaryFromText(text: string): Uint8Array {
  if (!BASE64_TEXT.test(text)) fail('binary data as base64', 'a string that is not base64');
  const bytes = Buffer.from(text, 'base64');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

function validDate(y = '', m = '', d = ''): number | undefined {
  const days = daysFromCivil(Number(y), Number(m), Number(d));
  // A day that does not exist (2023-02-29, month 13) comes back as another date.
  return civilFromDays(days) === `${y}-${m}-${d}` ? days : undefined;
}

function timestampMicros(m: RegExpExecArray): number | bigint | undefined {
  const [, y, mo, d, hh = '', mm = '', ss = '00', fraction = '', , sign, oh = '00', om = '00'] = m;
  const days = validDate(y, mo, d);
  const [hour, minute, second] = [Number(hh), Number(mm), Number(ss)];
  if (days === undefined || hour > 23 || minute > 59 || second > 59) return undefined;
  if (Number(oh) > 23 || Number(om) > 59) return undefined;
  const offset = (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60);
  const seconds = days * 86_400 + hour * 3600 + minute * 60 + second - (sign ? offset : 0);
  const micros = Number(fraction.slice(0, 6).padEnd(6, '0'));
  const total = seconds * 1_000_000 + micros;
  return Number.isSafeInteger(total) ? total : BigInt(seconds) * 1_000_000n + BigInt(micros);
}
