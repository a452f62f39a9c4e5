import { jsonInteger, scanJson } from '@ferry/core';
import { fail } from '../issue.js';

/**
 * A number of JSON text kept as its exact text. `JSON.parse` turns every number into a double, so
 * `9007199254740993` becomes `…992` and a decimal(18,4) loses its last digits. So {@link parseJson}
 * keeps each number token with more than 15 digits as a `NumberText` (through `scanJson` of
 * `@ferry/core`), which the readers turn into a bigint, an exact decimal or a double as the field
 * needs.
 */
export class NumberText {
  constructor(readonly text: string) {}

  /** Whether the number is an integer (no fraction, no exponent). */
  get integral(): boolean {
    return /^-?\d+$/.test(this.text);
  }
}

/**
 * Parses one JSON text; long numbers become {@link NumberText}, and `NaN`, `Infinity` and
 * `-Infinity` are read as those numbers (see `scanJson` of `@ferry/core`).
 * @throws ValueIssue when the text is not JSON (the message gives the character position only).
 */
export function parseJson(text: string): unknown {
  try {
    return scanJson(text, { longNumber: (token) => new NumberText(token), nonFinite: true });
  } catch (error) {
    return fail('valid JSON', describeSyntaxError(error, text));
  }
}

/** What is wrong, without quoting the text (V8's messages quote it). */
function describeSyntaxError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : '';
  const match = /position (\d+)/.exec(message)?.[1];
  const position = match === undefined ? undefined : Number(match);
  if (
    /end of (JSON )?input/i.test(message) ||
    (position !== undefined && position >= text.length)
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
