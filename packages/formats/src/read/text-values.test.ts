import { describe, expect, it } from 'vitest';
import { ValueIssue } from '../issue.js';
import {
  binaryFromText,
  decimalFromText,
  float64FromText,
  int64FromText,
  isTimestampText,
  timestampFromText,
} from './text-values.js';

function issue(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    if (error instanceof ValueIssue) return error.message;
    throw error;
  }
  return 'no issue';
}

describe('values from text', () => {
  it('reads timestamps in ISO 8601 and database forms to 6 digits and Z', () => {
    expect(timestampFromText('2025-01-02T03:04:05Z')).toBe('2025-01-02T03:04:05.000000Z');
    expect(timestampFromText('2025-01-02 03:04:05.123456789+00')).toBe(
      '2025-01-02T03:04:05.123456Z',
    );
    expect(timestampFromText('2025-01-02t03:04:05,5-0130')).toBe('2025-01-02T04:34:05.500000Z');
    expect(timestampFromText('1969-12-31 23:59:59.9999999')).toBe('1969-12-31T23:59:59.999999Z');
    expect(timestampFromText('2025-01-02 03:04')).toBe('2025-01-02T03:04:00.000000Z');
    expect(timestampFromText('0001-01-01T00:00:00+01:00')).toBe('0000-12-31T23:00:00.000000Z');
    expect(issue(() => timestampFromText('2025-02-30 00:00:00Z'))).toBe(
      'expected a timestamp (YYYY-MM-DD HH:MM:SS[.ffffff], then Z, a UTC offset or nothing for UTC), got a string that is not a valid timestamp',
    );
    expect(isTimestampText('2025-01-02 24:00:00Z')).toBe(false);
  });

  it('takes timestamps without a zone as DuckDB writes them (TIMESTAMP in CSV, JSON) as UTC', () => {
    for (const text of [
      '2025-01-01 00:00:00',
      '2025-01-01T00:00:00',
      '2025-01-02 03:04:05.123456',
      '1969-07-20T20:17:40.5',
      '2025-01-02 03:04:05.123456789', // TIMESTAMP_NS, cut to microseconds
      '2025-01-02 03:04:05+02', // zoned: any form, as before
      '2025-01-02t03:04Z',
    ]) {
      expect(isTimestampText(text)).toBe(true);
    }
    // Not what DuckDB writes without a zone: no seconds, 10 fraction digits, a comma, not a time.
    for (const text of [
      '2025-01-02 03:04',
      '2025-01-02 03:04:05.1234567891',
      '2025-01-02 03:04:05,5',
      '2025-02-30 00:00:00',
      '2025-01-02 03:04:60',
      '2025-01-02',
    ]) {
      expect(isTimestampText(text)).toBe(false);
    }
    expect(timestampFromText('2025-01-02 03:04:05.000001')).toBe('2025-01-02T03:04:05.000001Z');
    expect(timestampFromText('2025-01-02 03:04:05.123456789')).toBe('2025-01-02T03:04:05.123456Z');
    expect(timestampFromText('1969-12-31T23:59:59.999999')).toBe('1969-12-31T23:59:59.999999Z');
    expect(timestampFromText('1900-03-01 12:00:00')).toBe('1900-03-01T12:00:00.000000Z');
  });

  it('reads numbers exactly, refusing what does not fit', () => {
    expect(int64FromText('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(issue(() => int64FromText('9223372036854775808'))).toBe(
      'expected an int64, got an integer out of range',
    );
    expect(decimalFromText('-1.5e2', 6, 2)).toBe('-150.00');
    expect(issue(() => decimalFromText('1.234', 6, 2))).toBe(
      'expected a decimal(6,2) as a string or finite number, got a value with more than 2 fraction digits',
    );
    expect(float64FromText('-Inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(issue(() => float64FromText('1,5'))).toBe(
      'expected a float64, got a string that is not a number',
    );
  });

  it('reads base64 binary', () => {
    expect(binaryFromText('AAH/')).toEqual(Uint8Array.from([0, 1, 255]));
    expect(issue(() => binaryFromText('not base64!'))).toBe(
      'expected binary data as base64, got a string that is not base64',
    );
  });
});
