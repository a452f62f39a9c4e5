import {
  ConfigError,
  type ConfiguredStream,
  type ReadRequest,
  type SourceMessage,
} from '@ferry/core';
import { dataFiles, offeredTables, type DataFile, type LakeRead } from './discover.js';
import { openFile, type OpenedFile } from './open-file.js';
import { parseFilesState, type FilesState } from './state.js';

/**
 * Files of a table being read at once: the one being emitted and the next ones, each with its
 * first batch fetched (a Parquet footer and row group, or ~10k text rows), so small files and
 * object store latency do not serialise the read. Memory: about one batch per file.
 */
export const FILES_READ_AT_ONCE = 4;

/**
 * Reads the requested tables one after the other, and the files of each in order of (last
 * modified, key), {@link FILES_READ_AT_ONCE} at a time but emitted one after the other: a file's
 * batches stream from its reader (a Parquet row group or ~10k text rows at a time), so memory
 * does not grow with file or table size, and the checkpoint after each file covers exactly the
 * files before it.
 *
 * `incremental` skips the files of the saved state whose ETag has not changed; `full_refresh`
 * reads every file. Both checkpoint `{files}` ({@link FilesState}) after each file and once at
 * the end. Records dropped under `on_bad_record: skip` are reported per file (`skipped`).
 *
 * @throws ConfigError for a stream that is not an offered table; RecordError for a state this
 *   source did not write (both before any row), and for a file that cannot be read, naming the
 *   table, the file and the line or row group; the signal's reason when aborted.
 */
export async function* readTables(
  read: LakeRead,
  request: ReadRequest,
): AsyncIterable<SourceMessage> {
  const offered = new Set(await offeredTables(read));
  const states = new Map<string, FilesState>();
  for (const stream of request.streams) {
    if (!offered.has(stream.name)) {
      throw new ConfigError({
        pointer: '/streams',
        message: `stream "${stream.name}" is not a table of ${read.store.location} (or is excluded by the source config)`,
      });
    }
    const incremental = stream.syncMode === 'incremental';
    states.set(
      stream.name,
      incremental ? parseFilesState(stream.name, request.state[stream.name]) : { files: {} },
    );
  }
  for (const stream of request.streams) {
    yield* readTable(read, { stream, state: states.get(stream.name) ?? { files: {} } });
  }
}

interface TableRead {
  readonly stream: ConfiguredStream;
  readonly state: FilesState;
}

async function* readTable(read: LakeRead, table: TableRead): AsyncIterable<SourceMessage> {
  const name = table.stream.name;
  const logger = read.ctx.logger.child({ stream: name });
  const done: Record<string, string> = { ...table.state.files };
  const files = (await dataFiles(read, name)).sort(byTime);
  const todo = files.filter((file) => done[file.key] !== file.etag);
  logger.debug('files to read', { files: todo.length, listed: files.length });
  const open = (file: DataFile): OpenedFile => openFile(read, { stream: table.stream, file });
  const waiting = [...todo];
  const ahead: OpenedFile[] = [];
  try {
    for (;;) {
      for (let file = waiting.shift(); file !== undefined; file = waiting.shift()) {
        ahead.push(open(file));
        if (ahead.length === FILES_READ_AT_ONCE) break;
      }
      const current = ahead.shift();
      if (current === undefined) break;
      read.ctx.signal.throwIfAborted();
      yield* current.messages();
      done[current.file.key] = current.file.etag;
      yield { type: 'checkpoint', stream: name, state: { files: { ...done } } };
    }
  } finally {
    for (const file of ahead) file.close();
  }
  // Also when nothing was new: the run ends at a known position.
  if (todo.length === 0) yield { type: 'checkpoint', stream: name, state: { files: done } };
}

function byTime(a: DataFile, b: DataFile): number {
  const order = a.lastModified.getTime() - b.lastModified.getTime();
  return order !== 0 ? order : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
