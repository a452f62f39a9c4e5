import {
  RecordError,
  toFerryError,
  type ConfiguredStream,
  type Field,
  type SourceMessage,
} from '@ferry/core';
import type { RowBatch } from '@ferry/formats';
import { isObjectVersionError } from '@ferry/storage';
import { MAX_SCHEMA_FILES, withStream, type DataFile, type LakeRead } from './discover.js';
import { fileRows, storeByteSource } from './file-readers.js';
import { partitionValue } from './partitions.js';

/** What to open: a file of a stream. */
export interface FileOfStream {
  readonly stream: ConfiguredStream;
  readonly file: DataFile;
}

/**
 * A data file being read: its first batch is fetched as soon as it is opened (so files opened
 * ahead are read while an earlier one is emitted), and nothing more until {@link messages}
 * pulls it; at most one batch waits per file.
 */
/** How reading a file ended: read whole, or left for the next run. */
export type FileOutcome = 'read' | 'changed';

export interface OpenedFile {
  readonly file: DataFile;
  /**
   * The file's batches (partition values added), then a `skipped` message if records were.
   * Returns `changed` (and yields nothing) when, in an incremental read, the file was rewritten or
   * deleted after it was listed and before its first row was read: it is not read this run, and
   * must not be recorded as read. A change noticed later (a Parquet row group after the first),
   * or in a full refresh, fails the read.
   */
  messages(): AsyncGenerator<SourceMessage, FileOutcome>;
  /** Stops the read and releases its stream (for files opened ahead and never emitted). */
  close(): void;
}

/**
 * Opens `file` for reading as `stream`'s fields: the reader reads the fields that are not
 * partition columns of this file, and the partition values are added to each row. Once read, the
 * file's columns that the stream lacks are logged ({@link logExtraColumns}).
 * Errors (a RecordError naming the stream, the file and the line or row group) surface from
 * {@link OpenedFile.messages}, in the order files are emitted, never from opening.
 */
export function openFile(read: LakeRead, { stream, file }: FileOfStream): OpenedFile {
  // A signal per file: closing a file opened ahead stops its read, and its abort listeners do
  // not pile up on the run's signal.
  const controller = new AbortController();
  const signal = AbortSignal.any([read.ctx.signal, controller.signal]);
  const source = storeByteSource(read.store, file, { signal, pinned: true });
  const inPath = (f: Field): boolean => Object.hasOwn(file.partitions, f.name);
  const fields = stream.fields.filter((f) => !inPath(f));
  const reader = fileRows(source, { format: file.format, options: read.options, signal, fields });
  const iterator = reader[Symbol.asyncIterator]();
  const fail = (error: unknown): never => {
    if (read.ctx.signal.aborted) throw error;
    throw toFerryError(withStream(error, stream.name), `reading ${source.name}`);
  };
  const pending = (async () => {
    const at = { stream: stream.name, key: source.name };
    const partitions = stream.fields.filter(inPath).map((f) => ({
      name: f.name,
      value: partitionCell(f, file.partitions[f.name] ?? null, at),
    }));
    try {
      return { partitions, first: await iterator.next() };
    } catch (error) {
      // Rewritten or deleted since it was listed, before any row: an incremental read leaves it
      // for the next listing. A full refresh must not (a snapshot without it would replace the
      // table), so it fails: the next run reads the new version.
      const incremental = stream.syncMode === 'incremental';
      if (!incremental || !isObjectVersionError(error) || read.ctx.signal.aborted) throw error;
      const changed = toFerryError(error, `reading ${source.name}`).message;
      return { partitions, first: { done: true, value: undefined } as const, changed };
    }
  })().catch(fail);
  pending.catch(() => undefined); // surfaces in order, from messages()
  return {
    file,
    close: () => {
      controller.abort(new Error('closed'));
      void iterator.return?.().catch(() => undefined);
    },
    messages: async function* () {
      const { partitions, first, changed } = await pending;
      if (changed !== undefined) {
        read.ctx.logger.warn('a file changed since it was listed; the next run reads it', {
          stream: stream.name,
          key: source.name,
          error: changed,
        });
        return 'changed';
      }
      let next: IteratorResult<RowBatch> = first;
      try {
        while (next.done !== true) {
          const rows = next.value.rows;
          for (const row of rows) for (const p of partitions) row[p.name] = p.value;
          read.ctx.signal.throwIfAborted();
          yield { type: 'batch', stream: stream.name, rows };
          next = await iterator.next().catch(fail);
        }
      } finally {
        await iterator.return?.();
      }
      logExtraColumns(read, { stream: stream.name, file, key: source.name }, reader.extraColumns);
      if (reader.skipped > 0) {
        const example = reader.firstSkipped?.message ?? `records of ${source.name}`;
        yield { type: 'skipped', stream: stream.name, records: reader.skipped, example };
      }
      return 'read';
    },
  };
}

/** Sets of extra columns warned of per stream and read; further ones are logged at debug. */
export const EXTRA_COLUMN_WARNINGS = 10;

/** Per read: per stream, the sets of extra columns warned of (`a, b`). */
const warnedExtra = new WeakMap<LakeRead, Map<string, Set<string>>>();

/**
 * Logs the columns of a file that are not among its stream's (so not imported: discover reads
 * the columns of at most {@link MAX_SCHEMA_FILES} files of a table), leaving out the partition
 * columns of its path (read from the path on purpose, see {@link openFile}). At warn the first
 * time a stream's file has a given set of them, for up to {@link EXTRA_COLUMN_WARNINGS} sets per
 * stream and read, so a table of 20,000 such files does not log 20,000 warnings; else at debug.
 * JSON Lines files report none (see `RowReader.extraColumns`).
 */
function logExtraColumns(
  read: LakeRead,
  at: { readonly stream: string; readonly file: DataFile; readonly key: string },
  columns: readonly string[],
): void {
  const extra = columns.filter((name) => !Object.hasOwn(at.file.partitions, name));
  if (extra.length === 0) return;
  const streams = warnedExtra.get(read) ?? new Map<string, Set<string>>();
  warnedExtra.set(read, streams);
  const warned = streams.get(at.stream) ?? new Set<string>();
  streams.set(at.stream, warned);
  const names = extra.join(', ');
  const message = `file has columns the catalog does not; they are not imported (discover reads the columns of at most ${MAX_SCHEMA_FILES} files of a table)`;
  const fields = { stream: at.stream, key: at.key, columns: names };
  if (warned.has(names) || warned.size >= EXTRA_COLUMN_WARNINGS) {
    read.ctx.logger.debug(message, fields);
    return;
  }
  warned.add(names);
  read.ctx.logger.warn(message, fields);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INTEGER = /^-?\d{1,19}$/;

/**
 * A partition value as its catalog column's type.
 * @throws RecordError when the directory's value is not of that type (a new partition `dt=latest`
 *   in a table discovered with dates): discover again to see the column's new type.
 */
function partitionCell(
  column: Field,
  value: string | null,
  at: { stream: string; key: string },
): unknown {
  const kind = column.type.kind;
  const fits =
    value === null ||
    kind === 'string' ||
    (kind === 'date' && DATE.test(value)) ||
    (kind === 'int64' && INTEGER.test(value));
  if (!fits) {
    throw new RecordError(
      `partition value "${value}" is not a ${kind}, the type of column ${column.name}; run discover again to see the column's type now`,
      { position: { ...at, field: column.name } },
    );
  }
  return partitionValue(value, column.type);
}
