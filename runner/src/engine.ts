import {
  isFerryError,
  toFerryError,
  TransientError,
  type ConfiguredStream,
  type Context,
  type Logger,
} from '@ferry/core';
import pLimit from 'p-limit';
import { newRun } from './ids.js';
import { runStream, type RunEvent } from './pipeline.js';
import { newReport, type RunReport, type StreamReport } from './report.js';
import { StateKeeper } from './state-keeper.js';
import type { StateStore } from './state-store.js';
import { configureStreams } from './streams.js';
import type { Transfer } from './transfer.js';

/** Options of {@link runTransfer}. */
export interface RunTransferOptions {
  readonly transfer: Transfer;
  readonly stateStore: StateStore;
  readonly logger: Logger;
  /** Cancels the run; acknowledged progress is kept. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: RunEvent) => void;
  /** Called once the streams are known, with the live report (for progress display). */
  readonly onStart?: (report: RunReport) => void;
}

/**
 * Runs a transfer once: locks it, plans its streams from the source's catalog, records the run,
 * moves the streams (up to `concurrency` at a time), and returns the report. When a stream fails
 * the others are cancelled; state acknowledged before that is kept.
 * @throws ConfigError (bad streams or tenant), or any ferry error raised before data moves
 *   (lock, state, discover). Failures while data moves are in the report, not thrown.
 */
export async function runTransfer(options: RunTransferOptions): Promise<RunReport> {
  const { transfer, stateStore, logger } = options;
  const lock = await stateStore.lock(transfer.name);
  try {
    const keeper = await StateKeeper.open(stateStore, transfer.name);
    const controller = new AbortController();
    const signal =
      options.signal === undefined
        ? controller.signal
        : AbortSignal.any([controller.signal, options.signal]);
    const ctx: Context = { logger: logger.child({ connector: transfer.source.type }), signal };
    const catalog = await transfer.source
      .discover(ctx, transfer.sourceConfig)
      .catch((error: unknown) => {
        throw toFerryError(error, `discovering the streams of ${transfer.source.type}`);
      });
    const streams = configureStreams({
      catalog,
      selections: transfer.streams,
      destination: transfer.destination.capabilities,
      tenant: transfer.tenant,
    });
    return await moveStreams({ ...options, keeper, streams, controller, signal });
  } finally {
    await lock.release();
  }
}

interface MoveOptions extends RunTransferOptions {
  readonly keeper: StateKeeper;
  readonly streams: readonly ConfiguredStream[];
  readonly controller: AbortController;
  readonly signal: AbortSignal;
}

async function moveStreams(options: MoveOptions): Promise<RunReport> {
  const { transfer, keeper, streams, logger } = options;
  const run = newRun();
  const report = newReport(
    { name: transfer.name, source: transfer.source.type, destination: transfer.destination.type },
    run,
  );
  for (const stream of streams) report.streams[stream.name] = emptyStreamReport(stream);
  options.onStart?.(report);
  const recovery = keeper.recovery();
  await keeper.begin(
    run,
    streams.map((s) => s.name),
  );
  logger.info('run started', { run_id: run.runId, batch_id: run.batchId, streams: streams.length });
  const limit = pLimit(transfer.concurrency);
  const failures: unknown[] = [];
  await Promise.all(
    streams.map((stream) =>
      limit(() => moveOne({ options, stream, run, recovery, report, failures })),
    ),
  );
  report.finished_at = new Date().toISOString();
  report.duration_ms = Date.now() - run.startedAt.getTime();
  if (failures.length === 0) {
    await keeper.finish(
      run,
      streams.map((s) => s.name),
    );
    report.status = 'succeeded';
  } else {
    const error = toFerryError(failures[0], 'running the transfer');
    report.error = { code: error.code, message: transfer.redactor.redact(error.message) };
  }
  return report;
}

interface OneStream {
  readonly options: MoveOptions;
  readonly stream: ConfiguredStream;
  readonly run: ReturnType<typeof newRun>;
  readonly recovery: ReturnType<StateKeeper['recovery']>;
  readonly report: RunReport;
  readonly failures: unknown[];
}

async function moveOne(one: OneStream): Promise<void> {
  const { options, stream, run, report, failures } = one;
  const streamReport = report.streams[stream.name] ?? emptyStreamReport(stream);
  const emit = (status: StreamReport['status']): void => {
    streamReport.status = status;
    const { rows, files, bytes } = streamReport;
    options.onEvent?.({ type: 'stream', stream: stream.name, status, rows, files, bytes });
  };
  if (options.signal.aborted) {
    emit('cancelled');
    return;
  }
  emit('running');
  const logger = options.logger.child({ stream: stream.name });
  const contexts = {
    source: {
      logger: logger.child({ connector: options.transfer.source.type }),
      signal: options.signal,
    },
    destination: {
      logger: logger.child({ connector: options.transfer.destination.type }),
      signal: options.signal,
    },
  };
  const recovery = one.recovery.filter((r) =>
    options.keeper.state.unfinished.some(
      (j) => j.run_id === r.run.runId && j.streams.includes(stream.name),
    ),
  );
  try {
    await runStream({
      ...options,
      stream,
      run,
      recovery,
      report: streamReport,
      contexts,
      onEvent: options.onEvent ?? (() => undefined),
    });
    emit('succeeded');
    logger.info('stream done', {
      rows: streamReport.rows,
      files: streamReport.files,
      bytes: streamReport.bytes,
    });
  } catch (error) {
    if (options.controller.signal.aborted && isCancellation(error, options.controller.signal)) {
      emit('cancelled');
      return;
    }
    failures.push(error);
    emit('failed');
    options.controller.abort(new TransientError(`cancelled because stream ${stream.name} failed`));
  }
}

function isCancellation(error: unknown, signal: AbortSignal): boolean {
  return error === signal.reason || (isFerryError(error) && error.cause === signal.reason);
}

function emptyStreamReport(stream: ConfiguredStream): StreamReport {
  return {
    status: 'pending',
    sync_mode: stream.syncMode,
    write_mode: stream.writeMode,
    rows_read: 0,
    rows: 0,
    files: 0,
    bytes: 0,
  };
}
