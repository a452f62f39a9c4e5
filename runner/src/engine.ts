import {
  ConnectionError,
  toFerryError,
  type ConfiguredStream,
  type Context,
  type Logger,
} from '@ferry/core';
import pLimit from 'p-limit';
import { connectorError, discoverCatalog } from './connector-calls.js';
import { newRun } from './ids.js';
import type { RunEvent } from './pipeline.js';
import { newReport, type RunReport } from './report.js';
import { StateKeeper } from './state-keeper.js';
import type { StateStore } from './state-store.js';
import { emptyStreamReport, moveStream } from './stream-task.js';
import { planStreams } from './streams.js';
import type { Transfer } from './transfer.js';

/** Options of {@link runTransfer}. */
export interface RunTransferOptions {
  readonly transfer: Transfer;
  readonly stateStore: StateStore;
  readonly logger: Logger;
  /** Cancels the run; acknowledged progress is kept. Abort with a ferry error as the reason. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: RunEvent) => void;
  /** Called once the streams are known, with the live report (for progress display). */
  readonly onStart?: (report: RunReport) => void;
}

/**
 * Runs a transfer once: locks it, plans its streams from the source's catalog, checks the
 * destination, records the run, moves the streams (up to `concurrency` at a time), and returns
 * the report. When a stream fails the others are cancelled; state acknowledged before that is
 * kept. The run succeeds only if every stream does.
 * @throws ConfigError (bad streams or tenant), or any ferry error raised before data moves
 *   (lock, state, discover, a failed destination check: nothing is recorded then). Failures while
 *   data moves are in the report, not thrown.
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
    const streams = planStreams(transfer, await discoverCatalog(transfer, ctx));
    await checkDestination(transfer, {
      ...ctx,
      logger: logger.child({ connector: transfer.destination.type }),
    });
    return await moveStreams({ ...options, keeper, streams, controller, signal });
  } finally {
    // A lock that cannot be released must not hide the run's own outcome.
    await lock.release().catch((error: unknown) => {
      logger.warn('could not release the transfer lock', { error: String(error) });
    });
  }
}

/**
 * The destination's own check, before the run is recorded: a missing bucket, a denied write or
 * bad credentials fail the run here, with the check's cause, and leave the state as it was
 * (once recorded, a failed run stays in the journal until the next run has cleaned up after it).
 * Costs the check's few requests per run (for a lake: a listing and a probe object).
 * @throws ConnectionError with the check's message; a ConfigError or InternalError it throws.
 */
async function checkDestination(transfer: Transfer, ctx: Context): Promise<void> {
  const { destination } = transfer;
  const result = await destination
    .check(ctx, transfer.destinationConfig)
    .catch((error: unknown) => {
      const doing = `checking ${destination.type}`;
      throw connectorError(error, { transfer, role: 'destination', doing });
    });
  if (!result.ok) {
    throw new ConnectionError(
      `the ${destination.type} destination failed its check, so nothing was written: ${result.error}`,
    );
  }
}

/** Everything a run needs once its streams are planned. */
export interface MoveOptions extends RunTransferOptions {
  readonly keeper: StateKeeper;
  readonly streams: readonly ConfiguredStream[];
  /** Aborted by the run itself when a stream fails, to cancel the others. */
  readonly controller: AbortController;
  /** The run's signal: the controller's and the caller's. */
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
  logger.info('run started', { run_id: run.runId, batch_id: run.batchId, streams: streams.length });
  const limit = pLimit(transfer.concurrency);
  const failures: unknown[] = [];
  const task = { options, run, recovery, report, failures };
  await Promise.all(streams.map((stream) => limit(() => moveStream({ ...task, stream }))));
  report.finished_at = new Date().toISOString();
  report.duration_ms = Date.now() - run.startedAt.getTime();
  // Only streams that finished are settled: the others keep their journal for the next run.
  const done = streams.filter((s) => report.streams[s.name]?.status === 'succeeded');
  await keeper.finish(done.map((s) => s.name));
  if (done.length === streams.length) {
    report.status = 'succeeded';
    return report;
  }
  const cause: unknown = failures[0] ?? options.signal.reason;
  const error = toFerryError(cause, 'running the transfer');
  report.error = { code: error.code, message: transfer.redactor.redact(error.message) };
  return report;
}
