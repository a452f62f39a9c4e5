import { fail } from '../issue.js';
import { jsonInteger } from '../scalars.js';

/**
 * JSON text parsed without losing digits. `JSON.parse` turns every number into a double, so
 * `9007199254740993` becomes `…992` and a decimal(18,4) loses its last digits; Node 20 has no
 * `context.source` in revivers to get the text back. So a number token with more than 15 digits
 * is kept as a {@link NumberText} holding its exact text, which the readers turn into a bigint,
 * an exact decimal or a double as the field needs.
 *
 * The fast path is plain `JSON.parse`, taken when the text has no run of 16 digits and parses.
 * Otherwise a scanner walks the text once, outside strings, and replaces each long number token
 * (and the non-JSON tokens `NaN`, `Infinity`, `-Infinity` that DuckDB and Python write) by a
 * marker string that a reviver swaps for the value. Markers carry a nonce absent from the text,
 * so no string of the data can be taken for one.
 */
export class NumberText {
  constructor(readonly text: string) {}

  /** Whether the number is an integer (no fraction, no exponent). */
  get integral(): boolean {
    return /^-?\d+$/.test(this.text);
  }
}

const LONG_DIGITS = /\d{16}/;
const NUMBER_TOKEN = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SIGNIFICANT = 15;

/**
 * Parses one JSON text; long numbers become {@link NumberText}.
 * @throws ValueIssue when the text is not JSON (the message gives the character position only).
 */
export function parseJson(text: string): unknown {
  if (!LONG_DIGITS.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Maybe NaN or Infinity; the scanner below decides.
    }
  }
  return parseScanned(text);
}

function parseScanned(text: string): unknown {
  let nonce = 0;
  while (text.includes(`\\u0000${nonce}#`)) nonce += 1;
  const markers = new Map<string, unknown>();
  const parts: string[] = [];
  let copied = 0;
  let i = 0;
  const replace = (end: number, value: unknown): void => {
    const marker = `\u0000${nonce}#${markers.size}`;
    markers.set(marker, value);
    parts.push(text.slice(copied, i), JSON.stringify(marker));
    copied = end;
    i = end;
  };
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i = stringEnd(text, i);
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const special = text.startsWith('-Infinity', i) ? '-Infinity' : undefined;
      if (special !== undefined) {
        replace(i + special.length, Number.NEGATIVE_INFINITY);
        continue;
      }
      NUMBER_TOKEN.lastIndex = i;
      const token = NUMBER_TOKEN.exec(text)?.[0] ?? '-';
      if (countDigits(token) > SIGNIFICANT) replace(i + token.length, new NumberText(token));
      else i += token.length;
    } else if (text.startsWith('NaN', i)) {
      replace(i + 3, Number.NaN);
    } else if (text.startsWith('Infinity', i)) {
      replace(i + 8, Number.POSITIVE_INFINITY);
    } else {
      i += 1;
    }
  }
  parts.push(text.slice(copied));
  const rewritten = parts.join('');
  try {
    if (markers.size === 0) return JSON.parse(rewritten) as unknown;
    return JSON.parse(rewritten, (_key, value: unknown) =>
      typeof value === 'string' && markers.has(value) ? markers.get(value) : value,
    ) as unknown;
  } catch (error) {
    return fail('valid JSON', describeSyntaxError(error, markers.size === 0 ? text : undefined));
  }
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
  const mantissa = token.replace(/[eE].*$/, '');
  let count = 0;
  for (let i = 0; i < mantissa.length; i += 1) {
    const c = mantissa.charCodeAt(i);
    if (c >= 48 && c <= 57) count += 1;
  }
  return count;
}

/** What is wrong, without quoting the text (V8's messages quote it). */
function describeSyntaxError(error: unknown, text: string | undefined): string {
  const message = error instanceof Error ? error.message : '';
  const match = /position (\d+)/.exec(message)?.[1];
  const position = match === undefined || text === undefined ? undefined : Number(match);
  if (
    /end of (JSON )?input/i.test(message) ||
    (position !== undefined && position >= (text?.length ?? 0))
  ) {
    return 'text that ends before the JSON value does';
  }
  if (position !== undefined) return `text that is not JSON (error at character ${position + 1})`;
  return 'text that is not JSON';
}

/**
 * A parsed JSON value as a ferry json value: a {@link NumberText} integer beyond 2^53 becomes a
 * bigint (exact), any other one a number (a decimal with more than 15 digits is rounded).
 */
export function plainJson(value: unknown): unknown {
  if (value instanceof NumberText) return jsonNumber(value);
  if (Array.isArray(value)) return value.map(plainJson);
  if (typeof value === 'object' && value !== null) {
    // fromEntries defines properties, so a `__proto__` key stays a key.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainJson(v)]));
  }
  return value;
}

function jsonNumber(n: NumberText): number | bigint {
  return n.integral ? jsonInteger(BigInt(n.text)) : Number(n.text);
}
