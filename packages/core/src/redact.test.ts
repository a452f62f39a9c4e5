import { describe, expect, it } from 'vitest';
import type { SchemaNode } from './config-schema.js';
import { collectSecrets, redactConfig, REDACTED, Redactor } from './redact.js';

const schema: SchemaNode = {
  type: 'object',
  properties: {
    user: { type: 'string' },
    password: { type: 'string', 'x-secret': true },
    nested: {
      type: 'object',
      properties: { token: { type: 'string', 'x-secret': true }, other: { type: 'string' } },
    },
    keys: {
      type: 'array',
      items: { type: 'object', properties: { k: { type: 'string', 'x-secret': true } } },
    },
  },
};

const config = {
  user: 'alice',
  password: 'hunter2-secret',
  nested: { token: 'tok-123', other: 'visible' },
  keys: [{ k: 'first-key' }, { k: 'second-key' }],
};

describe('secrets', () => {
  it('collects secret values at any depth', () => {
    expect(collectSecrets(schema, config).sort()).toEqual(
      ['first-key', 'hunter2-secret', 'second-key', 'tok-123'].sort(),
    );
  });

  it('redacts a copy of the config', () => {
    expect(redactConfig(schema, config)).toEqual({
      user: 'alice',
      password: REDACTED,
      nested: { token: REDACTED, other: 'visible' },
      keys: [{ k: REDACTED }, { k: REDACTED }],
    });
    expect(config.password).toBe('hunter2-secret');
  });

  it('removes secrets from any text, the longest first', () => {
    const redactor = new Redactor(['abc', 'abcdef', '']);
    expect(redactor.redact('x abcdef y abc z')).toBe(`x ${REDACTED} y ${REDACTED} z`);
    expect(redactor.redact('nothing here')).toBe('nothing here');
  });
});
