import { fail, failType } from './issue.js';

/**
 * Timestamps and dates, parsed and formatted without `Date` where precision matters: ferry
 * timestamps carry microseconds, which `Date` (milliseconds) would lose.
 *
 * A timestamp is held as microseconds since 1970-01-01T00:00:00Z: a `number` when it is a safe
 * integer (years 1685..2255), else a `bigint`. A date is held as days since 1970-01-01.
 */
export type Micros = number | bigint;

const TIMESTAMP_EXPECTED =
  'an ISO 8601 timestamp string (YYYY-MM-DDTHH:MM:SS[.ffffff]Z, up to 6 fraction digits) or a valid Date';
const DATE_EXPECTED = "a date string 'YYYY-MM-DD'";

const MICROS_PER_SECOND = 1_000_000;
const SECONDS_PER_DAY = 86_400;
// Beyond this many seconds from the epoch, seconds * 1e6 is no longer a safe integer.
const SAFE_SECONDS = Math.floor(Number.MAX_SAFE_INTEGER / MICROS_PER_SECOND) - 1;

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The `YYYY-MM-DD` text of a day count from 1970-01-01 (H. Hinnant's `civil_from_days`). */
export function civilFromDays(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function pad(value: number, width: number): string {
  return value < 0 ? '-' + String(-value).padStart(width, '0') : String(value).padStart(width, '0');
}

function isValidDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return day <= (leap ? 29 : 28);
  }
  return day <= (month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31);
}

function microsFrom(seconds: number, fraction: number): Micros {
  if (Math.abs(seconds) <= SAFE_SECONDS) return seconds * MICROS_PER_SECOND + fraction;
  return BigInt(seconds) * 1_000_000n + BigInt(fraction);
}

/**
 * Parses a ferry timestamp value to microseconds since the epoch: a `Date`, or an ISO 8601 /
 * RFC 3339 string `YYYY-MM-DDTHH:MM:SS[.f to .ffffff](Z|+HH:MM|-HH:MM)` (`T` may be `t` or a
 * space, `Z` may be `z`); an offset is converted to UTC. More than 6 fraction digits are
 * rejected rather than rounded.
 */
export function parseTimestamp(value: unknown): Micros {
  if (typeof value === 'string') return parseTimestampText(value);
  if (!(value instanceof Date)) failType(TIMESTAMP_EXPECTED, value);
  const ms = value.getTime();
  if (Number.isNaN(ms)) fail(TIMESTAMP_EXPECTED, 'an invalid Date');
  return Number.isSafeInteger(ms * 1000) ? ms * 1000 : BigInt(ms) * 1000n;
}

// Parsed by hand rather than with a regular expression: this runs for every timestamp value.
function parseTimestampText(text: string): Micros {
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  const separator = text[10];
  const shaped =
    text[4] === '-' &&
    text[7] === '-' &&
    text[13] === ':' &&
    text[16] === ':' &&
    (separator === 'T' || separator === 't' || separator === ' ');
  if (!shaped || Math.min(year, month, day, hour, minute, second) < 0) {
    fail(TIMESTAMP_EXPECTED, 'a string in another format');
  }
  if (!isValidDay(year, month, day) || hour > 23 || minute > 59 || second > 59) {
    fail(TIMESTAMP_EXPECTED, 'a string with an out-of-range date or time part');
  }
  const { fraction, end } = fractionAt(text, 19);
  const offsetSeconds = offsetAt(text, end);
  const seconds =
    daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
  return microsFrom(seconds - offsetSeconds, fraction);
}

/** The non-negative integer of `count` ASCII digits at `start`, or -1. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i += 1) {
    const digit = text.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** The optional `.f` to `.ffffff` at `start`, as microseconds, and where it ends. */
function fractionAt(text: string, start: number): { fraction: number; end: number } {
  if (text[start] !== '.') return { fraction: 0, end: start };
  let end = start + 1;
  while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end += 1;
  const count = end - start - 1;
  if (count === 0) fail(TIMESTAMP_EXPECTED, 'a string in another format');
  if (count > 6) fail(TIMESTAMP_EXPECTED, 'a string with more than 6 fraction digits');
  return { fraction: digitsAt(text, start + 1, count) * 10 ** (6 - count), end };
}

/** The UTC offset at `start` (`Z`, `+HH:MM`, `-HH:MM`, ending the text) in seconds. */
function offsetAt(text: string, start: number): number {
  const zone = text.slice(start);
  if (zone === 'Z' || zone === 'z') return 0;
  const hours = digitsAt(zone, 1, 2);
  const minutes = digitsAt(zone, 4, 2);
  const sign = zone.startsWith('+') ? 1 : zone.startsWith('-') ? -1 : 0;
  if (zone.length !== 6 || zone[3] !== ':' || sign === 0 || hours < 0 || minutes < 0) {
    fail(TIMESTAMP_EXPECTED, 'a string in another format');
  }
  if (hours > 23 || minutes > 59) fail(TIMESTAMP_EXPECTED, 'a string with an invalid offset');
  return sign * (hours * 3600 + minutes * 60);
}

/** Formats microseconds since the epoch as `YYYY-MM-DDTHH:MM:SS.ffffffZ` (always 6 digits). */
export function formatTimestamp(micros: Micros): string {
  let seconds: number;
  let fraction: number;
  if (typeof micros === 'number') {
    seconds = Math.floor(micros / MICROS_PER_SECOND);
    fraction = micros - seconds * MICROS_PER_SECOND;
  } else {
    const s = micros / 1_000_000n - (micros % 1_000_000n < 0n ? 1n : 0n);
    seconds = Number(s);
    fraction = Number(micros - s * 1_000_000n);
  }
  const days = Math.floor(seconds / SECONDS_PER_DAY);
  const rest = seconds - days * SECONDS_PER_DAY;
  const hh = Math.floor(rest / 3600);
  const mm = Math.floor((rest % 3600) / 60);
  const ss = rest % 60;
  return `${civilFromDays(days)}T${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}.${pad(fraction, 6)}Z`;
}

/** Parses a ferry date value (`YYYY-MM-DD`) to days since 1970-01-01. */
export function parseDate(value: unknown): number {
  if (typeof value !== 'string') return failType(DATE_EXPECTED, value);
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const shaped = value.length === 10 && value[4] === '-' && value[7] === '-';
  if (!shaped || Math.min(year, month, day) < 0) fail(DATE_EXPECTED, 'a string in another format');
  if (!isValidDay(year, month, day)) fail(DATE_EXPECTED, 'a string with an out-of-range date');
  return daysFromCivil(year, month, day);
}
