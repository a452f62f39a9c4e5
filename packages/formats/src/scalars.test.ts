import type * as Crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { ValueIssue } from './issue.js';
import { jsonInteger, jsonText } from './scalars.js';

// The gap: the bigint markers' nonce is random per process; fixed here so that a test can put a
// marker's text into the data.
vi.mock('node:crypto', async (original) => ({
  ...(await original<typeof Crypto>()),
  randomBytes: (size: number) => Buffer.alloc(size, 0xab),
}));
const MARKER = `ferry-bigint-${'ab'.repeat(9)}-0:`;

describe('jsonText', () => {
  it('writes a value without bigints as JSON.stringify does', () => {
    const value = { a: 1, f: 0.5, n: Number.NaN, u: undefined, l: [null, 'x', true], s: '"1"' };
    expect(jsonText(value)).toBe(JSON.stringify(value));
    expect(jsonText('text')).toBe('"text"');
  });

  it('writes bigints anywhere inside as their exact digits', () => {
    const value = {
      a: { id: 12345678901234567890n },
      l: [-(2n ** 70n), 1n, { deep: [9007199254740993n] }],
      s: 'ferry-bigint 123', // text that looks like a number stays text
      q: '"12"',
      f: 1.5,
      u: undefined,
    };
    expect(jsonText(value)).toBe(
      '{"a":{"id":12345678901234567890},"l":[-1180591620717411303424,1,{"deep":[9007199254740993]}],' +
        '"s":"ferry-bigint 123","q":"\\"12\\"","f":1.5}',
    );
    expect(jsonText(-5n)).toBe('-5');
    expect(jsonText([2n ** 64n])).toBe('[18446744073709551616]');
  });

  it('leaves data holding a marker text as it is', () => {
    const value = { [`${MARKER}1`]: `${MARKER}2`, l: [`${MARKER}-3`, 4n], n: 5n };
    expect(jsonText(value)).toBe(`{"${MARKER}1":"${MARKER}2","l":["${MARKER}-3",4],"n":5}`);
  });

  it('fails for a cycle (bigint or not) and for what JSON cannot hold, naming no value', () => {
    const cycle: Record<string, unknown> = { n: 1n };
    cycle.self = cycle;
    expect(() => jsonText(cycle)).toThrow(ValueIssue);
    expect(() => jsonText(cycle)).toThrow('cycle');
    expect(() => jsonText(undefined)).toThrow(ValueIssue);
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
