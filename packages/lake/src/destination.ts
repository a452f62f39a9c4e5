import {
  defineDestination,
  InternalError,
  isFerryError,
  toFerryError,
  TransientError,
  type FerryError,
  type Logger,
  type CheckResult,
  type ConfiguredStream,
  type ConfigSchema,
  type Context,
  type Destination,
  type DestinationMessage,
  type WriteRequest,
} from '@ferry/core';
import type { ObjectStore } from '@ferry/storage';
import { checkWritePath } from './check.js';
import { assertSafeStreamName, layoutNamed, type Layout } from './layout.js';
import type { LakeOptions } from './options.js';
import { recoverStream } from './recovery.js';
import { removeOlderFiles } from './replace.js';
import { StreamWriter } from './stream-writer.js';

/** What makes a lake destination: its identity, schema, and how to reach its store. */
export interface LakeDestinationSpec<C extends LakeOptions> {
  readonly type: string;
  readonly title: string;
  readonly summary: string;
  readonly configSchema: ConfigSchema;
  /** Opens the object store a (validated) config points at; must not do I/O. */
  readonly openStore: (config: C) => ObjectStore;
}

/**
 * A destination writing an append-only, Hive-partitioned lake of Parquet or JSONL files to any
 * {@link ObjectStore}. Connectors (`filesystem`, `s3`) give it a config schema and a store; all
 * lake behaviour (layouts, rotation, commits, recovery, replace) lives here once.
 */
export function createLakeDestination<C extends LakeOptions>(
  spec: LakeDestinationSpec<C>,
): Destination<C> {
  return defineDestination<C>({
    type: spec.type,
    title: spec.title,
    summary: spec.summary,
    configSchema: spec.configSchema,
    capabilities: {
      writeModes: ['append', 'replace'],
      formats: ['parquet', 'jsonl'],
      layouts: ['pontoon'],
    },
    check: (ctx: Context, config: C): Promise<CheckResult> =>
      checkWritePath(spec.openStore(config), ctx.signal),
    write: (ctx, config, request) =>
      writeLake({ ctx, store: spec.openStore(config), options: config, request }),
  });
}

interface WriteSpec {
  readonly ctx: Context;
  readonly store: ObjectStore;
  readonly options: LakeOptions;
  readonly request: WriteRequest;
}

async function* writeLake(spec: WriteSpec): AsyncIterable<DestinationMessage> {
  const writers = new Map<string, StreamWriter>();
  let finished = false;
  try {
    await prepare(spec, writers);
    for await (const message of spec.request.messages) {
      spec.ctx.signal.throwIfAborted();
      const writer = writers.get(message.stream);
      if (writer === undefined) {
        throw new InternalError(
          `received rows of stream "${message.stream}", which was not requested`,
        );
      }
      if (message.type === 'batch') await writer.write(message.rows);
      else yield* await writer.checkpoint(message.state);
    }
    for (const [name, writer] of writers) {
      // The runner saves the final ack before pulling again: only then may the old snapshot go.
      yield* await writer.finish();
      if (writer.writeMode === 'replace') await replaceOlder(spec, name);
    }
    finished = true;
  } catch (error) {
    throw failure(spec, error);
  } finally {
    if (!finished) {
      const reason = new Error('write did not finish');
      await Promise.all([...writers.values()].map((w) => w.abort(reason)));
    }
  }
}

/** The error to throw: the abort reason when the run was cancelled, else a ferry error. */
function failure(spec: WriteSpec, error: unknown): FerryError {
  const signal = spec.ctx.signal;
  if (!signal.aborted) return toFerryError(error, `writing to ${spec.store.location}`);
  const reason: unknown = signal.reason;
  return isFerryError(reason)
    ? reason
    : new TransientError(`writing to ${spec.store.location} was cancelled`, { cause: reason });
}

/** Cleans up after earlier unfinished runs, then opens a writer per requested stream. */
async function prepare(spec: WriteSpec, writers: Map<string, StreamWriter>): Promise<void> {
  const { ctx, store, options, request } = spec;
  const layout = layoutNamed(options.layout);
  for (const stream of request.streams) {
    assertSafeStreamName(stream.name);
    const logger = ctx.logger.child({ stream: stream.name });
    warnOfHiddenColumns(stream, layout, logger);
    await recoverAll(spec, { stream: stream.name, logger });
    const run = request.run;
    const writerSpec = { store, layout, options, stream, run, logger, signal: ctx.signal };
    writers.set(stream.name, new StreamWriter(writerSpec));
  }
}

/**
 * Warns of a column named like one of the layout's partition directories (a `dt` column of rows
 * imported from another lake): Hive-style readers (DuckDB, Spark, Athena) show the directory's
 * value instead of the column's, unless told not to read partitions from the path.
 */
function warnOfHiddenColumns(stream: ConfiguredStream, layout: Layout, logger: Logger): void {
  for (const column of layout.partitionColumns) {
    if (!stream.fields.some((f) => f.name === column)) continue;
    logger.warn(
      `column ${column} has the name of the ${layout.name} layout's ${column}= directories, whose value Hive-style readers show instead (DuckDB: hive_partitioning = false reads the column)`,
      { column },
    );
  }
}

/**
 * Cleans up after every earlier unfinished run of `stream` (oldest first). When the newest of them
 * had committed a whole snapshot and only the removal of the older one was left, finishes that
 * removal now, so two snapshots are not visible until this run's own snapshot is done.
 */
async function recoverAll(spec: WriteSpec, at: { stream: string; logger: Logger }): Promise<void> {
  const layout = layoutNamed(spec.options.layout);
  let snapshot: string | undefined;
  for (const recovery of spec.request.recovery ?? []) {
    const done = await recoverStream({ store: spec.store, layout, ...at, recovery });
    if (done.completeSnapshot) snapshot = recovery.run.batchId;
  }
  if (snapshot === undefined) return;
  const removed = await removeOlderFiles({
    store: spec.store,
    layout,
    stream: at.stream,
    batchId: snapshot,
  });
  at.logger.info('finished replacing the snapshot of an unfinished run', {
    batch_id: snapshot,
    files: removed,
  });
}

async function replaceOlder(spec: WriteSpec, stream: string): Promise<void> {
  const layout = layoutNamed(spec.options.layout);
  const removed = await removeOlderFiles({
    store: spec.store,
    layout,
    stream,
    batchId: spec.request.run.batchId,
  });
  if (removed > 0) {
    spec.ctx.logger.child({ stream }).info('removed the previous snapshot', { files: removed });
  }
}
