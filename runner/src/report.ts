import type { ErrorCode, RunInfo, SyncMode, WriteMode } from '@ferry/core';

/** Outcome of one stream in a run. */
export type StreamStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** One committed file in a stream's report. */
export interface WrittenFile {
  /** Full location: `s3://bucket/prefix/key` or an absolute path (the key when not given). */
  readonly location: string;
  readonly rows: number;
  readonly bytes: number;
}

/**
 * One stream's figures in the run report. Rows, files, bytes and `written` count committed files
 * only.
 */
export interface StreamReport {
  status: StreamStatus;
  sync_mode: SyncMode;
  write_mode: WriteMode;
  /** Rows the source emitted (before the tenant filter). */
  rows_read: number;
  /** Records the source dropped as bad (e.g. with `on_bad_record: skip`). */
  skipped: number;
  rows: number;
  files: number;
  bytes: number;
  /** The committed files, in commit order (empty for a destination that writes no files). */
  written: WrittenFile[];
}

/** The run report: the last line of `ferry run --json`. */
export interface RunReport {
  readonly type: 'report';
  status: 'succeeded' | 'failed';
  readonly transfer: string;
  readonly run_id: string | null;
  readonly batch_id: string | null;
  readonly worker_id: string | null;
  readonly started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  readonly source: string;
  readonly destination: string;
  readonly streams: Record<string, StreamReport>;
  error?: { readonly code: ErrorCode; readonly message: string };
}

/** A report for a run about to start. */
export function newReport(
  transfer: { name: string; source: string; destination: string },
  run: RunInfo,
): RunReport {
  return {
    type: 'report',
    status: 'failed',
    transfer: transfer.name,
    run_id: run.runId,
    batch_id: run.batchId,
    worker_id: run.workerId,
    started_at: run.startedAt.toISOString(),
    finished_at: null,
    duration_ms: null,
    source: transfer.source,
    destination: transfer.destination,
    streams: {},
  };
}
