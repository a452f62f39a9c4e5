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

  it('finds secrets under additionalProperties, patternProperties and if/then, numbers included', () => {
    const dynamic: SchemaNode = {
      type: 'object',
      properties: { mode: { type: 'string' } },
      patternProperties: { '^key_': { type: 'string', 'x-secret': true } },
      additionalProperties: {
        type: 'object',
        properties: { pin: { type: 'integer', 'x-secret': true } },
      },
      if: { properties: { mode: { const: 'token' } } },
      then: { properties: { token: { type: 'string', 'x-secret': true } } },
    };
    const value = { mode: 'token', token: 't0ken', key_a: 'alpha', other: { pin: 4711 } };
    expect(collectSecrets(dynamic, value).sort()).toEqual(['4711', 'alpha', 't0ken']);
  });

  it('finds a secret with quotes or backslashes inside JSON text', () => {
    const secret = 'pa"ss\\w0rd';
    const redactor = new Redactor([secret]);
    expect(redactor.redact(JSON.stringify({ salt: secret }))).toBe(`{"salt":"${REDACTED}"}`);
    expect(redactor.redact(`plain ${secret}`)).toBe(`plain ${REDACTED}`);
  });
});
