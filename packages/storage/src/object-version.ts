import { TransientError } from '@ferry/core';

/**
 * The failure of a read pinned to an etag (`GetOptions.etag`) when the object was rewritten
 * since it was listed: transient, as the next run lists and reads the new version.
 */
export function objectChanged(where: string, cause?: unknown): TransientError {
  return new TransientError(
    `reading ${where}: the object changed since it was listed; run again to read its new version`,
    { cause },
  );
}

/** The failure of a read pinned to an etag when the object was deleted since it was listed. */
export function objectDeleted(where: string, cause?: unknown): TransientError {
  return new TransientError(
    `reading ${where}: the object was deleted since it was listed; run again`,
    { cause },
  );
}
