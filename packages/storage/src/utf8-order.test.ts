import { describe, expect, it } from 'vitest';
import { compareUtf8 } from './utf8-order.js';

const byBytes = (a: string, b: string) => Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe('compareUtf8', () => {
  it('orders like the UTF-8 bytes where UTF-16 order differs', () => {
    // U+FFFD is below U+1F600 in UTF-8, but above its surrogates in UTF-16 (JavaScript's `<`).
    expect(Math.sign(compareUtf8('\uFFFD', '😀'))).toBe(-1);
    expect(Math.sign(compareUtf8('a\uE000', 'a𐀀'))).toBe(-1);
    expect(compareUtf8('a/b', 'a/b')).toBe(0);
    expect(Math.sign(compareUtf8('a', 'a/'))).toBe(-1);
    expect(Math.sign(compareUtf8('a-b', 'a/b'))).toBe(-1);
  });

  it('agrees with Buffer.compare on random strings', () => {
    const alphabet = [
      'a',
      'b',
      '-',
      '.',
      '/',
      '0',
      'é',
      'ü',
      '中',
      '\uE000',
      '\uFFFD',
      '😀',
      '𐀀',
      '🀄',
    ];
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const random = () =>
      Array.from({ length: next() % 6 }, () => alphabet[next() % alphabet.length]).join('');
    for (let i = 0; i < 5000; i++) {
      const a = random();
      const b = random();
      expect(Math.sign(compareUtf8(a, b)), `${a} vs ${b}`).toBe(byBytes(a, b));
    }
  });
});
