import {
  isFerryError,
  silentLogger,
  TransientError,
  validateConfig,
  type Context,
  type Destination,
  type FerryError,
  type Source,
} from '@ferry/core';
import type { Lazy } from './options.js';

/** A context for one call: a silent logger and the given (or a fresh) signal. */
export function testContext(signal: AbortSignal = new AbortController().signal): Context {
  return { logger: silentLogger, signal };
}

/** The reason the suites abort with, as the runner does: always a ferry error. */
export function abortReason(): FerryError {
  return new TransientError('conformance suite: the run was cancelled');
}

/** The value of a {@link Lazy}, calling it when it is a function. */
export async function resolveLazy<T>(input: Lazy<T>): Promise<T> {
  return isThunk(input) ? await input() : input;
}

function isThunk<T>(input: Lazy<T>): input is () => T | Promise<T> {
  return typeof input === 'function';
}

/**
 * Validates a config as the runner does: the schema (defaults applied), then the connector's
 * `validate` hook. Throws the `ConfigError` either raises.
 */
export async function connectorConfig(
  connector: Source | Destination,
  input: Lazy<unknown>,
): Promise<unknown> {
  const config = validateConfig(connector.configSchema, await resolveLazy(input));
  connector.validate?.(config);
  return config;
}

/**
 * Runs `step`, a call into the connector described by `what`; an error that is not a ferry error
 * fails the test with a message saying so (every error that escapes a connector must be one).
 */
export async function connectorCall<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw nonFerry(what, error) ?? error;
  }
}

/** An assertion error when `error` is not a ferry error, else `undefined`. */
export function nonFerry(what: string, error: unknown): Error | undefined {
  if (isFerryError(error)) return undefined;
  return new Error(
    `${what} threw an error that is not a ferry error (${errorText(error)}); convert errors to ferry errors (@ferry/core) at the connector's boundary`,
    { cause: error },
  );
}

/** `Name: message` of a thrown value, for messages. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Fails the case with `what` and every problem, one per line, when there is any. (An assertion on
 * the list would print it truncated, `[ Array(2) ]`, and only the diff would say what is wrong.)
 */
export function failOnProblems(what: string, problems: readonly string[]): void {
  if (problems.length === 0) return;
  const list = problems.length === 1 ? ` ${problems[0] ?? ''}` : `\n  - ${problems.join('\n  - ')}`;
  throw new Error(`${what}:${list}`);
}

/** Runs `step` and returns what it threw (`undefined` when it did not throw). */
export async function thrownBy(step: () => Promise<unknown>): Promise<unknown> {
  try {
    await step();
  } catch (error) {
    return error;
  }
  return undefined;
}

/**
 * A stable text form of a value for comparisons and messages: object keys sorted, bigint, binary
 * and `Date` tagged so that `1n`, `1` and `"1"` stay different, and a `Date` is not its ISO text.
 * Every `Uint8Array` (a `Buffer` too) is binary.
 */
export function canonical(value: unknown): string {
  // JSON.stringify gives undefined (not a string) for undefined at the top.
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, function (this: unknown, key: string, after: unknown) {
    // `after` went through toJSON (a Buffer became {type, data}, a Date its text): tag the original.
    const v = (this as Record<string, unknown>)[key] ?? after;
    if (typeof v === 'bigint') return { $bigint: v.toString() };
    if (v instanceof Uint8Array) return { $bytes: Buffer.from(v).toString('base64') };
    if (v instanceof Date)
      return { $date: Number.isNaN(v.getTime()) ? 'invalid' : v.toISOString() };
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const entries = Object.entries(v as Record<string, unknown>);
      return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/** The row identity the destination suites compare by (`id`, in whatever form a reader gives). */
export function rowId(row: Readonly<Record<string, unknown>>): string {
  const id = row.id;
  return typeof id === 'bigint' || typeof id === 'number' || typeof id === 'string'
    ? String(id)
    : canonical(id);
}

/** Sorted ids of `rows`, for an order-insensitive comparison. */
export function idsOf(rows: readonly Readonly<Record<string, unknown>>[]): string[] {
  return rows.map(rowId).sort();
}

/**
 * Where `value` is not plain JSON, e.g. `/at is a Date` (`undefined` when it is JSON): the runner
 * saves states as JSON, so anything else comes back changed or not at all. Keys holding
 * `undefined` are allowed: JSON drops them, as a missing key.
 */
export function notJson(value: unknown, pointer = ''): string | undefined {
  const at = pointer === '' ? 'the value' : pointer;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : `${at} is ${String(value)}`;
  }
  if (Array.isArray(value)) {
    return value.map((item: unknown, i) => notJson(item, `${pointer}/${String(i)}`)).find(Boolean);
  }
  if (typeof value !== 'object') return `${at} is a ${typeof value}`;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return `${at} is a ${value.constructor.name}`;
  return Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => notJson(v, `${pointer}/${k}`))
    .find(Boolean);
}
