import { ConfigError, field, RecordError, t, type CatalogStream } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { configureStreams, refuseUnavailable } from './streams.js';
import type { StreamSelection } from './transfer.js';

const fields = [field('id', t.int64), field('at', t.timestamp)];

/** A stream offered both ways, appended by default. */
function offered(extra: Partial<CatalogStream>): CatalogStream {
  return {
    name: 'events',
    fields,
    syncModes: ['full_refresh', 'incremental'],
    defaultSyncMode: 'incremental',
    defaultWriteMode: 'append',
    ...extra,
  };
}

function plan(stream: CatalogStream, selection: Omit<StreamSelection, 'name'> = {}) {
  return configureStreams({
    catalog: { streams: [stream] },
    selections: [{ name: stream.name, ...selection }],
    destination: { writeModes: ['append', 'replace'], formats: [], layouts: [] },
    tenant: undefined,
  });
}

function issuesOf(run: () => unknown): ConfigError['issues'] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('incremental streams and their cursor', () => {
  it('follow the cursor the source sets, or the one the transfer names', () => {
    expect(plan(offered({ cursorField: 'at' }))[0]?.cursorField).toBe('at');
    expect(plan(offered({}), { cursor_field: 'id' })[0]?.cursorField).toBe('id');
  });

  it('need a cursor that is a field, and not another than the source sets', () => {
    expect(issuesOf(() => plan(offered({})))).toEqual([
      {
        pointer: '/streams/0/cursor_field',
        message: 'stream "events" needs a cursor_field for incremental sync',
      },
    ]);
    expect(issuesOf(() => plan(offered({}), { cursor_field: 'nope' }))).toEqual([
      { pointer: '/streams/0/cursor_field', message: 'stream "events" has no field "nope"' },
    ]);
    expect(issuesOf(() => plan(offered({ cursorField: 'at' }), { cursor_field: 'id' }))).toEqual([
      {
        pointer: '/streams/0/cursor_field',
        message: 'stream "events" follows the cursor "at", set by the source',
      },
    ]);
  });

  it('need no cursor when the source keeps their progress itself, and take none', () => {
    const files = offered({ incrementalState: 'source' });
    const [configured] = plan(files);
    expect(configured?.syncMode).toBe('incremental');
    expect(configured?.cursorField).toBeUndefined();
    expect(issuesOf(() => plan(files, { cursor_field: 'at' }))).toEqual([
      {
        pointer: '/streams/0/cursor_field',
        message:
          'stream "events" is read incrementally by what the source keeps track of itself (such as the files it has read); it takes no cursor_field',
      },
    ]);
  });
});

describe('streams the source cannot offer now', () => {
  const catalog = {
    streams: [offered({})],
    unavailable: [
      { name: 'broken', problem: 'the file /lake/broken/x.parquet is not Parquet' },
      { name: 'clash', problem: 'the files disagree on column "id"' },
    ],
  };

  it('stop a run that would move them, with the reason', () => {
    expect(() => {
      refuseUnavailable(undefined, catalog);
    }).toThrow(
      new RecordError(
        'stream "broken" cannot be read: the file /lake/broken/x.parquet is not Parquet (and 1 more unavailable); list the streams to move in "streams" to leave it out',
      ),
    );
    expect(() => {
      refuseUnavailable([{ name: 'events' }, { name: 'clash' }], catalog);
    }).toThrow(
      'stream "clash" cannot be read: the files disagree on column "id"; fix it or leave it out of "streams"',
    );
  });

  it('do not concern a run that names only other streams', () => {
    expect(() => {
      refuseUnavailable([{ name: 'events' }], catalog);
    }).not.toThrow();
    expect(() => {
      refuseUnavailable(undefined, { streams: [offered({})] });
    }).not.toThrow();
  });
});
