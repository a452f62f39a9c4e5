import {
  AuthError,
  ConnectionError,
  InternalError,
  isFerryError,
  TransientError,
  type FerryError,
} from '@ferry/core';

type Kind = 'auth' | 'connection' | 'transient';

/**
 * How each file system error code maps to a ferry error, and how to say it. Denied access is an
 * `AuthError` (the fix is a permission or a mount option, like a missing IAM grant). A path that
 * cannot hold the object, or a full disk, is a `ConnectionError`: it will not pass on retry and
 * needs an operator, like a missing bucket. Running out of descriptors, a busy resource, I/O
 * errors (network and FUSE mounts report glitches as EIO) and NFS's stale handles may pass on
 * retry, so they are `TransientError`s: a few wasted retries cost less than a failed run.
 */
const CODES: Readonly<Record<string, readonly [Kind, string]>> = {
  EACCES: ['auth', 'permission denied'],
  EPERM: ['auth', 'operation not permitted'],
  EROFS: ['auth', 'read-only file system'],
  ENOENT: ['connection', 'no such file or directory'],
  ENOTDIR: ['connection', 'a file is in the way of a directory'],
  EISDIR: ['connection', 'a directory is in the way of a file'],
  ENOTEMPTY: ['connection', 'a directory is in the way of a file'],
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
 * The one place where Node's file system errors become ferry errors. The message says what was
 * being done and on what (`writing /lake/t/x.parquet: permission denied (EACCES, mkdir /lake/t)`),
 * naming the system call and its path when that differs from `path`. Ferry errors pass through;
 * another operating system error (an `E...` code) is a `ConnectionError` with Node's message;
 * anything else becomes an `InternalError`. The original is kept as `cause`.
 * @param action - What was being done: `writing`, `reading`, `listing`, `deleting`.
 */
export function fsError(error: unknown, action: string, path: string): FerryError {
  if (isFerryError(error)) return error;
  const code = errnoCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (code === undefined || !/^E[A-Z0-9]+$/.test(code)) {
    return new InternalError(`${action} ${path}: ${detail}`, { cause: error });
  }
  const known = CODES[code];
  // Another operating system error is about the machine, not a bug in ferry.
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

/**
 * The error an aborted operation rejects with: the signal's reason when it is a ferry error (so a
 * caller can choose the class), else a `TransientError` whose `cause` is the reason. Transient
 * because nothing failed: the same operation may succeed when repeated, and a runner that aborted
 * on purpose knows not to repeat it.
 */
export function abortError(signal: AbortSignal, action: string, path: string): FerryError {
  const reason: unknown = signal.reason;
  if (isFerryError(reason)) return reason;
  return new TransientError(`${action} ${path}: aborted`, { cause: reason });
}

/** Runs one file system call, converting its failure with {@link fsError}. */
export async function fsCall<T>(call: () => Promise<T>, action: string, path: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw fsError(error, action, path);
  }
}
