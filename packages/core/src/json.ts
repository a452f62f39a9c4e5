import { randomBytes } from 'node:crypto';

/** A value that survives `JSON.stringify` / `JSON.parse` unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/**
 * A JSON value as a json field holds it (see `fields.ts`): integers beyond 2^53 (±(2^53-1)) are
 * `bigint`, other numbers `number`. {@link stringifyJson} writes it, {@link parseJsonExact}
 * reads it back, digit for digit.
 */
export type JsonFieldValue =
  string | number | bigint | boolean | null | JsonFieldValue[] | { [key: string]: JsonFieldValue };

/** True for a plain object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True when `value` is a {@link JsonFieldValue}: null, a string, a boolean, a finite number, a
 * bigint, or arrays and plain objects (prototype `Object.prototype` or null) of those, without
 * cycles. `undefined` anywhere, a `Date`, a `Uint8Array`, NaN and the infinities are not.
 */
export function isJsonValue(value: unknown): value is JsonFieldValue {
  return isJsonWithin(value, new Set());
}

function isJsonWithin(value: unknown, ancestors: Set<object>): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      break;
    default:
      return false;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  const isArray = Array.isArray(value);
  if ((!isArray && proto !== Object.prototype && proto !== null) || ancestors.has(value)) {
    return false;
  }
  ancestors.add(value);
  const valid = Object.values(value).every((item) => isJsonWithin(item, ancestors));
  ancestors.delete(value);
  return valid;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * An integer as a json value holds it: a `number` when a double holds it exactly (|n| <= 2^53-1),
 * else the `bigint` itself.
 */
export function jsonInteger(n: bigint): number | bigint {
  return n > MAX_SAFE || n < -MAX_SAFE ? n : Number(n);
}

/**
 * `JSON.stringify(value)`, but a bigint anywhere inside is written as its exact digits (where
 * `JSON.stringify` throws). Everything else is as `JSON.stringify` does it: `toJSON` is called,
 * `undefined` members of objects are dropped, NaN and the infinities are written as `null`.
 * @throws TypeError for a cycle (as `JSON.stringify`), and when `value` itself is `undefined`,
 *   a function or a symbol (or its `toJSON` returns one): `JSON.stringify` returns `undefined`
 *   then, which is no JSON text.
 */
export function stringifyJson(value: unknown): string {
  // Typed string, but undefined for undefined, functions and symbols.
  let text: unknown;
  try {
    text = JSON.stringify(value);
  } catch {
    // A bigint somewhere inside, or a cycle: withBigints throws JSON.stringify's TypeError then.
    text = withBigints(value);
  }
  if (typeof text !== 'string') {
    throw new TypeError(`${typeof value} has no JSON text (undefined, a function or a symbol)`);
  }
  return text;
}

// Per process, so that data cannot be made to look like a marker on purpose.
const BIGINT_NONCE = randomBytes(9).toString('hex');

/**
 * JSON.stringify with each bigint written as a marker string, then each quoted marker replaced by
 * the digits (Node 20 has no `JSON.rawJSON`). Every marker written is found again; if more are
 * found, the data holds a marker's text (in a string or a key), and a fresh prefix is tried.
 */
function withBigints(value: unknown): unknown {
  for (let attempt = 0; ; attempt += 1) {
    const prefix = `ferry-bigint-${BIGINT_NONCE}-${String(attempt)}:`;
    let bigints = 0;
    const text: unknown = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v !== 'bigint') return v;
      bigints += 1;
      return prefix + v.toString();
    });
    if (typeof text !== 'string' || bigints === 0) return text;
    let markers = 0;
    const replaced = text.replace(
      new RegExp(`"${prefix}(-?\\d+)"`, 'g'),
      (_match: string, digits: string) => {
        markers += 1;
        return digits;
      },
    );
    if (markers === bigints) return replaced;
  }
}

/** Options of {@link scanJson}. */
export interface JsonScanOptions {
  /**
   * The value of a number token with more than 15 digits (exponent aside), which a double may not
   * hold exactly; called with the token's exact text (`-12345678901234567`, `0.12345678901234567`).
   */
  readonly longNumber: (token: string) => unknown;
  /**
   * Whether the tokens `NaN`, `Infinity` and `-Infinity` (which DuckDB and Python write) are read
   * as those numbers. Default false: they are a syntax error, as for `JSON.parse`.
   */
  readonly nonFinite?: boolean;
}

// A pre-check, true for every text with a token of more than 15 digits (and for a few others).
const LONG_DIGITS = /\d(?:\.?\d){15}/;
// JSON's number grammar: no leading zeros, digits after a point and in an exponent.
const NUMBER_TOKEN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SIGNIFICANT = 15;
const INTEGER = /^-?\d+$/;

/**
 * Parses one JSON text without losing digits: `JSON.parse` turns every number into a double, and
 * Node 20 has no `context.source` in revivers to get the text back. So each number token with more
 * than 15 digits (exponent aside) becomes `options.longNumber(token)`, every other one a `number`.
 *
 * The fast path is plain `JSON.parse`, taken when the text has no such token. Otherwise a scanner
 * walks the text once, outside strings, and replaces each long number token (and, with
 * `nonFinite`, each `NaN`, `Infinity`, `-Infinity`) by a marker string that a reviver swaps for
 * the value. Markers carry a nonce absent from the text, so no string of the data is taken for one.
 * @throws SyntaxError when the text is not JSON: the one `JSON.parse` throws for the text itself,
 *   so its position is a position in `text`.
 */
