import { describe, expect, it } from 'vitest';
import { compareCodePoints, StringStatistics, wellFormed } from './parquet-statistics.js';

/** Strings around the places where UTF-16 order and UTF-8 byte order part. */
const STRINGS = [
  '',
  'a',
  'ab',
  'b',
  '\u0000',
  '\u007F',
  '\u0080',
  'é',
  '\uD7FF',
  '\uE000',
  '\uFF01',
  '\uFFFD',
  '\uFFFF',
  '😀',
  '😀a',
  '\u{10000}',
  '\u{10FFFF}',
  'a😀',
  'a\uFFFF',
];

describe('compareCodePoints', () => {
  it('orders strings as their UTF-8 bytes are ordered', () => {
    for (const a of STRINGS) {
      for (const b of STRINGS) {
        const bytes = Buffer.compare(Buffer.from(a), Buffer.from(b));
        expect(Math.sign(compareCodePoints(a, b)), `${a} vs ${b}`).toBe(bytes);
      }
    }
  });
});

describe('wellFormed', () => {
  it('replaces lone surrogates as UTF-8 encoding does and keeps pairs', () => {
    for (const text of ['a\uD800b', '\uDFFF', 'x\uD83D', '😀', 'plain', '\uDE00\uD83D']) {
      expect(wellFormed(text)).toBe(Buffer.from(text).toString('utf8'));
    }
  });
});

describe('StringStatistics', () => {
  it('gives parquetjs what its Set of distinct Buffers gave: min, max, size, one token each', () => {
    const values = ['b', 'a', '😀', '\uFF01', 'a', 'c'];
    const statistics = new StringStatistics();
    for (const value of values) statistics.add(value);
    const set = new Set(values.map((value) => Buffer.from(value)));
    expect(statistics.size).toBe(set.size);
    expect([...statistics]).toEqual([Buffer.from('a'), Buffer.from('😀')]);
    const chunk = new Set<unknown>();
    statistics.forEach((token) => chunk.add(token));
    statistics.forEach((token) => chunk.add(token));
    expect(chunk.size).toBe(2 * set.size);
  });

  it('finds the UTF-8 byte order min and max of mixed strings, in any order', () => {
    let seed = 7;
    const random = (n: number): number => (seed = (seed * 48271) % 2147483647) % n;
    for (let round = 0; round < 200; round += 1) {
      const values = Array.from({ length: 1 + random(12) }, () =>
        Array.from({ length: random(4) }, () => STRINGS[random(STRINGS.length)]).join(''),
      );
      const statistics = new StringStatistics();
      for (const value of values) statistics.add(value);
      const bytes = values.map((value) => Buffer.from(value)).sort((a, b) => Buffer.compare(a, b));
      const [min, max] = [bytes[0]!, bytes.at(-1)!];
      expect([...statistics]).toEqual(min.equals(max) ? [min] : [min, max]);
    }
  });

  it('yields one value when all are equal and none when empty', () => {
    const statistics = new StringStatistics();
    expect([...statistics]).toEqual([]);
    statistics.add('x');
    statistics.add('x');
    expect([...statistics]).toEqual([Buffer.from('x')]);
    expect(statistics.size).toBe(2);
  });

  it('rejects a value that is not a string', () => {
    expect(() => new StringStatistics().add(Buffer.from('x'))).toThrow(/not a string/);
  });
});
