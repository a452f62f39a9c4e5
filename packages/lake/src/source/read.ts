import {
  ConfigError,
  type ConfiguredStream,
  type ReadRequest,
  type SourceMessage,
} from '@ferry/core';
import { dataFiles, offeredTables, type DataFile, type LakeRead } from './discover.js';
import { fileFormat } from './file-readers.js';
import { openFile, type OpenedFile } from './open-file.js';
import { parseFilesState, type FilesState } from './state.js';
import { keyPartitions, passes } from './table-files.js';

/**
 * Files of a table being read at once: the one being emitted and the next ones, each with its
 * first batch fetched (a Parquet footer and row group, or ~10k text rows), so small files and
 * object store latency do not serialise the read. Memory: about one batch per file.
 */
export const FILES_READ_AT_ONCE = 4;

/**
 * The most bytes of files (by listed size) read at once, the one being emitted included: a file
 * is opened ahead only while the files open and it stay within this, so large files (whose first
 * row group can be as large) are read one at a time and memory stays about one row group.
 */
export const READ_AHEAD_BYTES = 256 * 1024 * 1024;

/**
 * Reads the requested tables one after the other, and the files of each in order of (last
 * modified, key), up to {@link FILES_READ_AT_ONCE} and {@link READ_AHEAD_BYTES} at a time but
 * emitted one after the other: a file's
 * batches stream from its reader (a Parquet row group or ~10k text rows at a time), so memory
 * does not grow with file or table size, and a checkpoint between two files covers exactly the
 * files before it.
 *
 * `incremental` skips the files of the saved state whose ETag has not changed; `full_refresh`
 * reads every file. Both checkpoint `{files}` ({@link FilesState}) between files (see
 * {@link CHECKPOINT_SECONDS}) and after the last. Records dropped under `on_bad_record: skip` are
 * reported per file (`skipped`).
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

/**
 * When to checkpoint after a file: always after the last one; before that, once the files read
 * since the last checkpoint are a sixteenth of the state (each checkpoint copies the whole state,
 * so the copying stays proportional to the files read: 20,000 small files cost about 80
 * checkpoints, not 20,000), or {@link CHECKPOINT_SECONDS} have passed (so a slow read of a few
 * large files still saves progress and lets the destination commit).
 */
export const CHECKPOINT_SECONDS = 5;
const STATE_GROWTH = 16;

async function* readTable(read: LakeRead, table: TableRead): AsyncIterable<SourceMessage> {
  const name = table.stream.name;
  const logger = read.ctx.logger.child({ stream: name });
  const files = (await dataFiles(read, name)).sort(byTime);
  const done = keptState(read, table.state, files);
  const todo = files.filter((file) => done.get(file.key) !== file.etag);
  logger.debug('files to read', {
    files: todo.length,
    listed: files.length,
    forgotten: Object.keys(table.state.files).length - done.size,
  });
  const open = (file: DataFile): OpenedFile => openFile(read, { stream: table.stream, file });
  const waiting = [...todo];
  const ahead: OpenedFile[] = [];
  const budget = read.readAheadBytes ?? READ_AHEAD_BYTES;
  let since = { files: 0, at: Date.now() };
  try {
    for (;;) {
      for (let next = waiting[0]; next !== undefined; next = waiting[0]) {
        const bytes = ahead.reduce((sum, f) => sum + f.file.size, next.size);
        if (ahead.length === FILES_READ_AT_ONCE || (ahead.length > 0 && bytes > budget)) break;
        ahead.push(open(next));
        waiting.shift();
      }
      const current = ahead.shift();
      if (current === undefined) break;
      read.ctx.signal.throwIfAborted();
      // A file that changed since it was listed is not recorded: the next run reads it.
      if ((yield* current.messages()) === 'read') done.set(current.file.key, current.file.etag);
      since = { ...since, files: since.files + 1 };
      const last = ahead.length === 0 && waiting.length === 0;
      if (
        last ||
        since.files * STATE_GROWTH >= done.size ||
        Date.now() - since.at >= CHECKPOINT_SECONDS * 1000
      ) {
        yield checkpoint(name, done);
        since = { files: 0, at: Date.now() };
      }
    }
  } finally {
    for (const file of ahead) file.close();
  }
  // Also when nothing was new: the run ends at a known position (and forgets deleted files).
  if (todo.length === 0) yield checkpoint(name, done);
}

/**
 * The saved files still worth remembering: those listed now, and those the options kept out of
 * the listing (a partition filter or `format`: they may be listed again when the options
 * change). A file that was deleted is forgotten, so the state does not grow with every file the
 * table ever had; should the key come back, it is a new file and is read.
 */
function keptState(
  read: LakeRead,
  state: FilesState,
  listed: readonly DataFile[],
): Map<string, string> {
  const now = new Set(listed.map((f) => f.key));
  const filters = read.options.partition_filter;
  const kept = new Map<string, string>();
  for (const [key, etag] of Object.entries(state.files)) {
    const hidden =
      fileFormat(key, read.options.format) === undefined ||
      (filters.length > 0 && !passes(keyPartitions(key), filters));
    if (now.has(key) || hidden) {
      kept.set(key, etag);
    }
  }
  return kept;
}

function checkpoint(stream: string, done: ReadonlyMap<string, string>): SourceMessage {
  return { type: 'checkpoint', stream, state: { files: Object.fromEntries(done) } };
}

function byTime(a: DataFile, b: DataFile): number {
  const order = a.lastModified.getTime() - b.lastModified.getTime();
  return order !== 0 ? order : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
