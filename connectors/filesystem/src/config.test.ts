import { ConfigError, validateConfig } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { destinationConfigSchema, type FilesystemDestinationConfig } from './config.js';

function issues(config: unknown): { pointer: string; message: string }[] {
  try {
    validateConfig(destinationConfigSchema, config, { prefix: '/destination/config' });
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  return [];
}

describe('filesystem destination config', () => {
  it('needs only a path; every lake option has a default', () => {
    expect(
      validateConfig<FilesystemDestinationConfig>(destinationConfigSchema, { path: 'out/lake' }),
    ).toEqual({
      path: 'out/lake',
      layout: 'pontoon',
      format: 'parquet',
      compression: 'auto',
      max_rows_per_file: 10_000_000,
      max_bytes_per_file: 268_435_456,
      flush_interval_s: 300,
    });
  });

  it('names a missing path, an unknown key and a bad value by JSON Pointer', () => {
    expect(issues({ format: 'csv', bucket: 'x' })).toEqual([
      { pointer: '/destination/config/path', message: 'is required' },
      { pointer: '/destination/config/bucket', message: 'unknown key' },
      { pointer: '/destination/config/format', message: 'must be one of "parquet", "jsonl"' },
    ]);
  });

  it('refuses Snappy for JSONL', () => {
    expect(issues({ path: 'x', format: 'jsonl', compression: 'snappy' })).toEqual([
      {
        pointer: '/destination/config/compression',
        message: 'must be one of "auto", "gzip", "none"',
      },
    ]);
    expect(issues({ path: 'x', format: 'jsonl', compression: 'gzip' })).toEqual([]);
  });
});
