import { InternalError } from '@ferry/core';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStore } from './local-store.js';
import { objectKeyProblem } from './object-key.js';
import { makeTempDir, treeOf } from './test-helpers.js';

describe('objectKeyProblem', () => {
  it.each([
    'a',
    'pageview_events/dt=2025-01-01/20250101120000_abc123_0.parquet',
    '_ferry/state/t.json',
    '.hidden/..dots../x.',
    'ü/中文/😀',
    'a b/c:d',
    'x'.repeat(1024),
  ])('accepts %j', (key) => {
    expect(objectKeyProblem(key)).toBeUndefined();
  });

  it.each([
    ['', 'it is empty'],
    ['/etc/passwd', 'it is absolute (starts with "/")'],
    ['../outside', 'it has a ".." segment'],
    ['a/../../outside', 'it has a ".." segment'],
    ['a/./b', 'it has a "." segment'],
    ['.', 'it has a "." segment'],
    ['a//b', 'it has an empty segment ("//" or a trailing "/")'],
    ['a/', 'it has an empty segment ("//" or a trailing "/")'],
    ['a\\..\\b', 'it contains a backslash'],
    ['a\0b', 'it contains a NUL character'],
    ['a\uD800b', 'it is not well-formed Unicode (lone surrogate)'],
    ['é'.repeat(513), 'it is longer than 1024 bytes'],
    [42, 'it is not a string'],
  ])('rejects %j: %s', (key, problem) => {
    expect(objectKeyProblem(key)).toBe(problem);
  });
});

describe('LocalStore key checks', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let store: LocalStore;
  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    store = new LocalStore(join(dir, 'lake'));
  });
  afterEach(() => cleanup());

  it.each(['../escape', '/abs', 'a//b', 'a/./b', 'a\\b', 'a\0b', ''])(
    'rejects %j in every method with InternalError, touching nothing',
    async (key) => {
      const body = Buffer.from('x');
      await expect(store.put(key, body)).rejects.toThrow(InternalError);
      await expect(store.get(key)).rejects.toThrow(InternalError);
      await expect(store.head(key)).rejects.toThrow(InternalError);
      await expect(store.delete([key])).rejects.toThrow(InternalError);
      expect(await treeOf(dir)).toEqual([]);
    },
  );

  it('names the key and the store in the message', async () => {
    await expect(store.put('../escape', Buffer.from('x'))).rejects.toThrow(
      `invalid object key "../escape" in ${join(dir, 'lake')}: it has a ".." segment`,
    );
  });

  it('reserves the temp file suffix', async () => {
    await expect(store.put('t/.x.parquet.0123.ferry-tmp', Buffer.from('x'))).rejects.toThrow(
      /names ending in \.ferry-tmp are reserved/,
    );
    await expect(store.head('t/x.ferry-tmp')).rejects.toThrow(InternalError);
  });
});
