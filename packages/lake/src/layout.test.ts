import { ConfigError, type RunInfo } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { assertSafeStreamName, pontoonLayout, utcDate, utcStamp } from './layout.js';

const run: RunInfo = {
  runId: 'r1',
  batchId: 'abc123xyz',
  startedAt: new Date('2025-03-04T05:06:07.890Z'),
  workerId: '0',
};

describe('pontoon layout', () => {
  it('names files <stream>/dt=<date>/<stamp>_<batch>_<index><ext> from the run start in UTC', () => {
    expect(
      pontoonLayout.fileKey({ stream: 'pageview_events', run, index: 0, extension: '.parquet' }),
    ).toBe('pageview_events/dt=2025-03-04/20250304050607_abc123xyz_0.parquet');
    expect(pontoonLayout.fileKey({ stream: 's', run, index: 12, extension: '.jsonl.gz' })).toBe(
      's/dt=2025-03-04/20250304050607_abc123xyz_12.jsonl.gz',
    );
  });

  it('uses UTC even just before midnight elsewhere', () => {
    const late = new Date('2025-12-31T23:59:59.999Z');
    expect([utcDate(late), utcStamp(late)]).toEqual(['2025-12-31', '20251231235959']);
  });

  it('parses its own keys back and nothing else', () => {
    const key = pontoonLayout.fileKey({ stream: 'a', run, index: 7, extension: '.parquet' });
    expect(pontoonLayout.parseKey('a', key)).toEqual({ batchId: 'abc123xyz', index: 7 });
    expect(key.startsWith(pontoonLayout.runPrefix('a', run))).toBe(true);
    for (const foreign of [
      'a/dt=2025-03-04/notes.txt',
      'a/dt=2025-03-04/20250304050607_abc123xyz_7.csv',
      'a/20250304050607_abc123xyz_7.parquet',
      'b/dt=2025-03-04/20250304050607_abc123xyz_7.parquet',
      'a/dt=2025-03-04/.20250304050607_abc123xyz_7.parquet.1.ferry-tmp',
    ]) {
      expect(pontoonLayout.parseKey('a', foreign)).toBeUndefined();
    }
  });

  it('refuses stream names that are not one safe path segment', () => {
    for (const bad of ['', '../x', 'a/b', '.hidden', 'a b', 'é']) {
      expect(() => {
        assertSafeStreamName(bad);
      }).toThrow(ConfigError);
    }
    expect(() => {
      assertSafeStreamName('segment_metadata.v2');
    }).not.toThrow();
  });
});
