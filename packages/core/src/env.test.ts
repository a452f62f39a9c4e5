import { describe, expect, it } from 'vitest';
import { interpolateEnv } from './env.js';
import { ConfigError } from './errors.js';

describe('interpolateEnv', () => {
  it('replaces whole and embedded references at any depth', () => {
    const env = { BUCKET: 'my-bucket', KEY: 'AKIA123' };
    const document = {
      destination: { config: { s3_bucket: '${env:BUCKET}', s3_prefix: 'x/${env:BUCKET}/y' } },
      list: ['${env:KEY}', 3, null, true],
    };
    expect(interpolateEnv(document, { env })).toEqual({
      destination: { config: { s3_bucket: 'my-bucket', s3_prefix: 'x/my-bucket/y' } },
      list: ['AKIA123', 3, null, true],
    });
  });

  it('names every unset variable and where it is used', () => {
    const document = {
      source: { config: { key: '${env:FERRY_TEST_UNSET_A}' } },
      b: ['${env:B_UNSET}'],
    };
    let error: unknown;
    try {
      interpolateEnv(document, { env: {}, file: 'transfer.json' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.issues).toEqual([
      {
        pointer: '/source/config/key',
        message: 'environment variable FERRY_TEST_UNSET_A is not set',
      },
      { pointer: '/b/0', message: 'environment variable B_UNSET is not set' },
    ]);
    expect(configError.message).toContain('transfer.json');
    expect(configError.message).toContain('FERRY_TEST_UNSET_A');
  });

  it('lets onUnset stand in for unset variables, or leave them errors', () => {
    const seen: string[] = [];
    const document = { a: 'x-${env:SET}-${env:KEEP}', b: ['${env:REFUSE}'] };
    const onUnset = (name: string, pointer: string): string | undefined => {
      seen.push(`${name} at ${pointer}`);
      return name === 'KEEP' ? '<keep>' : undefined;
    };
    expect(() => interpolateEnv(document, { env: { SET: 's' }, onUnset })).toThrow(
      /\/b\/0: environment variable REFUSE is not set/,
    );
    expect(seen).toEqual(['KEEP at /a', 'REFUSE at /b/0']);
    expect(interpolateEnv({ a: document.a }, { env: { SET: 's' }, onUnset })).toEqual({
      a: 'x-s-<keep>',
    });
  });

  it('rejects a malformed reference instead of passing it through', () => {
    expect(() => interpolateEnv({ a: '${env:1BAD}' }, { env: {} })).toThrow(
      /\/a: malformed variable reference \$\{env:1BAD\}/,
    );
    expect(() => interpolateEnv({ a: '${env:OPEN' }, { env: {} })).toThrow(/malformed/);
  });

  it('allows an empty value (set but empty is not unset)', () => {
    expect(interpolateEnv({ a: '${env:EMPTY}' }, { env: { EMPTY: '' } })).toEqual({ a: '' });
  });
});
