import { InternalError } from '@ferry/core';

/**
 * What parquetjs 1.8.8 computes from a string column's `distinct_values` Set, kept without the
 * Set. Before, strings went to parquetjs as UTF-8 Buffers (so that its min/max compared bytes,
 * workaround 2 of parquet-schema.ts), and the Set held one Buffer per value: a distinct object
 * each, so it never deduplicated. That cost a Buffer and a copy per value, a hash insert, two
 * `Buffer.compare` calls for min/max, and kept every value of a row group alive until it was
 * written. Now string columns hold JavaScript strings (parquetjs's PLAIN encoder turns each into
 * UTF-8, as `Buffer.from` did) and this object stands in for the Set.
 *
 * parquetjs reads a page's Set in exactly three ways (lib/writer.js): it iterates it for min and
 * max (bytewise for Buffers), takes its `size` as the page's `distinct_count`, and `forEach`es
 * it into a Set per column chunk whose `size` becomes the chunk's `distinct_count`. So this
 * keeps the min and max in UTF-8 byte order and a count: iteration yields the min and the max as
 * UTF-8 Buffers (same result as iterating every value), `size` is the number of values added
 * (the size of the Set of distinct Buffers), and `forEach` yields that many distinct numbers (the
 * chunk's Set gets the same size). The file is byte for byte the one the Buffers gave
 * (parquet-shred.test.ts).
 *
 * Strings must be well-formed UTF-16 (a lone surrogate replaced by U+FFFD, as UTF-8 encoding
 * does), so that their code point order is the order of their UTF-8 bytes.
 */
export class StringStatistics {
  private count = 0;
  private min: string | undefined;
  private max: string | undefined;
  // Whether min/max have only code units below U+D800: then JavaScript's own comparison with them
  // is already code point order (the orders part only where both strings have a unit >= U+D800).
  private minLow = true;
  private maxLow = true;

  /** Values added: the page's `distinct_count`, as parquetjs's Set of distinct Buffers had it. */
  get size(): number {
    return this.count;
  }

  /** Adds a page value. @throws InternalError for anything but a string (a shredder bug). */
  add(value: unknown): this {
    if (typeof value !== 'string') {
      throw new InternalError('parquet statistics: a string column value is not a string');
    }
    this.count += 1;
    if (this.min === undefined || this.max === undefined) {
      this.min = this.max = value;
      this.minLow = this.maxLow = isLow(value);
    } else if (this.minLow ? value < this.min : compareCodePoints(value, this.min) < 0) {
      this.min = value;
      this.minLow = isLow(value);
    } else if (this.maxLow ? value > this.max : compareCodePoints(value, this.max) > 0) {
      this.max = value;
      this.maxLow = isLow(value);
    }
    return this;
  }

  /** The min and the max as UTF-8: all parquetjs needs of the values for min/max statistics. */
  *[Symbol.iterator](): IterableIterator<Buffer> {
    if (this.min === undefined || this.max === undefined) return;
    yield Buffer.from(this.min, 'utf8');
    if (this.max !== this.min) yield Buffer.from(this.max, 'utf8');
  }

  /** Calls `callback` once per value added, with a number no other call ever gets. */
  forEach(callback: (token: number) => void): void {
    for (let i = 0; i < this.count; i += 1) {
      callback(nextToken);
      nextToken = (nextToken + 1) & TOKEN_MASK;
    }
  }
}

// Tokens need only be distinct within one column chunk, which never holds 2^30 values (parquetjs
// keeps them all in memory); wrapping keeps them small integers, which a Set hashes fastest.
const TOKEN_MASK = 2 ** 30 - 1;
let nextToken = 0;

/**
 * Orders well-formed strings by code point, which is the order of their UTF-8 bytes. JavaScript's
 * `<` compares UTF-16 code units instead, which puts U+10000 and above (surrogate pairs) before
 * U+E000..U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (0xD800..0xDFFF) above the rest of the BMP (0xE000..0xFFFF). */
function rank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

const HIGH_UNIT = /[\uD800-\uFFFF]/;

function isLow(text: string): boolean {
  return !HIGH_UNIT.test(text);
}

const SURROGATE = /[\uD800-\uDFFF]/;
// In unicode mode a surrogate pair is one code point, so this matches lone surrogates only.
const LONE_SURROGATES = /\p{Cs}/gu;

/** `text` with every lone surrogate replaced by U+FFFD, as UTF-8 encoding replaces it. */
export function wellFormed(text: string): string {
  return SURROGATE.test(text) ? text.replace(LONE_SURROGATES, '\uFFFD') : text;
}
