import {
  defineDestination,
  InternalError,
  toFerryError,
  type Context,
  type Destination,
  type DestinationMessage,
  type WriteRequest,
} from '@ferry/core';
import { configSchema, type Config } from './config.js';
import { checkDirectory, makeDirectory } from './files.js';
import { streamFiles } from './layout.js';
import { recoverStream } from './recovery.js';
import { StreamWriter } from './stream-writer.js';

/**
 * The `example` destination: writes each stream to `<path>/<stream>.jsonl`, one JSON object per
 * line, with its fields in `<path>/<stream>.schema.json`.
 *
 * - `check` creates the directory if missing and writes and deletes a probe file in it;
 *   `{ok: false}` when that fails (the path is a file, permission denied).
 * - `write` first removes what unfinished earlier runs left (see `recovery.ts`). `append` streams
 *   grow and each checkpoint is acknowledged once the rows before it are on disk; `replace`
 *   streams become the new snapshot at the end, all at once. A row that does not fit its fields is
 *   a `RecordError` naming stream, row and field. On error or abort, each file is cut back to its
 *   size at the last ack (an unfinished snapshot is deleted) and a ferry error is thrown.
 */
export const destination: Destination<Config> = defineDestination<Config>({
  type: 'example',
  title: 'Example JSON Lines directory',
  summary: 'Writes each stream to a JSON Lines file in a local directory.',
  configSchema,
  // Not a lake: formats and layouts are for destinations that write many files per stream.
  capabilities: { writeModes: ['append', 'replace'], formats: [], layouts: [] },
  check: (_ctx, config) => checkDirectory(config.path, 'write'),
  write,
});

async function* write(
  ctx: Context,
  config: Config,
  request: WriteRequest,
): AsyncIterable<DestinationMessage> {
  const writers = new Map<string, StreamWriter>();
  let finished = false;
  try {
    await makeDirectory(config.path);
    for (const stream of request.streams) {
      const logger = ctx.logger.child({ stream: stream.name });
      const files = streamFiles(config.path, stream.name);
      await recoverStream(files, request.recovery ?? [], { stream: stream.name, logger });
      const spec = { dir: config.path, stream, run: request.run, logger };
      writers.set(stream.name, await StreamWriter.open(spec));
    }
    for await (const message of request.messages) {
      ctx.signal.throwIfAborted();
      const writer = writers.get(message.stream);
      if (writer === undefined) {
        throw new InternalError(`received stream "${message.stream}", which was not requested`);
      }
      if (message.type === 'batch') await writer.write(message.rows);
      else yield* await writer.checkpoint(message.state);
    }
    for (const writer of writers.values()) yield await writer.finish();
    finished = true;
  } catch (error) {
    throw toFerryError(error, `writing to ${config.path}`);
  } finally {
    // Also reached when the runner stops pulling (return() at a yield).
    if (!finished) for (const writer of writers.values()) await writer.rollBack();
  }
}
