/**
 * Fast text forms of generated values: UUIDs, ISO timestamps, digit strings. These run once or
 * more per generated row, so they avoid `Date` and intermediate arrays.
 */
import type { Rng } from './random.js';

/** Microseconds in one day. */
export const MICROS_PER_DAY = 86_400_000_000;
/** Milliseconds in one day. */
export const MS_PER_DAY = 86_400_000;

const HEX_DIGITS = '0123456789abcdef';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE64URL = ALPHANUMERIC + '-_';
const DASH = 0x2d;
const ZERO = 0x30;

/**
 * Ids and timestamps are written as bytes into this buffer and decoded in one go: a flat string
 * costs the garbage collector one object, where concatenation leaves a tree of a dozen.
 */
const scratch = Buffer.alloc(64);

/** `buffer.toString('latin1', start, end)` without its argument checks (Node's `latin1Slice`). */
type Latin1Slice = (this: Buffer, start: number, end: number) => string;
const latin1: Latin1Slice =
  (Buffer.prototype as unknown as { latin1Slice?: Latin1Slice }).latin1Slice ??
  function (this: Buffer, start: number, end: number) {
    return this.toString('latin1', start, end);
  };
/** Timestamps of one day share their first 11 bytes: the prefix stays in place between calls. */
const clock = Buffer.from('0000-00-00T00:00:00.000000Z', 'latin1');
let clockPrefix = '';

/** Two hex digits (as character codes) for each byte value. */
const HEX_PAIRS = Uint8Array.from({ length: 512 }, (_, i) =>
  HEX_DIGITS.charCodeAt(i & 1 ? (i >> 1) & 0xf : i >> 5),
);

/** Writes the 16 low bits of `word` as 4 hex digits at `offset`. */
function putHex16(offset: number, word: number): void {
  const hi = (word >>> 7) & 0x1fe;
  const lo = (word << 1) & 0x1fe;
  scratch[offset] = HEX_PAIRS[hi] ?? 0;
  scratch[offset + 1] = HEX_PAIRS[hi + 1] ?? 0;
  scratch[offset + 2] = HEX_PAIRS[lo] ?? 0;
  scratch[offset + 3] = HEX_PAIRS[lo + 1] ?? 0;
}

const words = new Uint32Array(4);

/** A random (version 4, RFC 9562) UUID drawn from `rng`: `8c2f…-…-4…-[89ab]…-…`. */
export function uuid(rng: Rng): string {
  rng.fill(words);
  const w1 = words[0] ?? 0;
  const w2 = words[1] ?? 0;
  const w3 = words[2] ?? 0;
  const w4 = words[3] ?? 0;
  putHex16(0, w1 >>> 16);
  putHex16(4, w1);
  scratch[8] = DASH;
  putHex16(9, w2 >>> 16);
  scratch[13] = DASH;
  putHex16(14, (w2 & 0x0fff) | 0x4000);
  scratch[18] = DASH;
  putHex16(19, ((w3 >>> 16) & 0x3fff) | 0x8000);
  scratch[23] = DASH;
  putHex16(24, w3);
  putHex16(28, w4 >>> 16);
  putHex16(32, w4);
  return latin1.call(scratch, 0, 36);
}

/** `length` random decimal digits, the first one not zero. */
export function digits(rng: Rng, length: number): string {
  let out = String(1 + rng.int(9));
  for (let i = 1; i < length; i++) out += String(rng.int(10));
  return out;
}

/** `length` random characters of `A-Za-z0-9` (with `-_` when `urlSafe`). */
export function token(rng: Rng, length: number, urlSafe = false): string {
  const alphabet = urlSafe ? BASE64URL : ALPHANUMERIC;
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet.charAt(rng.int(alphabet.length));
  return out;
}

/** `YYYY-MM-DDT` of the UTC day starting at `dayStartMs` (ms since the epoch). */
export function dayPrefix(dayStartMs: number): string {
  return new Date(dayStartMs).toISOString().slice(0, 11);
}

function putDigits(offset: number, value: number, count: number): void {
  for (let i = count - 1, v = value; i >= 0; i--, v = Math.floor(v / 10)) {
    clock[offset + i] = ZERO + (v % 10);
  }
}

/**
 * A timestamp in core's in-memory form, `YYYY-MM-DDTHH:MM:SS.ffffffZ`, from a day prefix (see
 * {@link dayPrefix}) and the microseconds since that day's midnight (0 ≤ micros < one day).
 */
export function timeOfDay(prefix: string, micros: number): string {
  if (prefix !== clockPrefix) {
    clock.write(prefix, 0, 'latin1');
    clockPrefix = prefix;
  }
  const seconds = Math.floor(micros / 1_000_000);
  putDigits(11, Math.floor(seconds / 3600), 2);
  putDigits(14, Math.floor(seconds / 60) % 60, 2);
  putDigits(17, seconds % 60, 2);
  putDigits(20, micros - seconds * 1_000_000, 6);
  return latin1.call(clock, 0, 27);
}

/** A timestamp in core's in-memory form from microseconds since the epoch. */
export function timestamp(epochMicros: number): string {
  const day = Math.floor(epochMicros / MICROS_PER_DAY);
  return timeOfDay(dayPrefix(day * MS_PER_DAY), epochMicros - day * MICROS_PER_DAY);
}
