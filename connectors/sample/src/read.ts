/**
 * `read` of the sample source: generates each requested stream day by day, in batches, with a
 * checkpoint after every day of an incremental stream.
 */
import { setImmediate as nextTick } from 'node:timers/promises';
import {
  ConfigError,
  type CatalogStream,
  type ConfiguredStream,
  type Context,
  type ReadRequest,
  type Row,
  type SourceMessage,
} from '@ferry/core';
import { dayAliases } from './aliases.js';
import { findStream, STREAMS } from './catalog.js';
import type { SampleConfig } from './config.js';
import { DayEvents } from './events.js';
import { COMPLETE_STATE, cursorState, parseCursor, resumeAfter } from './state.js';
import { domainRows, segmentRows } from './snapshots.js';
import { createWorld, type World } from './world.js';

/** Rows per batch message. */
export const BATCH_ROWS = 5000;

/** Yields a day's rows a batch at a time. */
interface RowSource {
  take(max: number): Row[];
}

/** Rows of an array, a batch at a time. */
function fromArray(rows: Row[]): RowSource {
  let offset = 0;
  return {
    take(max) {
      const batch = rows.slice(offset, offset + max);
      offset += batch.length;
      return batch;
    },
  };
}

/** The generator of one day of an incremental stream, skipping rows at or before `afterMicros`. */
type DayGenerator = (world: World, day: number, afterMicros: number) => RowSource;

const DAILY: Readonly<Record<string, DayGenerator>> = {
  pageview_events: (world, day, afterMicros) =>
    new DayEvents(world, { kind: 'pageview', day, afterMicros }),
  videoview_events: (world, day, afterMicros) =>
    new DayEvents(world, { kind: 'videoview', day, afterMicros }),
  aliases: (world, day, afterMicros) => fromArray(dayAliases(world, day, afterMicros)),
};

const SNAPSHOTS: Readonly<Record<string, (world: World) => Row[]>> = {
  domains: domainRows,
  segment_metadata: segmentRows,
};

/**
 * Checks that every requested stream exists and supports its sync mode.
 * @throws ConfigError naming the first stream that does not.
 */
export function checkStreams(streams: readonly ConfiguredStream[]): void {
  streams.forEach((stream, i) => {
    const known = findStream(stream.name);
    if (known === undefined) {
      const offered = STREAMS.map((s) => s.name).join(', ');
      const message = `unknown stream "${stream.name}" (the sample source offers ${offered})`;
      throw new ConfigError({ pointer: `/streams/${i}/name`, message });
    }
    if (!known.syncModes.includes(stream.syncMode)) {
      const message = `stream "${stream.name}" supports only ${known.syncModes.join(', ')}`;
      throw new ConfigError({ pointer: `/streams/${i}/sync_mode`, message });
    }
  });
}

/** What one stream's read needs. */
interface StreamRead {
  readonly ctx: Context;
  readonly world: World;
  readonly stream: CatalogStream;
  readonly configured: ConfiguredStream;
  readonly request: ReadRequest;
}

/** Batches of `source`, each after a check for abort and a turn of the event loop. */
async function* batches(
  read: StreamRead,
  source: RowSource,
): AsyncGenerator<SourceMessage, string | undefined> {
  let last: string | undefined;
  for (let rows = source.take(BATCH_ROWS); rows.length > 0; rows = source.take(BATCH_ROWS)) {
    // Generation never waits on I/O: give timers and signal handlers a turn between batches.
    await nextTick();
    read.ctx.signal.throwIfAborted();
    last = rows[rows.length - 1]?.time as string | undefined;
    yield { type: 'batch', stream: read.stream.name, rows };
  }
  return last;
}

async function* readDaily(read: StreamRead, generate: DayGenerator): AsyncGenerator<SourceMessage> {
  const name = read.stream.name;
  const incremental = read.configured.syncMode === 'incremental';
  const cursor = incremental ? parseCursor(name, read.request.state[name]) : undefined;
  const resume = resumeAfter(cursor, read.world.startMs);
  for (let day = resume.day; day < read.world.days; day++) {
    read.ctx.signal.throwIfAborted();
    const after = day === resume.day ? resume.afterMicros : -1;
    const last = yield* batches(read, generate(read.world, day, after));
    read.ctx.logger.debug('day generated', { stream: name, day });
    if (incremental && last !== undefined) {
      yield { type: 'checkpoint', stream: name, state: cursorState(last) };
    }
  }
  if (!incremental) yield { type: 'checkpoint', stream: name, state: COMPLETE_STATE };
}

async function* readSnapshot(read: StreamRead, rows: Row[]): AsyncGenerator<SourceMessage> {
  yield* batches(read, fromArray(rows));
  yield { type: 'checkpoint', stream: read.stream.name, state: COMPLETE_STATE };
}

/**
 * Reads the requested streams one after the other (see the `source` export for the contract).
 * @throws ConfigError for an unknown stream, an unsupported sync mode, a bad start date or a
 *   malformed saved cursor, before any message; the signal's reason once it is aborted.
 */
export async function* readSample(
  ctx: Context,
  config: SampleConfig,
  request: ReadRequest,
): AsyncGenerator<SourceMessage> {
  checkStreams(request.streams);
  const world = createWorld(config);
  for (const stream of request.streams) {
    if (stream.syncMode === 'incremental') parseCursor(stream.name, request.state[stream.name]);
  }
  for (const configured of request.streams) {
    const stream = findStream(configured.name);
    if (stream === undefined) continue;
    const read: StreamRead = { ctx, world, stream, configured, request };
    const daily = DAILY[stream.name];
    const snapshot = SNAPSHOTS[stream.name];
    if (daily !== undefined) yield* readDaily(read, daily);
    else if (snapshot !== undefined) yield* readSnapshot(read, snapshot(world));
  }
}
