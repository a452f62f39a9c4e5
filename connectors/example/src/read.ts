import {
  ConfigError,
  isPlainObject,
  RecordError,
  type BatchMessage,
  type ConfiguredStream,
  type Context,
  type ReadRequest,
  type Row,
  type SourceMessage,
  type StreamState,
} from '@ferry/core';
import { decodeLine } from './codec.js';
import type { Config } from './config.js';
import { readLines } from './files.js';
import { readSchemaFile, streamFiles } from './layout.js';

/**
 * Reads the requested streams one after the other (see `source.ts` for the contract). The state of
 * an incremental stream is `{ "line": <lines read> }`: the data file only grows, so a line number
 * marks a position exactly (a cursor value would not, when rows share it).
 */
export async function* readStreams(
  ctx: Context,
  config: Config,
  request: ReadRequest,
): AsyncIterable<SourceMessage> {
  for (const stream of request.streams) {
    const files = streamFiles(config.path, stream.name);
    if ((await readSchemaFile(files)) === undefined) {
      throw new ConfigError({
        pointer: '/streams',
        message: `stream "${stream.name}" is not in ${config.path} (no ${stream.name}.schema.json)`,
      });
    }
    const incremental = stream.syncMode === 'incremental';
    const skip = incremental ? startLine(stream.name, request.state[stream.name]) : 0;
    yield* readStream({ ctx, stream, file: files.data, skip, batchRows: config.batch_rows });
  }
}

interface StreamRead {
  readonly ctx: Context;
  readonly stream: ConfiguredStream;
  readonly file: string;
  /** Lines already read by an earlier run. */
  readonly skip: number;
  readonly batchRows: number;
}

async function* readStream(read: StreamRead): AsyncIterable<SourceMessage> {
  const { stream, skip } = read;
  const incremental = stream.syncMode === 'incremental';
  let line = 0;
  let rows: Row[] = [];
  for await (const text of readLines(read.file)) {
    line += 1;
    if (line <= skip || text.trim() === '') continue;
    rows.push(parseLine(text, stream, line));
    if (rows.length < read.batchRows) continue;
    yield batchOf(read, rows);
    if (incremental) yield { type: 'checkpoint', stream: stream.name, state: { line } };
    rows = [];
  }
  if (rows.length > 0) yield batchOf(read, rows);
  // Always a final checkpoint, so a run that found nothing new still ends at a known position.
  const state = incremental ? { line: Math.max(line, skip) } : { complete: true };
  yield { type: 'checkpoint', stream: stream.name, state };
}

function batchOf(read: StreamRead, rows: Row[]): BatchMessage {
  // Checked before every batch: the runner aborts with a ferry error as the reason, which this
  // throws, so a cancelled run stops within one batch.
  read.ctx.signal.throwIfAborted();
  return { type: 'batch', stream: read.stream.name, rows };
}

function parseLine(text: string, stream: ConfiguredStream, line: number): Row {
  try {
    return decodeLine(text, stream.fields);
  } catch (error) {
    const position = { stream: stream.name, line };
    if (error instanceof RecordError) throw error.at(position);
    throw new RecordError('the line is not JSON', { position, cause: error });
  }
}

/**
 * The line to resume after.
 * @throws RecordError when the saved state is not `{ "line": <non-negative integer> }`.
 */
function startLine(stream: string, state: StreamState | undefined): number {
  if (state === undefined) return 0;
  const line = isPlainObject(state) ? state.line : undefined;
  if (typeof line === 'number' && Number.isSafeInteger(line) && line >= 0) return line;
  throw new RecordError(
    `the saved state ${JSON.stringify(state)} is not {"line": <non-negative integer>}`,
    { position: { stream } },
  );
}
