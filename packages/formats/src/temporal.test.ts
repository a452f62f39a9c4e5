import { describe, expect, it } from 'vitest';
import { ValueIssue } from './issue.js';
import {
  civilFromDays,
  daysFromCivil,
  formatTimestamp,
  parseDate,
  parseTimestamp,
} from './temporal.js';

describe('parseTimestamp', () => {
  it.each<[string, number | bigint]>([
    ['1970-01-01T00:00:00Z', 0],
    ['1970-01-01T00:00:00.000001Z', 1],
    ['1969-12-31T23:59:59.999999Z', -1],
    ['2025-01-02T03:04:05.1Z', 1735787045100000],
    ['2025-01-02t03:04:05.123z', 1735787045123000],
    ['2025-01-02 05:04:05.123456+02:00', 1735787045123456],
    ['2025-01-01T22:04:05-05:00', 1735787045000000],
    ['2024-02-29T00:00:00Z', 1709164800000000],
    // Beyond 2^53 microseconds: bigint.
    ['9999-12-31T23:59:59.999999Z', 253402300799999999n],
    ['0001-01-01T00:00:00Z', -62135596800000000n],
  ])('%s', (text, micros) => {
    expect(parseTimestamp(text)).toBe(micros);
  });

  it('accepts a Date, to the millisecond', () => {
    expect(parseTimestamp(new Date(Date.UTC(1960, 5, 1, 0, 0, 0, 123)))).toBe(-302486399877000);
  });

  it.each([
    '2025-01-02',
    '2025-01-02T03:04:05',
    '2025-01-02T03:04:05.Z',
    '2025-01-02T03:04:05.1234567Z',
    '2025-13-02T03:04:05Z',
    '2023-02-29T03:04:05Z',
    '2025-01-02T24:00:00Z',
    '2025-01-02T03:60:00Z',
    '2025-01-02T03:04:05+0200',
    '2025-01-02T03:04:05+24:00',
    '2025-01-02T03:04:05Z ',
    '+12025-01-02T03:04:05Z',
  ])('rejects %s', (text) => {
    expect(() => parseTimestamp(text)).toThrow(ValueIssue);
  });
});

describe('formatTimestamp', () => {
  it('formats numbers and bigints with 6 fraction digits, before 1970 too', () => {
    expect(formatTimestamp(0)).toBe('1970-01-01T00:00:00.000000Z');
    expect(formatTimestamp(-1)).toBe('1969-12-31T23:59:59.999999Z');
    expect(formatTimestamp(-1n)).toBe('1969-12-31T23:59:59.999999Z');
    expect(formatTimestamp(253402300799999999n)).toBe('9999-12-31T23:59:59.999999Z');
    expect(formatTimestamp(-62135596800000000n)).toBe('0001-01-01T00:00:00.000000Z');
  });

  it('inverts parseTimestamp across centuries', () => {
    for (
      let micros = -62135596800000000n;
      micros < 253402300799999999n;
      micros += 987654321987654n
    ) {
      const value = micros >= -(2n ** 53n) && micros <= 2n ** 53n ? Number(micros) : micros;
      expect(parseTimestamp(formatTimestamp(value))).toBe(value);
    }
  });
});

describe('dates', () => {
  it('parses and formats days since 1970, before 1970 too', () => {
    expect(parseDate('1970-01-01')).toBe(0);
    expect(parseDate('1969-12-31')).toBe(-1);
    expect(parseDate('2000-02-29')).toBe(11016);
    expect(parseDate('0001-01-01')).toBe(-719162);
    expect(civilFromDays(-719162)).toBe('0001-01-01');
    for (let days = -719162; days < 2932897; days += 997) {
      expect(parseDate(civilFromDays(days))).toBe(days);
    }
    expect(daysFromCivil(1900, 3, 1)).toBe(-25508);
  });

  it.each(['1900-02-29', '2025-04-31', '2025-1-01', '20250101', '2025-01-01T00:00:00Z'])(
    'rejects %s',
    (text) => {
      expect(() => parseDate(text)).toThrow(ValueIssue);
    },
  );

  it('rejects a Date (a date is a string)', () => {
    expect(() => parseDate(new Date())).toThrow(/expected a date string 'YYYY-MM-DD', got Date/);
  });
});
