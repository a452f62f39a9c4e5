import { RecordError, type RecordPosition } from '@ferry/core';
import { formatPath, ValueIssue } from '../issue.js';

/**
 * The `RecordError` of a value issue found while reading `what` (`JSON line`, `CSV record`,
 * `Parquet row`) at `position`, with the issue's field path. Other errors come back unchanged
 * (they are bugs, or already ferry errors).
 */
export function readIssue(error: unknown, what: string, position: RecordPosition): unknown {
  if (!(error instanceof ValueIssue)) return error;
  const field = formatPath(error.path);
  const message = `cannot read ${what}: expected ${error.expected}, got ${error.received}`;
  return new RecordError(message, { position: field === '' ? position : { ...position, field } });
}

/** {@link readIssue} for code that must hand on a `RecordError`: anything else is rethrown. */
export function recordIssue(error: unknown, what: string, position: RecordPosition): RecordError {
  const mapped = readIssue(error, what, position);
  if (mapped instanceof RecordError) return mapped;
  throw mapped;
}
