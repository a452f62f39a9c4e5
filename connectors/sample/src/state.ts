/**
 * The state of a stream between runs. Incremental streams save `{ "cursor": "<time of the last
 * row emitted>" }`; a full refresh ends with `{ "complete": true }`, which a later incremental
 * read treats as no cursor (it starts from the beginning).
 */
import { isPlainObject, RecordError, type StreamState } from '@ferry/core';
import { MS_PER_DAY } from './format.js';

const ISO_UTC = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(?:Z|\+00:00)$/;

/** The state after an incremental read's rows up to and including the one at `time`. */
export function cursorState(time: string): StreamState {
  return { cursor: time };
}

/** The state at the end of a full refresh. */
export const COMPLETE_STATE: StreamState = { complete: true };

/**
 * The cursor of a saved state, in microseconds since the epoch (digits beyond the microsecond
 * are dropped), or undefined when there is none (no state, or a full refresh's state).
 * @throws RecordError naming the stream when the state is anything else, or its cursor is not an
 *   ISO 8601 UTC timestamp: the state was damaged or written by something else, and reading from
 *   the beginning would duplicate every row already exported.
 */
export function parseCursor(stream: string, state: StreamState | undefined): number | undefined {
  if (state === undefined) return undefined;
  const keys = isPlainObject(state) ? Object.keys(state).join(',') : '';
  if (isPlainObject(state) && keys === 'complete' && state.complete === true) return undefined;
  if (!isPlainObject(state) || keys !== 'cursor') {
    throw new RecordError('the saved state is neither {"cursor": <time>} nor {"complete": true}', {
      position: { stream },
    });
  }
  const match = typeof state.cursor === 'string' ? ISO_UTC.exec(state.cursor) : null;
  const ms = match === null ? Number.NaN : Date.parse(`${match[1] ?? ''}Z`);
  if (match === null || Number.isNaN(ms)) {
    throw new RecordError(
      "the saved state's cursor is not an ISO 8601 UTC timestamp (YYYY-MM-DDTHH:MM:SS.ffffffZ)",
      { position: { stream } },
    );
  }
  return ms * 1000 + Number((match[2] ?? '').padEnd(6, '0').slice(0, 6));
}

/** Where a read resumes: the first day to generate and the cutoff within it. */
export interface Resume {
  /** Day index from start_date of the first day to generate. */
  readonly day: number;
  /** Within that day, rows at or before this many microseconds since midnight are skipped. */
  readonly afterMicros: number;
}

/** Where to resume after `cursor` (µs since the epoch) when day 0 starts at `startMs`. */
export function resumeAfter(cursor: number | undefined, startMs: number): Resume {
  if (cursor === undefined) return { day: 0, afterMicros: -1 };
  const sinceStart = cursor - startMs * 1000;
  const day = Math.floor(sinceStart / (MS_PER_DAY * 1000));
  if (day < 0) return { day: 0, afterMicros: -1 };
  return { day, afterMicros: sinceStart - day * MS_PER_DAY * 1000 };
}
