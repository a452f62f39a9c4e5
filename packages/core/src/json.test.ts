import type * as Crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { isJsonValue, jsonInteger, parseJsonExact, scanJson, stringifyJson } from './json.js';

// The gap: the bigint markers' nonce is random per process; fixed here so that a test can put a
// marker's text into the data.
vi.mock('node:crypto', async (original) => ({
  ...(await original<typeof Crypto>()),
  randomBytes: (size: number) => Buffer.alloc(size, 0xab),
}));
const MARKER = `ferry-bigint-${'ab'.repeat(9)}-0:`;

describe('stringifyJson', () => {
  it('writes a value without bigints as JSON.stringify does', () => {
    const value = { a: 1, f: 0.5, n: Number.NaN, u: undefined, l: [null, 'x', true], s: '"1"' };
    expect(stringifyJson(value)).toBe(JSON.stringify(value));
    expect(stringifyJson('text')).toBe('"text"');
    expect(stringifyJson({ at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
  });

  it('writes bigints anywhere inside as their exact digits', () => {
    const value = {
      a: { id: 12345678901234567890n },
      l: [-(2n ** 70n), 1, { deep: [9007199254740993n] }],
      s: 'ferry-bigint 123',
      q: '"12"',
      f: 1.5,
    };
    expect(stringifyJson(value)).toBe(
      '{"a":{"id":12345678901234567890},"l":[-1180591620717411303424,1,{"deep":[9007199254740993]}],' +
        '"s":"ferry-bigint 123","q":"\\"12\\"","f":1.5}',
    );
    expect(stringifyJson(-5n)).toBe('-5');
    expect(stringifyJson([2n ** 64n])).toBe('[18446744073709551616]');
  });

  it('leaves data holding a marker text as it is', () => {
    const value = { [`${MARKER}1`]: `${MARKER}2`, l: [`${MARKER}-3`, 4n], n: 5n };
    expect(stringifyJson(value)).toBe(`{"${MARKER}1":"${MARKER}2","l":["${MARKER}-3",4],"n":5}`);
  });

  it('throws a TypeError for a cycle (bigint or not) and for what has no JSON text', () => {
    const cycle: Record<string, unknown> = { n: 1 };
    cycle.self = cycle;
    expect(() => stringifyJson(cycle)).toThrow(TypeError);
    cycle.n = 1n;
    expect(() => stringifyJson(cycle)).toThrow(TypeError);
    expect(() => stringifyJson(undefined)).toThrow('undefined has no JSON text');
    expect(() => stringifyJson(() => 1)).toThrow(TypeError);
    expect(() => stringifyJson(Symbol('s'))).toThrow(TypeError);
  });
});

describe('parseJsonExact', () => {
  it('gives integers beyond 2^53 as bigints and every other number as a number', () => {
    const text =
      '{"safe": [9007199254740991, -9007199254740991], "big": [9007199254740992, -99999999999999999999999],' +
      ' "long": 1.2345678901234567, "exp": 12345678901234567e2, "small": 12, "s": "12345678901234567"}';
    expect(parseJsonExact(text)).toEqual({
      safe: [9007199254740991, -9007199254740991],
      big: [9007199254740992n, -99999999999999999999999n],
      long: 1.2345678901234567,
      exp: 1.2345678901234568e18,
      small: 12,
      s: '12345678901234567',
    });
    expect(parseJsonExact('9007199254740993')).toBe(9007199254740993n);
    // A `__proto__` key stays a key, as with JSON.parse.
    const proto = parseJsonExact('{"__proto__": {"n": 12345678901234567}}');
    expect(Object.keys(proto as object)).toEqual(['__proto__']);
  });

  it('reads back what stringifyJson writes, digit for digit', () => {
    const value = { id: 2n ** 63n + 1n, l: [-(2n ** 60n), 0.1, 'x', null], ok: true };
    expect(parseJsonExact(stringifyJson(value))).toEqual(value);
  });

  it('refuses what JSON.parse refuses, NaN, Infinity and leading zeros included', () => {
    for (const text of [
      'NaN',
      '[Infinity]',
      '{"a": -Infinity}',
      '[012345678901234567]',
      '',
      '{12345678901234567: 1}', // a long number where a key must be
    ]) {
      expect(() => parseJsonExact(text), text).toThrow(SyntaxError);
    }
  });
});

describe('scanJson', () => {
  it('hands each token of more than 15 digits a double cannot give back to longNumber, as written', () => {
    const tokens: string[] = [];
    const longNumber = (token: string) => {
      tokens.push(token);
      return `<${token}>`;
    };
    const text =
      '[123456789012345, 1234567890123456, -0.12345678901234567, 99999999999999.9999, 1e400, 1700000000.123456]';
    expect(scanJson(text, { longNumber })).toEqual([
      123456789012345,
      '<1234567890123456>',
      '<-0.12345678901234567>',
      '<99999999999999.9999>',
      Number.POSITIVE_INFINITY,
      // A fraction whose double prints back as written: a plain number, no detour.
      1700000000.123456,
    ]);
    expect(tokens).toHaveLength(3);
  });

  it('leaves digits and markers inside strings alone', () => {
    const text = String.raw`{"s": "12345678901234567 \" NaN \u00000#0", "n": 12345678901234567}`;
    expect(scanJson(text, { longNumber: BigInt, nonFinite: true })).toEqual({
      s: '12345678901234567 " NaN \u00000#0',
      n: 12345678901234567n,
    });
  });

  it('reads NaN and infinities with nonFinite, as DuckDB and Python write them', () => {
    const text = '{"a": NaN, "b": -Infinity, "c": [Infinity, 12345678901234567]}';
    expect(scanJson(text, { longNumber: BigInt, nonFinite: true })).toEqual({
      a: Number.NaN,
      b: Number.NEGATIVE_INFINITY,
      c: [Number.POSITIVE_INFINITY, 12345678901234567n],
    });
  });

  it('throws the SyntaxError of JSON.parse, at a position in the text itself', () => {
    const scan = (text: string) => () => scanJson(text, { longNumber: BigInt, nonFinite: true });
    expect(scan('{"a": 12345678901234567,}')).toThrow(/position 24\b/);
    expect(scan('{"a": -Infinity, "b": NaN,}')).toThrow(/position 26\b/);
    expect(scan('[1NaN]')).toThrow(/position 2\b/);
    expect(scan('{"a": [1, 2')).toThrow(/position 11\b|end of JSON input/);
    expect(scan('{"a": NaN]')).toThrow(SyntaxError);
  });
});

describe('jsonInteger', () => {
  it('keeps a bigint only beyond the exact range of a double', () => {
    expect(jsonInteger(9007199254740991n)).toBe(9007199254740991);
    expect(jsonInteger(-9007199254740991n)).toBe(-9007199254740991);
    expect(jsonInteger(9007199254740992n)).toBe(9007199254740992n);
    expect(jsonInteger(-9007199254740992n)).toBe(-9007199254740992n);
  });
});

describe('isJsonValue', () => {
  it('accepts JSON values with bigints, arrays and plain objects, also without a prototype', () => {
    const bare = Object.assign(Object.create(null) as object, { n: 1 });
    const shared = { x: 1 };
    const accepted = [null, 'x', true, 1.5, 2n ** 64n, [1, [null]], { a: { b: [1n] } }, bare];
    for (const [i, value] of accepted.entries()) expect(isJsonValue(value), `#${i}`).toBe(true);
    expect(isJsonValue({ a: shared, b: [shared] })).toBe(true);
  });

  it('refuses what JSON would change or cannot hold', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const refused = [
      undefined,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      new Date(0),
      new Uint8Array(1),
      new Map(),
      () => 1,
      { a: undefined },
      [1, undefined],
      cycle,
    ];
    for (const [i, value] of refused.entries()) expect(isJsonValue(value), `#${i}`).toBe(false);
  });
});
