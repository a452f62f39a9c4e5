import {
  ConfigError,
  RecordError,
  TransientError,
  type CatalogStream,
  type Context,
  type Field,
} from '@ferry/core';
import { isObjectVersionError, type ObjectStore } from '@ferry/storage';
import pLimit from 'p-limit';
import { fileFields, fileFormat, storeByteSource, type FileFormat } from './file-readers.js';
import type { LakeSourceOptions } from './options.js';
import { partitionFields } from './partitions.js';
import { listTables, tableFiles, type ListingSeen, type TableFile } from './table-files.js';
import { uniteSchemas, type FileSchema } from './unite.js';

/** Files whose schema discover reads per table at most (footers or samples), spread over it. */
export const MAX_SCHEMA_FILES = 100;
/** Footers or samples read at the same time. */
export const SCHEMA_CONCURRENCY = 8;

/** A data file of a table with the format it is read as. */
export interface DataFile extends TableFile {
  readonly format: FileFormat;
}

/** Where and how a lake source reads. */
export interface LakeRead {
  readonly ctx: Context;
  readonly store: ObjectStore;
  readonly options: LakeSourceOptions;
  /** Bytes of files read at once (`READ_AHEAD_BYTES` in read.ts when absent; tests set less). */
  readonly readAheadBytes?: number;
}

/** The tables the options offer: every table under the root, or only `tables`, less `exclude_tables`. */
export async function offeredTables(read: LakeRead): Promise<string[]> {
  const { tables, exclude_tables: excluded } = read.options;
  const all = await listTables(read.store);
  return all.filter(
    (name) => (tables.length === 0 || tables.includes(name)) && !excluded.includes(name),
  );
}

/**
 * The data files of `table` that the options read (format and partition filters), each with its
 * format; zero-byte files are left out (placeholders some tools write, and no valid Parquet).
 */
export async function dataFiles(
  read: LakeRead,
  table: string,
  seen?: ListingSeen,
): Promise<DataFile[]> {
  const files: DataFile[] = [];
  let ignored = 0;
  for await (const file of tableFiles(read.store, table, {
    filters: read.options.partition_filter,
    ...(seen === undefined ? {} : { seen }),
  })) {
    const format = fileFormat(file.key, read.options.format);
    if (format === undefined || file.size === 0) ignored += 1;
    else files.push({ ...file, format });
  }
  if (ignored > 0) {
    read.ctx.logger.debug('ignored files of another format or empty', {
      stream: table,
      files: ignored,
    });
  }
  return files;
}

/**
 * The catalog stream of `table`, or `undefined` when it has no data file (nothing to type its
 * columns by; it appears once a file does). Columns: the union of the files' own columns
 * ({@link uniteSchemas}) from at most {@link MAX_SCHEMA_FILES} files ({@link schemaSample}: the
 * newest and some spread over the rest); when there are more files, every column is nullable,
 * since a file not read may lack it (and a column only older unsampled files have is missed).
 * Then the partition columns of every file ({@link partitionFields}). A name that is both a partition and a file column is the partition
 * column, typed and valued from the directories, as in Hive and Spark (the path is what the
 * table is partitioned by).
 * @throws RecordError naming the table and the file(s) when a sampled file cannot be read or two
 *   files disagree on a column's type.
 */
export async function discoverTable(
  read: LakeRead,
  table: string,
  seen?: ListingSeen,
): Promise<CatalogStream | undefined> {
  const files = (await dataFiles(read, table, seen)).sort((a, b) => (a.key < b.key ? -1 : 1));
  if (files.length === 0) {
    read.ctx.logger.info('skipped a table without data files', { stream: table });
    return undefined;
  }
  const partitions = partitionFields(files.map((f) => f.partitions));
  const names = new Set(partitions.map((f) => f.name));
  const sampled = await sampledSchema(read, table, files);
  if (sampled === undefined) {
    read.ctx.logger.info('skipped a table whose files were deleted meanwhile', { stream: table });
    return undefined;
  }
  const columns = sampled
    .filter((f) => !names.has(f.name))
    .map((f) => (files.length > MAX_SCHEMA_FILES ? { ...f, nullable: true } : f));
  return {
    name: table,
    description: schemaNote(files.length),
    fields: [...columns, ...partitions],
    incrementalState: 'source',
    syncModes: ['full_refresh', 'incremental'],
    defaultSyncMode: 'incremental',
    defaultWriteMode: 'append',
  };
}

/**
 * The united columns of the sampled files, or `undefined` when every file of the table was
 * deleted since it was listed (no data to type it by).
 * @throws TransientError when every sampled file was deleted but others were not sampled.
 */