export function scanJson(text: string, options: JsonScanOptions): unknown {
  if (!LONG_DIGITS.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      // With nonFinite, maybe NaN or Infinity: the scanner decides.
      if (options.nonFinite !== true) throw error;
    }
  }
  return parseScanned(text, options);
}

/**
 * One JSON text as a json field holds it (see {@link JsonFieldValue}): integers beyond 2^53 are
 * bigints, exact, and every other number is a `number` as `JSON.parse` gives it (a number beyond
 * the range of a double becomes an infinity, as there).
 * @throws SyntaxError when the text is not JSON (`NaN` and `Infinity` are not), as `JSON.parse`.
 */
export function parseJsonExact(text: string): JsonFieldValue {
  return scanJson(text, { longNumber: exactNumber }) as JsonFieldValue;
}

function exactNumber(token: string): number | bigint {
  return INTEGER.test(token) ? jsonInteger(BigInt(token)) : Number(token);
}

/** A non-JSON token at `i` and its value, when `nonFinite` reads them. */
function nonFiniteAt(text: string, i: number): readonly [string, number] | undefined {
  const c = text.charCodeAt(i);
  if (c === 78 /* N */ && text.startsWith('NaN', i)) return ['NaN', Number.NaN];
  if (c === 73 /* I */ && text.startsWith('Infinity', i)) return ['Infinity', Infinity];
  if (c === 45 /* - */ && text.startsWith('-Infinity', i)) return ['-Infinity', -Infinity];
  return undefined;
}

function parseScanned(text: string, options: JsonScanOptions): unknown {
  let nonce = 0;
  while (text.includes(`\\u0000${nonce}#`)) nonce += 1;
  const markers = new Map<string, unknown>();
  // Where the non-JSON tokens are, to blank them for the error (see syntaxError).
  const specials: (readonly [number, number])[] = [];
  const parts: string[] = [];
  let copied = 0;
  const replace = (start: number, token: string, value: unknown): void => {
    const marker = `\u0000${nonce}#${markers.size}`;
    markers.set(marker, value);
    parts.push(text.slice(copied, start), JSON.stringify(marker));
    copied = start + token.length;
  };
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const special = options.nonFinite === true ? nonFiniteAt(text, i) : undefined;
    if (c === 34 /* " */) {
      i = stringEnd(text, i);
    } else if (special !== undefined) {
      specials.push([i, special[0].length]);
      replace(i, special[0], special[1]);
      i += special[0].length;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      NUMBER_TOKEN.lastIndex = i;
      const token = NUMBER_TOKEN.exec(text)?.[0] ?? '-';
      // A fraction whose double prints back as the token loses nothing: left to JSON.parse.
      const exact = !INTEGER.test(token) && String(Number(token)) === token;
      if (countDigits(token) > SIGNIFICANT && !exact) {
        replace(i, token, options.longNumber(token));
      }
      i += token.length;
    } else {
      i += 1;
    }
  }
  parts.push(text.slice(copied));
  try {
    if (markers.size === 0) return JSON.parse(text) as unknown;
    let swapped = 0;
    const value = JSON.parse(parts.join(''), (_key, item: unknown) => {
      if (typeof item !== 'string' || !markers.has(item)) return item;
      swapped += 1;
      return markers.get(item);
    }) as unknown;
    // A marker not swapped stood where no value may (an object key: `{NaN: 1}`).
    if (swapped === markers.size) return value;
  } catch {
    // Reported below.
  }
  throw syntaxError(text, specials);
}

/** Index just past the string literal starting at `start` (or the end of the text). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) i += 2;
    else if (c === 34) return i + 1;
    else i += 1;
  }
  return i;
}

function countDigits(token: string): number {
  let count = 0;
  for (let i = 0; i < token.length; i += 1) {
    const c = token.charCodeAt(i);
    if (c === 101 || c === 69) break; // e, E: the exponent's digits do not count
    if (c >= 48 && c <= 57) count += 1;
  }
  return count;
}

/**
 * The error `JSON.parse` gives for `text` itself, with each non-JSON token blanked to an empty
 * string of the same length (`NaN` to `"" `): the markers stood where strings stand, so it fails
 * where the rewritten text did, and at the same position as in `text`.
 */
function syntaxError(text: string, specials: readonly (readonly [number, number])[]): unknown {
  const parts: string[] = [];
  let copied = 0;
  for (const [start, length] of specials) {
    parts.push(text.slice(copied, start), '""'.padEnd(length));
    copied = start + length;
  }
  parts.push(text.slice(copied));
  try {
    JSON.parse(parts.join(''));
  } catch (error) {
    return error;
  }
  return new SyntaxError('the text is not JSON');
}

/**
 * Escapes one JSON Pointer segment (RFC 6901): `~` becomes `~0`, `/` becomes `~1`.
 */
export function escapePointerSegment(segment: string | number): string {
  return String(segment).replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Joins a base JSON Pointer and further segments: `joinPointer('/source', 'config', 0)`. */
export function joinPointer(base: string, ...segments: (string | number)[]): string {
  return base + segments.map((s) => '/' + escapePointerSegment(s)).join('');
}
