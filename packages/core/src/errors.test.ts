import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  ConnectionError,
  InternalError,
  isFerryError,
  RecordError,
  toFerryError,
  TransientError,
} from './errors.js';

describe('errors', () => {
  it('carry a code, a retryable flag and the cause', () => {
    const cause = new Error('ECONNRESET');
    const transient = new TransientError('putting s3://b/k', { cause, retryAfterMs: 500 });
    expect([transient.code, transient.retryable, transient.retryAfterMs]).toEqual([
      'transient',
      true,
      500,
    ]);
    expect(transient.cause).toBe(cause);
    expect(transient.name).toBe('TransientError');
    const connection = new ConnectionError('listing s3://b/p');
    expect([connection.code, connection.retryable]).toEqual(['connection', false]);
  });

  it('say where a bad record is', () => {
    const error = new RecordError('expected int64, got string', {
      position: { stream: 'pageview_events', row: 12, field: 'segments[0]' },
    });
    expect(error.message).toBe(
      'expected int64, got string (stream pageview_events, row 12, field segments[0])',
    );
    const located = error.at({ key: 'a/b.parquet', stream: 'ignored' });
    expect(located.message).toBe(
      'expected int64, got string (stream pageview_events, a/b.parquet, row 12, field segments[0])',
    );
    expect(located.cause).toBe(error);
  });

  it('move config issues under a prefix and attribute them to a file', () => {
    const error = new ConfigError({ pointer: '/path', message: 'is required' });
    const moved = error.withContext({ file: 'demo.json', prefix: '/destination/config' });
    expect(moved.pointer).toBe('/destination/config/path');
    expect(moved.message).toBe(
      'invalid configuration in demo.json: /destination/config/path: is required',
    );
  });

  it('wrap foreign errors as internal errors, keeping ferry errors as they are', () => {
    const ours = new ConnectionError('x');
    expect(toFerryError(ours, 'doing')).toBe(ours);
    const wrapped = toFerryError(new TypeError('boom'), 'writing file');
    expect(wrapped).toBeInstanceOf(InternalError);
    expect(wrapped.message).toBe('writing file: boom');
    expect(isFerryError(wrapped)).toBe(true);
    expect(isFerryError(new Error('x'))).toBe(false);
  });

  it('recognise errors from another copy of @ferry/core by their brand', () => {
    // What a plugin with its own copy of this package throws: another class, the same brand.
    const brand: unique symbol = Symbol.for('ferry.error');
    class OtherCopyError extends Error {
      readonly code = 'connection';
      readonly retryable = false;
      readonly [brand] = true;
    }
    const foreign = new OtherCopyError('listing /data');
    expect(isFerryError(foreign)).toBe(true);
    expect(toFerryError(foreign, 'reading')).toBe(foreign);
    expect(isFerryError(new ConnectionError('x'))).toBe(true);
    expect(Object.getOwnPropertySymbols(new ConnectionError('x'))).toContain(brand);
  });

  it('do not take a branded object with an unknown code, or a plain error, for a ferry error', () => {
    const brand = Symbol.for('ferry.error');
    expect(isFerryError({ [brand]: true, code: 'nonsense', message: 'x' })).toBe(false);
    expect(isFerryError({ code: 'config', message: 'x' })).toBe(false);
    expect(isFerryError(Object.assign(new Error('x'), { code: 'config' }))).toBe(false);
    expect(isFerryError(null)).toBe(false);
    const wrapped = toFerryError({ [brand]: true, code: 'nonsense', message: 'x' }, 'reading');
    expect(wrapped).toBeInstanceOf(InternalError);
  });
});
