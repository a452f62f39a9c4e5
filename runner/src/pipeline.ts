import {
  InternalError,
  type ConfiguredStream,
  type Context,
  type DestinationMessage,
  type RecoveryInfo,
  type RunInfo,
  type DataMessage,
  type SkippedMessage,
  type SourceMessage,
} from '@ferry/core';
import { connectorError } from './connector-calls.js';
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
      /** Relative to the destination's root. */
      readonly key: string;
      /** Full location (`s3://…` or an absolute path); the key when the destination gave none. */
      readonly location: string;
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
 * saved before the destination goes on. At the end, a file destination's committed rows must
 * equal the rows sent to it.
 */
export async function runStream(job: StreamJob): Promise<void> {
  const { transfer, stream, run, keeper, report } = job;
  const saved = keeper.state.streams[stream.name]?.state;
  const state =
    stream.syncMode === 'incremental' && saved !== undefined ? { [stream.name]: saved } : {};
  const counter = { sent: 0 };
  const request = {
    streams: [destinationStream(stream, transfer.tenant)],
    run,
    recovery: job.recovery,
    messages: shape(job, counter, () =>
      transfer.source.read(job.contexts.source, transfer.sourceConfig, {
        streams: [stream],
        state,
      }),
    ),
  };
  try {
    const output = transfer.destination.write(
      job.contexts.destination,
      transfer.destinationConfig,
      request,
    );
    for await (const message of output) await onDestinationMessage(job, message);
  } catch (error) {
    const doing = `writing stream ${stream.name} to ${transfer.destination.type}`;
    throw connectorError(error, { transfer, role: 'destination', doing });
  }
  // File destinations report every committed file, so their rows must add up; for the others,
  // the write ended with every row durable, so the rows written are the rows sent.
  const reportsFiles = transfer.destination.capabilities.formats.length > 0;
  if (!reportsFiles) report.rows = counter.sent;
  if (reportsFiles && report.rows !== counter.sent) {
    throw new InternalError(
      `stream ${stream.name}: ${counter.sent} rows were sent to the destination but its files hold ${report.rows}`,
    );
  }
}

/**
 * The source's messages as the destination gets them: checked, tenant-filtered, counted. An
 * incremental stream must end with a checkpoint: rows after the last one would be written but not
 * covered by the saved state, so the next run would write them again.
 */
async function* shape(
  job: StreamJob,
  counter: { sent: number },
  read: () => AsyncIterable<SourceMessage>,
): AsyncIterable<DataMessage> {
  const { stream, transfer, report } = job;
  let sinceCheckpoint = 0;
  try {
    for await (const message of read()) {
      if (message.stream !== stream.name) {
        throw new InternalError(
          `the source sent stream "${message.stream}" while reading "${stream.name}"`,
        );
      }
      if (message.type === 'checkpoint') {
        sinceCheckpoint = 0;
        yield message;
        continue;
      }
      if (message.type === 'skipped') {
        onSkipped(job, message);
        continue;
      }
      report.rows_read += message.rows.length;
      sinceCheckpoint += message.rows.length;
      const rows =
        transfer.tenant === undefined ? message.rows : filterTenant(message.rows, transfer.tenant);
      if (rows.length === 0) continue;
      counter.sent += rows.length;
      yield rows === message.rows ? message : { type: 'batch', stream: stream.name, rows };
    }
    if (stream.syncMode === 'incremental' && sinceCheckpoint > 0) {
      throw new InternalError(
        `the source ended incremental stream ${stream.name} with ${sinceCheckpoint} rows after its last checkpoint; they are not written, since no state would cover them`,
      );
    }
  } catch (error) {
    throw connectorError(error, {
      transfer,
      role: 'source',
      doing: `reading stream ${stream.name} from ${transfer.source.type}`,
    });
  }
}

/** Counts records the source dropped; the first of a stream is named in the log. */
function onSkipped(job: StreamJob, message: SkippedMessage): void {
  const { report } = job;
  const { records, example } = message;
  const fields = { stream: job.stream.name, records, example };
  if (report.skipped === 0) job.contexts.source.logger.warn('skipped bad records', fields);
  else job.contexts.source.logger.debug('skipped bad records', fields);
  report.skipped += records;
}

async function onDestinationMessage(job: StreamJob, message: DestinationMessage): Promise<void> {
  if (message.stream !== job.stream.name) {
    throw new InternalError(
      `the destination answered for stream "${message.stream}" while writing "${job.stream.name}"`,
    );
  }
  if (message.type === 'file') {
    const { stream, key, rows, bytes } = message;
    const location = message.location ?? key;
    job.report.files += 1;
    job.report.rows += rows;
    job.report.bytes += bytes;
    job.report.written.push({ location, rows, bytes });
    job.onEvent({ type: 'file', stream, key, location, rows, bytes });
    return;
  }
  await job.keeper.acknowledge(job.run, message);
}
