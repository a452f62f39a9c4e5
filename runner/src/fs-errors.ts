import {
  AuthError,
  ConnectionError,
  InternalError,
  TransientError,
  type FerryError,
} from '@ferry/core';

type Kind = 'auth' | 'connection' | 'transient';

/**
 * How the file system errors of the state store and the run lock map to ferry errors. Denied
 * access is an `AuthError` (the fix is a permission or a mount option). A path that cannot hold
 * the file (a file where the state directory should be, a directory where the state file should
 * be) or a full disk is a `ConnectionError`: it will not pass on retry and needs an operator.
 * Running out of descriptors, a busy resource, I/O glitches of network mounts may pass on retry.
 *
 * The same table as `@ferry/storage`'s (which the runner does not depend on); keep them in step.
 */
const CODES: Readonly<Record<string, readonly [Kind, string]>> = {
  EACCES: ['auth', 'permission denied'],
  EPERM: ['auth', 'operation not permitted'],
  EROFS: ['auth', 'read-only file system'],
  ENOENT: ['connection', 'no such file or directory'],
  ENOTDIR: ['connection', 'a file is in the way of a directory'],
  EISDIR: ['connection', 'a directory is in the way of a file'],
  EEXIST: ['connection', 'a file is in the way of a directory'],
  ENAMETOOLONG: ['connection', 'file name too long'],
  ELOOP: ['connection', 'too many levels of symbolic links'],
  ENOSPC: ['connection', 'no space left on device'],
  EDQUOT: ['connection', 'disk quota exceeded'],
  EFBIG: ['connection', 'file too large'],
  EMFILE: ['transient', 'too many open files'],
  ENFILE: ['transient', 'too many open files in the system'],
  EBUSY: ['transient', 'resource busy'],
  EAGAIN: ['transient', 'resource temporarily unavailable'],
  EINTR: ['transient', 'interrupted'],
  EIO: ['transient', 'input/output error'],
  ETIMEDOUT: ['transient', 'timed out'],
  ESTALE: ['transient', 'stale file handle'],
};

/** The `code` of a Node system error (`ENOENT`, ...), if `error` is one. */
export function errnoCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turns a Node file system error of the state store or the lock into a ferry error whose message
 * says what was being done and on what: `reading state /x/t.json: a directory is in the way of a
 * file (EISDIR, read)`. The system call is named, with its path when that differs from `path`.
 * Any other operating system error (`E...` code) is a `ConnectionError` carrying Node's message:
 * it is about the machine, not a bug. Errors without such a code become an `InternalError`. The
 * original is kept as `cause`.
 * @param action - What was being done: `reading state`, `saving state`, `locking`.
 */
export function fsError(error: unknown, action: string, path: string): FerryError {
  const code = errnoCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (code === undefined || !/^E[A-Z0-9]+$/.test(code)) {
    return new InternalError(`${action} ${path}: ${detail}`, { cause: error });
  }
  const known = CODES[code];
  if (known === undefined)
    return new ConnectionError(`${action} ${path}: ${detail}`, { cause: error });
  const message = `${action} ${path}: ${known[1]} (${code}${syscallDetail(error, path)})`;
  switch (known[0]) {
    case 'auth':
      return new AuthError(message, { cause: error });
    case 'connection':
      return new ConnectionError(message, { cause: error });
    case 'transient':
      return new TransientError(message, { cause: error });
  }
}

function syscallDetail(error: unknown, path: string): string {
  const { syscall, path: at } = error as NodeJS.ErrnoException;
  if (syscall === undefined) return '';
  return at === undefined || at === path ? `, ${syscall}` : `, ${syscall} ${at}`;
}

/** Runs one file system call, converting its failure with {@link fsError}. */
export async function fsCall<T>(call: () => Promise<T>, action: string, path: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw fsError(error, action, path);
  }
}
