import { TransientError } from '@ferry/core';

const versionErrors = new WeakSet<object>();

/**
 * Whether `error` is the failure of a read pinned to an etag whose object was rewritten or
 * deleted since it was listed ({@link objectChanged}, {@link objectDeleted}): the caller may
 * leave the object for the next listing instead of failing.
 */
export function isObjectVersionError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && versionErrors.has(error);
}

function marked(error: TransientError): TransientError {
  versionErrors.add(error);
  return error;
}

/**
 * The failure of a read pinned to an etag (`GetOptions.etag`) when the object was rewritten
 * since it was listed: transient, as the next run lists and reads the new version.
 */
export function objectChanged(where: string, cause?: unknown): TransientError {
  return marked(
    new TransientError(
      `reading ${where}: the object changed since it was listed; run again to read its new version`,
      { cause },
    ),
  );
}

/** The failure of a read pinned to an etag when the object was deleted since it was listed. */
export function objectDeleted(where: string, cause?: unknown): TransientError {
  return marked(
    new TransientError(`reading ${where}: the object was deleted since it was listed; run again`, {
      cause,
    }),
  );
}
