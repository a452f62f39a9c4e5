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
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new Error(
    `${what} threw an error that is not a ferry error (${detail}); convert errors to ferry errors (@ferry/core) at the connector's boundary`,
    { cause: error },
  );
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
 * A stable text form of a value for comparisons and messages: object keys sorted, bigint and
 * binary tagged so that `1n`, `1` and `"1"` stay different.
 */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return { $bigint: v.toString() };
    if (v instanceof Uint8Array) return { $bytes: Buffer.from(v).toString('base64') };
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
