import { RecordError } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { COMPLETE_STATE, cursorState, parseCursor, resumeAfter } from './state.js';

const JAN_2 = Date.UTC(2025, 0, 2);

describe('parseCursor', () => {
  it('reads no cursor from no state or a full refresh state', () => {
    expect(parseCursor('s', undefined)).toBeUndefined();
    expect(parseCursor('s', COMPLETE_STATE)).toBeUndefined();
  });

  it.each([
    [null],
    [{}],
    [{ Cursor: '2025-01-02T00:00:00Z' }],
    [{ complete: false }],
    [[1]],
    ['x'],
  ])('refuses the unknown state %j instead of starting over', (state) => {
    expect(() => parseCursor('aliases', state)).toThrow(
      'the saved state is neither {"cursor": <time>} nor {"complete": true} (stream aliases)',
    );
  });

  it('reads the cursor in microseconds', () => {
    expect(parseCursor('s', cursorState('2025-01-02T00:00:01.000002Z'))).toBe(
      JAN_2 * 1000 + 1_000_002,
    );
    expect(parseCursor('s', { cursor: '2025-01-02T00:00:00Z' })).toBe(JAN_2 * 1000);
    expect(parseCursor('s', { cursor: '2025-01-02T00:00:00.5+00:00' })).toBe(
      JAN_2 * 1000 + 500_000,
    );
    expect(parseCursor('s', { cursor: '2025-01-02T00:00:00.123456789Z' })).toBe(
      JAN_2 * 1000 + 123_456,
    );
  });

  it.each([['yesterday'], [42], ['2025-01-02 00:00:00Z'], ['2025-01-02T00:00:00+01:00']])(
    'rejects %j naming the stream',
    (cursor) => {
      let error: unknown;
      try {
        parseCursor('aliases', { cursor });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(RecordError);
      expect((error as RecordError).position).toEqual({ stream: 'aliases' });
    },
  );
});

describe('resumeAfter', () => {
  const start = Date.UTC(2025, 0, 1);

  it('starts at day 0 without a cursor or before the start', () => {
    expect(resumeAfter(undefined, start)).toEqual({ day: 0, afterMicros: -1 });
    expect(resumeAfter(start * 1000 - 1, start)).toEqual({ day: 0, afterMicros: -1 });
  });

  it('resumes within the cursor’s day', () => {
    expect(resumeAfter(start * 1000, start)).toEqual({ day: 0, afterMicros: 0 });
    expect(resumeAfter(JAN_2 * 1000 + 7, start)).toEqual({ day: 1, afterMicros: 7 });
    expect(resumeAfter(JAN_2 * 1000 - 1, start)).toEqual({ day: 0, afterMicros: 86_399_999_999 });
  });
});
