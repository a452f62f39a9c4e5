import { describe, expect, it } from 'vitest';
import { validateConfig } from './config.js';
import type { ConfigSchema } from './config-schema.js';
import { ConfigError, InternalError } from './errors.js';

const schema: ConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['s3_bucket', 's3_region'],
  properties: {
    s3_bucket: { type: 'string', title: 'Bucket', description: 'The bucket.', examples: ['b'] },
    s3_region: { type: 'string', title: 'Region', description: 'The region.', examples: ['eu'] },
    format: {
      type: 'string',
      enum: ['parquet', 'jsonl'],
      title: 'Format',
      description: 'The format.',
      default: 'parquet',
    },
    max_rows_per_file: {
      type: 'integer',
      minimum: 1,
      title: 'Max rows',
      description: 'Rows.',
      default: 1000,
    },
  },
};

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('validateConfig', () => {
  it('applies defaults to a copy and leaves the input alone', () => {
    const input = { s3_bucket: 'b', s3_region: 'eu-west-1' };
    const config = validateConfig<Record<string, unknown>>(schema, input);
    expect(config).toEqual({ ...input, format: 'parquet', max_rows_per_file: 1000 });
    expect(input).toEqual({ s3_bucket: 'b', s3_region: 'eu-west-1' });
  });

  it('names a field of the wrong type by JSON Pointer', () => {
    const error = configError(() =>
      validateConfig(schema, { s3_bucket: 'b', s3_region: 7 }, { prefix: '/destination/config' }),
    );
    expect(error.code).toBe('config');
    expect(error.pointer).toBe('/destination/config/s3_region');
    expect(error.message).toContain('/destination/config/s3_region: must be string');
  });

  it('rejects an unknown key at its own pointer', () => {
    const error = configError(() =>
      validateConfig(schema, { s3_bucket: 'b', s3_region: 'r', s3_regoin: 'x' }, { prefix: '/c' }),
    );
    expect(error.issues).toEqual([{ pointer: '/c/s3_regoin', message: 'unknown key' }]);
  });

  it('names a missing required key at the pointer where it belongs', () => {
    const error = configError(() => validateConfig(schema, { s3_region: 'r' }, { file: 't.json' }));
    expect(error.issues).toEqual([{ pointer: '/s3_bucket', message: 'is required' }]);
    expect(error.message).toBe('invalid configuration in t.json: /s3_bucket: is required');
    expect(error.file).toBe('t.json');
  });

  it('reports every issue at once', () => {
    const error = configError(() =>
      validateConfig(schema, { format: 'csv', max_rows_per_file: 0, extra: 1 }),
    );
    expect(error.issues.map((i) => i.pointer).sort()).toEqual([
      '/extra',
      '/format',
      '/max_rows_per_file',
      '/s3_bucket',
      '/s3_region',
    ]);
    expect(error.message).toContain('/format: must be one of "parquet", "jsonl"');
    expect(error.message).toContain('/max_rows_per_file: must be >= 1');
  });

  it('escapes pointer segments (RFC 6901)', () => {
    const error = configError(() =>
      validateConfig(schema, { s3_bucket: 'b', s3_region: 'r', 'a/b~c': 1 }),
    );
    expect(error.pointer).toBe('/a~1b~0c');
  });

  it('treats an invalid schema as a bug of the connector', () => {
    const broken = {
      type: 'object',
      properties: {},
      additionalProperties: false,
      nope: 1,
    } as const;
    expect(() => validateConfig(broken, {})).toThrow(InternalError);
  });

  it('says what a broken if/then rule wants, in the words of its description', () => {
    const ruled: ConfigSchema = {
      type: 'object',
      additionalProperties: false,
      properties: {
        sse: { type: 'string', enum: ['none', 'aws:kms'], default: 'none' },
        key: { type: 'string', default: '' },
        other: { type: 'string', default: '' },
      },
      allOf: [
        {
          description: 'key is only allowed when sse is "aws:kms".',
          if: { properties: { sse: { const: 'none' } } },
          then: { properties: { key: { const: '' } } },
        },
        // Without a description, ajv's own words stay.
        {
          if: { properties: { sse: { const: 'none' } } },
          then: { properties: { other: { const: '' } } },
        },
      ],
    };
    const error = configError(() => validateConfig(ruled, { key: 'alias/x', other: 'y' }));
    expect(error.issues).toEqual([
      { pointer: '/key', message: 'key is only allowed when sse is "aws:kms"' },
      { pointer: '/other', message: 'must be equal to constant' },
    ]);
    // A wrong type inside a rule's branch is reported as such, not as the rule.
    const typedRule: ConfigSchema = {
      ...ruled,
      allOf: [
        {
          description: 'key is a string when sse is "aws:kms".',
          if: { properties: { sse: { const: 'aws:kms' } } },
          then: { properties: { key: { type: 'string', minLength: 1 } } },
        },
      ],
    };
    const typed = configError(() => validateConfig(typedRule, { sse: 'aws:kms', key: 7 }));
    expect(typed.issues).toEqual([{ pointer: '/key', message: 'must be string' }]);
    expect(validateConfig(ruled, { sse: 'aws:kms', key: 'alias/x' })).toMatchObject({
      key: 'alias/x',
    });
  });
});
