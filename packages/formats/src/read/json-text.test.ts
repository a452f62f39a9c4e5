import { describe, expect, it } from 'vitest';
import { ValueIssue } from '../issue.js';
import { NumberText, parseJson, plainJson } from './json-text.js';

function problem(text: string): string {
  try {
    parseJson(text);
  } catch (error) {
    if (error instanceof ValueIssue) return error.received;
    throw error;
  }
  return 'parsed';
}

describe('parseJson', () => {
  it('keeps numbers of more than 15 digits a double cannot give back as their text, others as numbers', () => {
    expect(
      parseJson(
        '[123456789012345, 1234567890123456, -0.12345678901234567, 1e400, 5, 0.1234567890123456]',
      ),
    ).toEqual([
      123456789012345,
      new NumberText('1234567890123456'),
      new NumberText('-0.12345678901234567'),
      Number.POSITIVE_INFINITY,
      5,
      0.1234567890123456, // prints back as written: nothing to keep
    ]);
    // A decimal(18,4) at full precision has no run of 16 digits, and keeps them all the same.
    expect(parseJson('{"amount": 99999999999999.9999}')).toEqual({
      amount: new NumberText('99999999999999.9999'),
    });
  });

  it('leaves digits and markers inside strings alone', () => {
    const text = String.raw`{"s": "12345678901234567 \" NaN \u00000#0", "n": 12345678901234567}`;
    expect(parseJson(text)).toEqual({
      s: '12345678901234567 " NaN \u00000#0',
      n: new NumberText('12345678901234567'),
    });
  });

  it('reads NaN and infinities as DuckDB and Python write them', () => {
    expect(parseJson('{"a": NaN, "b": -Infinity, "c": [Infinity]}')).toEqual({
      a: Number.NaN,
      b: Number.NEGATIVE_INFINITY,
      c: [Number.POSITIVE_INFINITY],
    });
  });

  it('describes invalid JSON without quoting it', () => {
    expect(problem('{"secret": x}')).toBe('text that is not JSON');
    expect(problem('{"a": 1,}')).toBe('text that is not JSON (error at character 9)');
    expect(problem('{"a": [1, 2')).toBe('text that ends before the JSON value does');
    // The position is in the text itself, also when long numbers and NaN were read.
    expect(problem('{"a": 12345678901234567, "b": NaN,}')).toBe(
      'text that is not JSON (error at character 35)',
    );
    expect(problem('[NaN, 12345678901234567')).toBe('text that ends before the JSON value does');
  });

  it('turns long numbers into json values: bigints beyond 2^53, numbers otherwise', () => {
    const value = plainJson(
      parseJson(
        '{"__proto__": {"n": 12345678901234567}, "safe": [9007199254740991, -9007199254740991],' +
          ' "big": [9007199254740992, -9007199254740992, -99999999999999999999999],' +
          ' "long": 1.2345678901234567, "small": 12}',
      ),
    );
    expect(value).toEqual(
      Object.fromEntries([
        ['__proto__', { n: 12345678901234567n }],
        ['safe', [9007199254740991, -9007199254740991]],
        ['big', [9007199254740992n, -9007199254740992n, -99999999999999999999999n]],
        ['long', 1.2345678901234567],
        ['small', 12],
      ]),
    );
  });
});
