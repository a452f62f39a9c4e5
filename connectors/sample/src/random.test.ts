import { describe, expect, it } from 'vitest';
import { fmix32, hash32, hasher, Rng, seedWords, shuffleInPlace, Weighted } from './random.js';

function draws(rng: Rng, count: number): number[] {
  return Array.from({ length: count }, () => rng.uint32());
}

describe('Rng', () => {
  it('is deterministic per coordinates', () => {
    expect(draws(Rng.derive(1, 2, 3), 5)).toEqual(draws(Rng.derive(1, 2, 3), 5));
    expect(draws(Rng.derive(1, 2, 3), 5)).not.toEqual(draws(Rng.derive(1, 2, 4), 5));
    expect(draws(Rng.derive(1, 2, 3), 5)).not.toEqual(draws(Rng.derive(1, 3, 2), 5));
  });

  it('derives the same generator through a deriver', () => {
    expect(draws(Rng.deriver(7, 8)(9), 5)).toEqual(draws(Rng.derive(7, 8, 9), 5));
    expect(draws(Rng.deriver(1, 2, 3, 4, 5)(6), 5)).toEqual(draws(Rng.derive(1, 2, 3, 4, 5, 6), 5));
  });

  it('clones replay, forks diverge', () => {
    const rng = Rng.derive(42);
    const copy = rng.clone();
    expect(draws(copy, 10)).toEqual(draws(rng, 10));
    const fork = rng.fork();
    expect(draws(fork, 10)).not.toEqual(draws(rng, 10));
  });

  it('draws in range, uniformly', () => {
    const rng = Rng.derive(1);
    const buckets = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = rng.float();
      if (u < 0 || u >= 1) outside++;
      else buckets[Math.floor(u * 10)]!++;
    }
    expect(outside).toBe(0);
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(400);
    const ints = Array.from({ length: 1000 }, () => rng.between(3, 5));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5]));
    expect(draws(rng, 1000).every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)).toBe(true);
  });

  it('skips exactly as many numbers as asked', () => {
    const a = Rng.derive(5);
    const b = Rng.derive(5);
    expect(a.skip(3)).toBe('');
    draws(b, 3);
    expect(a.uint32()).toBe(b.uint32());
  });

  it('draws roughly standard normal numbers', () => {
    const rng = Rng.derive(2);
    const xs = Array.from({ length: 50_000 }, () => rng.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
  });
});

describe('Weighted', () => {
  it('picks in proportion to the weights', () => {
    const weighted = new Weighted([
      ['a', 5],
      ['b', 1],
      ['c', 3],
      ['d', 1],
    ]);
    const rng = Rng.derive(3);
    const counts = new Map<string, number>();
    for (let i = 0; i < 100_000; i++) {
      const value = weighted.pick(rng);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    const expected = { a: 50_000, b: 10_000, c: 30_000, d: 10_000 };
    for (const [value, count] of Object.entries(expected)) {
      expect(Math.abs((counts.get(value) ?? 0) - count), value).toBeLessThan(800);
    }
  });

  it('always picks the only value', () => {
    const rng = Rng.derive(4);
    const one = new Weighted([['only', 2]]);
    expect(Array.from({ length: 20 }, () => one.pick(rng))).toEqual(new Array(20).fill('only'));
  });
});

describe('hashes', () => {
  it('fmix32 is a bijection on a sample', () => {
    const outputs = new Set(Array.from({ length: 100_000 }, (_, i) => fmix32(i)));
    expect(outputs.size).toBe(100_000);
  });

  it('hasher(...parts)(i) is hash32(...parts, i)', () => {
    expect(hasher(1, 2)(3)).toBe(hash32(1, 2, 3));
    expect(hash32(1, 2, 3)).not.toBe(hash32(1, 2, 4));
  });

  it('splits seeds into two words', () => {
    expect(seedWords(42)).toEqual([42, 0]);
    expect(seedWords(2 ** 32 + 5)).toEqual([5, 1]);
    expect(seedWords(Number.MAX_SAFE_INTEGER)).toEqual([0xffffffff, 0x1fffff]);
  });
});

describe('shuffleInPlace', () => {
  it('permutes, the same way for the same generator', () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ i }));
    const a = shuffleInPlace(Rng.derive(1), [...items]);
    const b = shuffleInPlace(Rng.derive(1), [...items]);
    expect(a).toEqual(b);
    expect(a).not.toEqual(items);
    expect([...a].sort((x, y) => x.i - y.i)).toEqual(items);
  });
});
