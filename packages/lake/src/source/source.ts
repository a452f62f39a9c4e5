import {
  defineSource,
  RecordError,
  type Catalog,
  type CatalogStream,
  type ConfigSchema,
  type Context,
  type Source,
  type UnavailableStream,
} from '@ferry/core';
import type { ObjectStore } from '@ferry/storage';
import { checkReadPath } from './check.js';
import { checkFilterColumns, discoverTable, offeredTables, type LakeRead } from './discover.js';
import type { LakeSourceOptions } from './options.js';
import { readTables } from './read.js';
import { listingSeen } from './table-files.js';

/** What makes a lake source: its identity, schema, and how to reach its store. */
export interface LakeSourceSpec<C extends LakeSourceOptions> {
  readonly type: string;
  readonly title: string;
  readonly summary: string;
  readonly configSchema: ConfigSchema;
  /**
   * Opens the object store a (validated) config points at, its root being the schema prefix
   * whose directories are tables. May check that the root exists (a missing directory would
   * otherwise list as empty); throws a ferry error when it cannot be opened.
   */
  readonly openStore: (config: C) => ObjectStore | Promise<ObjectStore>;
  /** Bytes of files read at once (read.ts `READ_AHEAD_BYTES` when absent); for tests. */
  readonly readAheadBytes?: number;
}

/**
 * A source reading a schema prefix of an {@link ObjectStore}: every directory directly under the
 * root is a table (`_` and `.` names excepted), its Parquet, CSV and JSON Lines files at any
 * depth are its rows, and `key=value` directories are typed partition columns. Connectors
 * (`filesystem`, `s3`) give it a config schema and a store; the behaviour lives here once.
 *
 * - `check` lists the tables; `{ok:false}` for a missing or unreadable directory or bucket.
 * - `discover` gives one stream per table with data files (see discover.ts for the columns), and
 *   lists a table whose files cannot be typed as unavailable, with the reason.
 * - `read` reads files one at a time in order of (last modified, key); incremental streams keep
 *   the files read (with their ETags) as their own state (see read.ts and state.ts).
 */
export function createLakeSource<C extends LakeSourceOptions>(spec: LakeSourceSpec<C>): Source<C> {
  const open = async (ctx: Context, config: C): Promise<LakeRead> => ({
    ctx,
    store: await spec.openStore(config),
    options: config,
    ...(spec.readAheadBytes === undefined ? {} : { readAheadBytes: spec.readAheadBytes }),
  });
  return defineSource<C>({
    type: spec.type,
    title: spec.title,
    summary: spec.summary,
    configSchema: spec.configSchema,
    capabilities: { syncModes: ['full_refresh', 'incremental'] },
    check: (_ctx, config) => checkReadPath(() => spec.openStore(config)),
    discover: async (ctx, config) => discoverLake(await open(ctx, config)),
    read: async function* (ctx, config, request) {
      yield* readTables(await open(ctx, config), request);
    },
  });
}

/**
 * One stream per table with data files. A table whose files cannot be typed (a corrupt file, a
 * column two files disagree on: a RecordError) is listed as unavailable with the reason, so the
 * other tables can still be read; failures of the store itself fail discover.
 */
async function discoverLake(read: LakeRead): Promise<Catalog> {
  const streams: CatalogStream[] = [];
  const unavailable: UnavailableStream[] = [];
  const seen = listingSeen();
  for (const table of await offeredTables(read)) {
    read.ctx.signal.throwIfAborted();
    try {
      const stream = await discoverTable(read, table, seen);
      if (stream !== undefined) streams.push(stream);
    } catch (error) {
      if (!(error instanceof RecordError) || read.ctx.signal.aborted) throw error;
      read.ctx.logger.warn('a table cannot be read', { stream: table, error: error.message });
      unavailable.push({ name: table, problem: error.message });
    }
  }
  checkFilterColumns(read, seen);
  return unavailable.length === 0 ? { streams } : { streams, unavailable };
}
