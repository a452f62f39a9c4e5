import {
  InternalError,
  toFerryError,
  type ConfiguredStream,
  type Context,
  type DestinationMessage,
  type RecoveryInfo,
  type RunInfo,
  type SourceMessage,
} from '@ferry/core';
import type { StreamReport } from './report.js';
import type { StateKeeper } from './state-keeper.js';
import { destinationStream } from './streams.js';
import { filterTenant } from './tenant.js';
import type { Transfer } from './transfer.js';

/** What the runner reports while a stream moves. */
export type RunEvent =
  | {
      readonly type: 'file';
      readonly stream: string;
      readonly key: string;
      readonly rows: number;
      readonly bytes: number;
    }
  | ({
      readonly type: 'stream';
      readonly stream: string;
      readonly status: StreamReport['status'];
    } & Pick<StreamReport, 'rows' | 'files' | 'bytes'>);

/** Everything one stream's pipeline needs. */
export interface StreamJob {
  readonly transfer: Transfer;
  readonly stream: ConfiguredStream;
  readonly run: RunInfo;
  readonly keeper: StateKeeper;
  readonly recovery: readonly RecoveryInfo[];
  readonly report: StreamReport;
  /** Contexts for the source and the destination (loggers bound to each). */
  readonly contexts: { readonly source: Context; readonly destination: Context };
  readonly onEvent: (event: RunEvent) => void;
}

/**
 * Moves one stream: source batches flow through the tenant filter into the destination, pulled
 * one batch at a time (the destination's pace is the source's pace: bounded memory). Each ack is
 * saved before the destination goes on. At the end, the rows the destination committed must equal
 * the rows sent to it.
 */
export async function runStream(job: StreamJob): Promise<void> {
  const { transfer, stream, run, keeper, report } = job;
  const saved = keeper.state.streams[stream.name]?.state;
  const state =
    stream.syncMode === 'incremental' && saved !== undefined ? { [stream.name]: saved } : {};
  const messages = transfer.source.read(job.contexts.source, transfer.sourceConfig, {
    streams: [stream],
    state,
  });
  const counter = { sent: 0 };
  const request = {
    streams: [destinationStream(stream, transfer.tenant)],
    run,
    recovery: job.recovery,
    messages: shape(job, messages, counter),
  };
  const output = transfer.destination.write(
    job.contexts.destination,
    transfer.destinationConfig,
    request,
  );
  for await (const message of output) await onDestinationMessage(job, message);
  // File destinations report every committed file, so their rows must add up.
  const reportsFiles = transfer.destination.capabilities.formats.length > 0;
  if (reportsFiles && report.rows !== counter.sent) {
    throw new InternalError(
      `stream ${stream.name}: ${counter.sent} rows were sent to the destination but its files hold ${report.rows}`,
    );
  }
}

async function* shape(
  job: StreamJob,
  messages: AsyncIterable<SourceMessage>,
  counter: { sent: number },
): AsyncIterable<SourceMessage> {
  const { stream, transfer, report } = job;
  try {
    for await (const message of messages) {
      if (message.stream !== stream.name) {
        throw new InternalError(
          `the source sent stream "${message.stream}" while reading "${stream.name}"`,
        );
      }
      if (message.type === 'checkpoint') {
        yield message;
        continue;
      }
      report.rows_read += message.rows.length;
      const rows =
        transfer.tenant === undefined ? message.rows : filterTenant(message.rows, transfer.tenant);
      if (rows.length === 0) continue;
      counter.sent += rows.length;
      yield rows === message.rows ? message : { type: 'batch', stream: stream.name, rows };
    }
  } catch (error) {
    // Name the source here, so the destination passes the error on as it is.
    throw toFerryError(error, `reading stream ${stream.name} from ${transfer.source.type}`);
  }
}

async function onDestinationMessage(job: StreamJob, message: DestinationMessage): Promise<void> {
  if (message.stream !== job.stream.name) {
    throw new InternalError(
      `the destination answered for stream "${message.stream}" while writing "${job.stream.name}"`,
    );
  }
  if (message.type === 'file') {
    job.report.files += 1;
    job.report.rows += message.rows;
    job.report.bytes += message.bytes;
    job.onEvent(message);
    return;
  }
  await job.keeper.acknowledge(job.run, message);
}
