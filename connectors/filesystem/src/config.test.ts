import { ConfigError, validateConfig } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import {
  destinationConfigSchema,
  sourceConfigSchema,
  type FilesystemDestinationConfig,
  type FilesystemSourceConfig,
} from './config.js';

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

describe('filesystem source config', () => {
  it('needs only a path; every lake source option has a default', () => {
    expect(
      validateConfig<FilesystemSourceConfig>(sourceConfigSchema, { path: 'out/lake' }),
    ).toEqual({
      path: 'out/lake',
      format: 'auto',
      csv_header: true,
      csv_delimiter: ',',
      csv_quote: '"',
      csv_null_marker: '',
      tables: [],
      exclude_tables: [],
      partition_filter: [],
      on_bad_record: 'fail',
    });
  });

  it('names a bad partition filter and a two-character delimiter by JSON Pointer', () => {
    const config = {
      path: 'x',
      csv_delimiter: ';;',
      partition_filter: [{ column: 'dt', op: 'after', value: '2025-01-01' }, { column: 'dt' }],
    };
    expect(() => validateConfig(sourceConfigSchema, config, { prefix: '/source/config' })).toThrow(
      ConfigError,
    );
    try {
      validateConfig(sourceConfigSchema, config, { prefix: '/source/config' });
    } catch (error) {
      expect((error as ConfigError).issues.map((i) => i.pointer)).toEqual([
        '/source/config/csv_delimiter',
        '/source/config/partition_filter/0/op',
        '/source/config/partition_filter/1/op',
        '/source/config/partition_filter/1/value',
      ]);
    }
  });
});