async function sampledSchema(
  read: LakeRead,
  table: string,
  files: readonly DataFile[],
): Promise<Field[] | undefined> {
  const limit = pLimit(SCHEMA_CONCURRENCY);
  const schemas = await Promise.all(
    schemaSample(files, MAX_SCHEMA_FILES).map((file) => limit(() => sampleFile(read, table, file))),
  );
  const found = schemas.filter((s) => s !== undefined);
  if (found.length > 0) return uniteSchemas(table, found);
  if (files.length <= MAX_SCHEMA_FILES) return undefined;
  // Files not sampled may still be there (a compaction rewriting the table): list again.
  throw new TransientError(
    `every file of table ${table} that discover sampled was deleted since it was listed; run again`,
  );
}

/** Times a sampled file that keeps changing is looked up and read again before discover fails. */
const SAMPLE_ATTEMPTS = 3;

/**
 * The columns of one file, read as the version listed. A file rewritten since then is looked up
 * again and its new version read (never a mix of two versions); one deleted since is left out
 * (`undefined`: it has no rows to type).
 * @throws RecordError naming the table and the file; the TransientError of a file that changed
 *   on each of {@link SAMPLE_ATTEMPTS} reads.
 */
async function sampleFile(
  read: LakeRead,
  table: string,
  listed: DataFile,
): Promise<FileSchema | undefined> {
  const { signal } = read.ctx;
  let file = listed;
  for (let attempt = 1; ; attempt += 1) {
    signal.throwIfAborted();
    // A signal per file: its readers' abort listeners do not pile up on the run's signal.
    const fileSignal = AbortSignal.any([signal]);
    const source = storeByteSource(read.store, file, { signal: fileSignal, pinned: true });
    try {
      const options = { format: file.format, options: read.options, signal: fileSignal };
      const fields = await fileFields(source, options);
      return { name: source.name, fields, inferred: file.format !== 'parquet' };
    } catch (error) {
      if (!isObjectVersionError(error) || attempt === SAMPLE_ATTEMPTS) {
        throw withStream(error, table);
      }
      const now = await read.store.head(file.key);
      read.ctx.logger.debug('a sampled file changed since it was listed', {
        stream: table,
        key: source.name,
        deleted: now === undefined,
      });
      if (now === undefined || now.size === 0) return undefined;
      file = { ...file, ...now };
    }
  }
}

/**
 * The files whose schema stands for a table of more than `count`: the newest half (columns are
 * usually added over time, and new files are what an incremental run reads) and the rest spread
 * evenly over the others in key order, the first and the last included.
 */
export function schemaSample(files: readonly DataFile[], count: number): DataFile[] {
  if (files.length <= count) return [...files];
  const newest = [...files]
    .sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime())
    .slice(0, Math.floor(count / 2));
  const chosen = new Set(newest);
  return [
    ...spread(
      files.filter((f) => !chosen.has(f)),
      count - newest.length,
    ),
    ...newest,
  ];
}

/** At most `count` items of `items`, evenly spread, the first and the last included. */
export function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  const step = (items.length - 1) / (count - 1);
  return Array.from({ length: count }, (_, k) => items[Math.round(k * step)] as T);
}

/** `error` with the table named when it is a RecordError (the readers name the file and line). */
export function withStream(error: unknown, stream: string): unknown {
  return error instanceof RecordError ? error.at({ stream }) : error;
}

function schemaNote(files: number): string {
  if (files === 1) return '1 data file';
  const read =
    files <= MAX_SCHEMA_FILES
      ? 'all of them'
      : `${MAX_SCHEMA_FILES} of them, the ${MAX_SCHEMA_FILES / 2} newest included`;
  return `${files} data files; columns from ${read}`;
}

/**
 * Refuses a partition filter on a column no table is partitioned by (a typo such as `date` for
 * `dt` would otherwise hold everywhere and read every file): the columns are those of the
 * directories listed and of the levels below up to `MAX_PROBES` pruned directories. When pruned
 * directories were left unexamined, a column may hide below them: a warning then, not an error.
 * @throws ConfigError at the filter's column.
 */
export function checkFilterColumns(read: LakeRead, seen: ListingSeen): void {
  if (seen.entries === 0) return;
  const known = [...seen.columns].sort();
  const issues = read.options.partition_filter.flatMap((filter, index) =>
    seen.columns.has(filter.column)
      ? []
      : [
          {
            pointer: `/partition_filter/${index}/column`,
            message: `no table under ${read.store.location} has "${filter.column}=" directories (${known.length === 0 ? 'no table is partitioned' : `partition columns: ${known.join(', ')}`})`,
          },
        ],
  );
  if (issues.length === 0) return;
  if (seen.unprobed === 0) throw new ConfigError(issues);
  for (const issue of issues) {
    read.ctx.logger.warn(
      'a partition filter names a column not seen in the directories examined; if it is a typo, it filters nothing',
      {
        pointer: issue.pointer,
        problem: issue.message,
      },
    );
  }
}
