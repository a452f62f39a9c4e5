import {
  TransientError,
  type ConfiguredStream,
  type RecoveryInfo,
  type RunInfo,
} from '@ferry/core';
import type { MoveOptions } from './engine.js';
import { runStream } from './pipeline.js';
import type { RunReport, StreamReport } from './report.js';

/** One stream of a run, as the engine schedules it. */
export interface StreamTask {
  readonly options: MoveOptions;
  readonly stream: ConfiguredStream;
  readonly run: RunInfo;
  /** Every unfinished earlier run (filtered here to those that touched this stream). */
  readonly recovery: readonly RecoveryInfo[];
  readonly report: RunReport;
  /** Errors of failed streams, first first. */
  readonly failures: unknown[];
}

/**
 * Moves one stream and records its outcome: `succeeded`, `failed` (its error is kept and the other
 * streams are cancelled) or `cancelled` (the run was aborted before or while it moved).
 */
export async function moveStream(task: StreamTask): Promise<void> {
  const { options, stream, run, report } = task;
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
  const contextFor = (type: string) => ({
    logger: logger.child({ connector: type }),
    signal: options.signal,
  });
  try {
    await options.keeper.startStream(run, stream.name);
    await runStream({
      ...options,
      stream,
      run,
      recovery: recoveryFor(task),
      report: streamReport,
      contexts: {
        source: contextFor(options.transfer.source.type),
        destination: contextFor(options.transfer.destination.type),
      },
      onEvent: options.onEvent ?? (() => undefined),
    });
    emit('succeeded');
    const { rows, files, bytes } = streamReport;
    logger.info('stream done', { rows, files, bytes });
  } catch (error) {
    if (isCancellation(error, options.signal)) {
      emit('cancelled');
      return;
    }
    task.failures.push(error);
    emit('failed');
    options.controller.abort(new TransientError(`cancelled because stream ${stream.name} failed`));
  }
}

/** The earlier unfinished runs that set out to write this stream. */
function recoveryFor({ options, recovery, stream }: StreamTask): RecoveryInfo[] {
  const unfinished = options.keeper.state.unfinished;
  return recovery.filter((r) =>
    unfinished.some((j) => j.run_id === r.run.runId && j.streams.includes(stream.name)),
  );
}

/** Whether the run was aborted and `error` is, or was caused by, the abort reason. */
function isCancellation(error: unknown, signal: AbortSignal): boolean {
  if (!signal.aborted) return false;
  const reason: unknown = signal.reason;
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 10; depth++) {
    if (e === reason) return true;
    e = e instanceof Error ? e.cause : undefined;
  }
  return false;
}

/** A stream's report before it starts. */
export function emptyStreamReport(stream: ConfiguredStream): StreamReport {
  return {
    status: 'pending',
    sync_mode: stream.syncMode,
    write_mode: stream.writeMode,
    rows_read: 0,
    skipped: 0,
    rows: 0,
    files: 0,
    bytes: 0,
    written: [],
  };
}
