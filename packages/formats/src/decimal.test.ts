import { describe, expect, it } from 'vitest';
import { decimalByteLength, decimalBytes, decimalText, unscaledDecimal } from './decimal.js';
import { ValueIssue } from './issue.js';

const VALID: [string | number, number, number, string][] = [
  ['-12.34', 18, 4, '-123400'],
  ['12.3400', 6, 4, '123400'],
  ['+3', 9, 2, '300'],
  ['.5', 3, 1, '5'],
  ['5.', 3, 1, '50'],
  ['-0.00', 5, 2, '0'],
  ['0001.10', 5, 2, '110'],
  ['1.5e3', 6, 0, '1500'],
  ['15E-1', 2, 1, '15'],
  ['1.20e-1', 3, 2, '12'],
  [0.1, 3, 2, '10'],
  [-1e-7, 10, 7, '-1'],
  [1e21, 22, 0, '1000000000000000000000'],
  ['99999999999999999999999999999999999999', 38, 0, '99999999999999999999999999999999999999'],
];

const INVALID: [unknown, number, number, RegExp][] = [
  ['1.234', 6, 2, /more than 2 fraction digits/],
  [0.30000000000000004, 10, 2, /more than 2 fraction digits/],
  ['12345.6', 6, 2, /more than 4 integer digits/],
  ['1e40', 38, 0, /more than 38 integer digits/],
  ['abc', 6, 2, /non-numeric string/],
  ['', 6, 2, /non-numeric string/],
  ['.', 6, 2, /non-numeric string/],
  ['1,5', 6, 2, /non-numeric string/],
  [Number.NaN, 6, 2, /got number/],
  [12n, 6, 2, /got bigint/],
];

describe('unscaledDecimal', () => {
  it.each(
    VALID.map(([value, precision, scale, unscaled]) => ({ value, precision, scale, unscaled })),
  )(
    '$value at decimal($precision,$scale) is $unscaled',
    ({ value, precision, scale, unscaled }) => {
      expect(unscaledDecimal(value, precision, scale)).toBe(unscaled);
    },
  );

  it.each(
    INVALID.map(([value, precision, scale, message]) => ({ value, precision, scale, message })),
  )('rejects $value at decimal($precision,$scale)', ({ value, precision, scale, message }) => {
    expect(() => unscaledDecimal(value, precision, scale)).toThrow(ValueIssue);
    expect(() => unscaledDecimal(value, precision, scale)).toThrow(message);
  });
});

describe('decimal encodings', () => {
  it('formats unscaled digits at the scale', () => {
    expect(decimalText('-123400', 4)).toBe('-12.3400');
    expect(decimalText('5', 2)).toBe('0.05');
    expect(decimalText('-5', 2)).toBe('-0.05');
    expect(decimalText('0', 3)).toBe('0.000');
    expect(decimalText('42', 0)).toBe('42');
  });

  it('sizes and encodes two’s complement big-endian bytes', () => {
    expect(decimalByteLength(9)).toBe(4);
    expect(decimalByteLength(18)).toBe(8);
    expect(decimalByteLength(19)).toBe(9);
    expect(decimalByteLength(38)).toBe(16);
    expect([...decimalBytes('-1', 9)]).toEqual(Array<number>(9).fill(255));
    expect([...decimalBytes('256', 3)]).toEqual([0, 1, 0]);
    expect([...decimalBytes('-256', 3)]).toEqual([255, 255, 0]);
  });
});
