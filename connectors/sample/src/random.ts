/**
 * Seeded pseudo-random numbers: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128
 * bits of state, passes PractRand), seeded through murmur3's finaliser. Everything the sample
 * source generates comes from an {@link Rng} derived from the config's seed plus the coordinates
 * of what is generated (stream, day, workspace, user, ...), so any part can be produced alone.
 */

const GOLDEN = 0x9e3779b9;
const TWO_POW_32 = 4294967296;

/** murmur3's 32-bit finaliser: a bijection of 32-bit integers that mixes every bit. */
export function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function fold(h: number, part: number): number {
  return fmix32(Math.imul(h ^ fmix32(part), GOLDEN) + 0x7f4a7c15);
}

/** A 32-bit hash of a list of integers (order matters). Cheap; for attributes, not for ids. */
export function hash32(...parts: readonly number[]): number {
  return parts.reduce(fold, 0x811c9dc5);
}

/** `hash32(...parts, index)` as a function of `index`, with `parts` hashed once. */
export function hasher(...parts: readonly number[]): (index: number) => number {
  const h = hash32(...parts);
  return (index) => fold(h, index);
}

function mixWord(word: number, part: number, position: number): number {
  return fmix32(word ^ fmix32((part + Math.imul(position + 1, GOLDEN)) | 0));
}

/** The two 32-bit halves of a non-negative safe integer (the config's `seed`). */
export function seedWords(seed: number): readonly [number, number] {
  return [seed >>> 0, Math.floor(seed / TWO_POW_32) >>> 0];
}

/** A deterministic random number generator (sfc32). Not for cryptography. */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  private constructor(a: number, b: number) {
    this.#a = a | 0;
    this.#b = b | 0;
    this.#c = 0;
    this.#d = 0;
  }

  static #of(words: { a: number; b: number; c: number; d: number }): Rng {
    const rng = new Rng(words.a, words.b);
    rng.#c = words.c | 0;
    rng.#d = words.d | 0;
    return rng;
  }

  /**
   * A generator for the given coordinates. Up to four parts map one-to-one onto the state, so
   * different coordinates give different streams of numbers; more parts are folded in.
   */
  static derive(...parts: readonly number[]): Rng {
    return Rng.deriver(...parts.slice(0, -1))(parts.at(-1) ?? 0);
  }

  /** `Rng.derive(...parts, index)` as a function of `index`, with `parts` mixed once. */
  static deriver(...parts: readonly number[]): (index: number) => Rng {
    const words = [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x3707344];
    parts.forEach((part, i) => {
      words[i & 3] = mixWord(words[i & 3] ?? 0, part, i);
    });
    const n = parts.length;
    const [a = 0, b = 0, c = 0, d = 0] = words;
    return (index) => {
      const last = mixWord(words[n & 3] ?? 0, index, n);
      const slot = n & 3;
      const rng = Rng.#of({
        a: slot === 0 ? last : a,
        b: slot === 1 ? last : b,
        c: slot === 2 ? last : c,
        d: slot === 3 ? last : d,
      });
      // The state words start correlated (they differ in one input); rounds decorrelate them.
      for (let i = 0; i < 12; i++) rng.uint32();
      return rng;
    };
  }

  /** An independent generator seeded with 128 bits drawn from this one. */
  fork(): Rng {
    return Rng.#of({ a: this.uint32(), b: this.uint32(), c: this.uint32(), d: this.uint32() });
  }

  /** A copy in the same state: it will produce the same numbers as this one. */
  clone(): Rng {
    return Rng.#of({ a: this.#a, b: this.#b, c: this.#c, d: this.#d });
  }

  /** A uniform integer in [0, 2^32). */
  uint32(): number {
    const a = this.#a;
    const b = this.#b;
    const c = this.#c;
    const d = (this.#d + 1) | 0;
    const t = (((a + b) | 0) + d) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    this.#c = (((c << 21) | (c >>> 11)) + t) | 0;
    this.#d = d;
    return t >>> 0;
  }

  /**
   * Fills `words` with uniform integers in [0, 2^32). Faster than calls to {@link uint32} where
   * those are not inlined: a typed array holds the words without allocating numbers.
   */
  fill(words: Uint32Array): Uint32Array {
    for (let i = 0; i < words.length; i++) words[i] = this.uint32();
    return words;
  }

  /** Draws and discards `count` numbers; returns `''` (for call sites that skip an id). */
  skip(count: number): '' {
    for (let i = 0; i < count; i++) this.uint32();
    return '';
  }

  /** A uniform number in [0, 1). */
  float(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** A uniform integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** A uniform element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** An approximately standard normal number (Irwin–Hall with four uniforms, within ±3.5). */
  normal(): number {
    return (this.float() + this.float() + this.float() + this.float() - 2) * 1.7320508;
  }
}

/** Shuffles `items` in place (Fisher–Yates, every order equally likely) and returns it. */
export function shuffleInPlace<T extends object>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const a = items[i];
    const b = items[j];
    if (a !== undefined && b !== undefined) {
      items[i] = b;
      items[j] = a;
    }
  }
  return items;
}

/**
 * Values with relative weights, picked in proportion to them in constant time (Walker's alias
 * method: one uniform number picks a column, and the column's threshold picks its value or its
 * alias).
 */
export class Weighted<T> {
  /** The `[value, weight]` pairs given. */
  readonly entries: readonly (readonly [T, number])[];
  readonly #values: readonly T[];
  readonly #threshold: Float64Array;
  readonly #alias: Int32Array;

  /** @param entries `[value, weight]` pairs; weights are positive and need not sum to 1. */
  constructor(entries: readonly (readonly [T, number])[]) {
    this.entries = entries;
    this.#values = entries.map(([value]) => value);
    const n = entries.length;
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    const scaled = entries.map(([, weight]) => (weight * n) / total);
    this.#threshold = new Float64Array(n).fill(1);
    this.#alias = Int32Array.from(entries, (_, i) => i);
    const small = scaled.flatMap((p, i) => (p < 1 ? [i] : []));
    const large = scaled.flatMap((p, i) => (p >= 1 ? [i] : []));
    for (let s = small.pop(), l = large.pop(); s !== undefined && l !== undefined;) {
      const ps = scaled[s] ?? 1;
      this.#threshold[s] = ps;
      this.#alias[s] = l;
      const pl = (scaled[l] ?? 1) + ps - 1;
      scaled[l] = pl;
      if (pl < 1) {
        s = l;
        l = large.pop();
      } else {
        s = small.pop();
      }
    }
  }

  /** A value drawn with `rng`, in proportion to its weight. */
  pick(rng: Rng): T {
    const x = rng.float() * this.#threshold.length;
    const column = Math.floor(x);
    const index = x - column < (this.#threshold[column] ?? 1) ? column : (this.#alias[column] ?? 0);
    return this.#values[index] as T;
  }
}
