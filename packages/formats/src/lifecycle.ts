import { InternalError, type Row } from '@ferry/core';
import { toRecordError } from './issue.js';
import type { ByteOutput } from './output.js';

/**
 * The call discipline shared by the writers: one `write` or `close` at a time, nothing after
 * `close`, and after a failure (abort, consumer gone) every call rejects with that failure.
 */
export class Lifecycle {
  private busy = false;
  private closed = false;

  constructor(
    private readonly format: string,
    private readonly output: ByteOutput,
  ) {}

  /** Starts a `write` or `close`; throws if another is running, the file is closed, or failed. */
  enter(operation: 'write' | 'close'): void {
    this.throwIfFailed();
    if (this.busy) {
      throw new InternalError(
        `${this.format} writer: ${operation} called while a write or close is still pending`,
      );
    }
    if (this.closed) throw new InternalError(`${this.format} writer: ${operation} after close`);
    this.busy = true;
    if (operation === 'close') this.closed = true;
  }

  /** Ends the running `write` or `close`. */
  leave(): void {
    this.busy = false;
  }

  /** Throws the output's failure (the abort reason or the consumer's error), if any. */
  throwIfFailed(): void {
    const failure = this.output.failure;
    if (failure !== undefined) throw failure;
  }
}

/**
 * Converts a whole batch before any row of it is written, so an invalid row leaves the file as
 * it was: the batch is rejected as a whole with a `RecordError` naming the row (counted from the
 * writer's first row, `firstRow` being the index of `rows[0]`) and the field path.
 */
export function convertBatch<T>(
  rows: readonly Row[],
  convert: (row: Row) => T,
  context: { readonly firstRow: number; readonly format: string },
): T[] {
  const out = new Array<T>(rows.length);
  let i = 0;
  try {
    for (const row of rows) {
      out[i] = convert(row);
      i += 1;
    }
  } catch (error) {
    throw toRecordError(error, context.firstRow + i, context.format);
  }
  return out;
}
