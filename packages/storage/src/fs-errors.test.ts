import {
  AuthError,
  ConnectionError,
  InternalError,
  RecordError,
  TransientError,
} from '@ferry/core';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { abortError, fsError } from './fs-errors.js';
import { makeTempDir } from './test-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterEach(() => cleanup());

const failure = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('fsError with real file system errors', () => {
  it('turns ENOENT into a ConnectionError saying what was done on what', async () => {
    const path = join(dir, 'missing');
    const cause = await failure(readFile(path));
    const error = fsError(cause, 'reading', path);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toBe(`reading ${path}: no such file or directory (ENOENT, open)`);
    expect(error.cause).toBe(cause);
  });

  it('names the system call and its path when they differ from the object', async () => {
    await writeFile(join(dir, 'file'), 'x');
    const cause = await failure(mkdir(join(dir, 'file', 'sub'), { recursive: true }));
    const error = fsError(cause, 'writing', join(dir, 'file', 'sub', 'key'));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toMatch(
      /^writing .*\/file\/sub\/key: .* \((ENOTDIR|EEXIST), mkdir .*\)$/,
    );
  });

  it('turns EISDIR into a ConnectionError', async () => {
    const error = fsError(await failure(readFile(dir)), 'reading', dir);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain('a directory is in the way of a file (EISDIR');
  });
});

describe('fsError mapping table', () => {
  // Gap covered by built errors: tests run as root here (permission checks are bypassed), and a
  // full disk or exhausted descriptors cannot be caused safely. The errors are shaped like Node's.
  const nodeError = (code: string) =>
    Object.assign(new Error(`${code}: failed, open '/lake/x'`), {
      code,
      syscall: 'open',
      path: '/lake/x',
    });

  it.each([
    ['EACCES', AuthError, 'writing /lake/x: permission denied (EACCES, open)'],
    ['EPERM', AuthError, 'writing /lake/x: operation not permitted (EPERM, open)'],
    ['EROFS', AuthError, 'writing /lake/x: read-only file system (EROFS, open)'],
    ['ENOSPC', ConnectionError, 'writing /lake/x: no space left on device (ENOSPC, open)'],
    ['EDQUOT', ConnectionError, 'writing /lake/x: disk quota exceeded (EDQUOT, open)'],
    ['EMFILE', TransientError, 'writing /lake/x: too many open files (EMFILE, open)'],
    ['EBUSY', TransientError, 'writing /lake/x: resource busy (EBUSY, open)'],
    ['EIO', TransientError, 'writing /lake/x: input/output error (EIO, open)'],
  ])('maps %s to %o', (code, kind, message) => {
    const cause = nodeError(code);
    const error = fsError(cause, 'writing', '/lake/x');
    expect(error).toBeInstanceOf(kind);
    expect(error.message).toBe(message);
    expect(error.cause).toBe(cause);
    expect(error.retryable).toBe(kind === TransientError);
  });

  it('turns an unknown system error into a ConnectionError, anything else into an InternalError', () => {
    expect(fsError(nodeError('EWEIRD'), 'writing', '/lake/x')).toBeInstanceOf(ConnectionError);
    expect(fsError(new TypeError('boom'), 'writing', '/lake/x')).toBeInstanceOf(InternalError);
    expect(fsError('text', 'writing', '/lake/x').message).toBe('writing /lake/x: text');
    const own = new RecordError('bad row');
    expect(fsError(own, 'writing', '/lake/x')).toBe(own);
  });
});

describe('abortError', () => {
  it('is a TransientError caused by a plain reason', () => {
    const controller = new AbortController();
    controller.abort();
    const error = abortError(controller.signal, 'writing', '/lake/x');
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toBe('writing /lake/x: aborted');
    expect((error.cause as Error).name).toBe('AbortError');
  });

  it('is the reason itself when that is a ferry error', () => {
    const reason = new AuthError('credentials revoked');
    const controller = new AbortController();
    controller.abort(reason);
    expect(abortError(controller.signal, 'writing', '/lake/x')).toBe(reason);
  });
});
