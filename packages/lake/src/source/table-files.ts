import { listAll, type ObjectInfo, type ObjectStore } from '@ferry/storage';
import { partitionOf, type PartitionValues } from './partitions.js';

/** One data file of a table, with the partition values of the directories above it. */
export interface TableFile extends ObjectInfo {
  readonly partitions: PartitionValues;
}

/** A condition on a partition column; every filter must hold for a directory to be read. */
export interface PartitionFilter {
  readonly column: string;
  readonly op: '=' | '!=' | '<' | '<=' | '>' | '>=';
  readonly value: string;
}

/**
 * Whether a name is no data: hidden (`.x`, as temporary files are) or reserved (`_SUCCESS`,
 * `_ferry/`, `_delta_log/`).
 */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('_') || name.startsWith('.');
}

/**
 * The tables under the store's root: every directory directly under it whose name is not
 * ignored ({@link isIgnoredName}), sorted.
 */
export async function listTables(store: ObjectStore): Promise<string[]> {
  const tables: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list(
      cursor === undefined ? { delimiter: '/' } : { delimiter: '/', cursor },
    );
    for (const prefix of page.prefixes) {
      const name = prefix.slice(0, -1);
      if (!isIgnoredName(name)) tables.push(name);
    }
    cursor = page.cursor;
  } while (cursor !== undefined);
  return tables.sort();
}

/** What a filtered listing came across: partition columns of directories, read or pruned. */
export interface ListingSeen {
  readonly columns: Set<string>;
  /** Objects and directories listed. */
  entries: number;
  /** Directories a filter rejected, looked into for the partition levels below them. */
  probed: number;
  /** Directories a filter rejected and nothing looked into while a filter column was unknown. */
  unprobed: number;
}

/** Pruned directories looked into per listing, to learn the partition levels below them. */
export const MAX_PROBES = 20;

/** An empty {@link ListingSeen}. */
export function listingSeen(): ListingSeen {
  return { columns: new Set(), entries: 0, probed: 0, unprobed: 0 };
}

/**
 * The data files of `table`, at any depth below it, with their partition values
 * (`dt=2025-01-01/` gives `dt`). Files or directories with ignored names are skipped. Without
 * filters the table is listed flat (one request per 1000 files); with filters it is walked a
 * level at a time, and a `key=value` directory that a filter rejects is never listed.
 */
export async function* tableFiles(
  store: ObjectStore,
  table: string,
  listing: { filters?: readonly PartitionFilter[]; seen?: ListingSeen } = {},
): AsyncIterable<TableFile> {
  const { filters = [], seen } = listing;
  if (filters.length === 0) {
    for await (const object of listAll(store, `${table}/`)) {
      const file = fileAt(object, table);
      if (file !== undefined) yield file;
    }
    return;
  }
  yield* walk(store, { table, prefix: `${table}/`, filters, seen });
}

function fileAt(object: ObjectInfo, table: string): TableFile | undefined {
  const segments = object.key.slice(table.length + 1).split('/');
  if (segments.some(isIgnoredName)) return undefined;
  return { ...object, partitions: directoryPartitions(segments.slice(0, -1)) };
}

/** The partition values of the directories of a table file's key (`<table>/dt=…/x.parquet`). */
export function keyPartitions(key: string): PartitionValues {
  return directoryPartitions(key.split('/').slice(1, -1));
}

function directoryPartitions(directories: readonly string[]): PartitionValues {
  const partitions: Record<string, string | null> = {};
  for (const directory of directories) {
    const partition = partitionOf(directory);
    if (partition !== undefined) partitions[partition.column] = partition.value;
  }
  return partitions;
}

interface Level {
  readonly table: string;
  readonly prefix: string;
  readonly filters: readonly PartitionFilter[];
  /** Where to note what the walk came across (and probe pruned directories); none: nowhere. */
  readonly seen: ListingSeen | undefined;
}

async function* walk(store: ObjectStore, level: Level): AsyncIterable<TableFile> {
  const directories: string[] = [];
  let cursor: string | undefined;
  do {
    const options = { prefix: level.prefix, delimiter: '/' as const };
    const page = await store.list(cursor === undefined ? options : { ...options, cursor });
    for (const object of page.objects) {
      const file = fileAt(object, level.table);
      if (file !== undefined && passes(file.partitions, level.filters)) yield file;
    }
    directories.push(...page.prefixes);
    if (level.seen !== undefined) level.seen.entries += page.objects.length + page.prefixes.length;
    cursor = page.cursor;
  } while (cursor !== undefined);
  for (const directory of directories) {
    const name = directory.slice(level.prefix.length, -1);
    if (isIgnoredName(name)) continue;
    const partition = partitionOf(name);
    if (partition !== undefined) level.seen?.columns.add(partition.column);
    if (
      partition !== undefined &&
      !passes({ [partition.column]: partition.value }, level.filters)
    ) {
      if (level.seen !== undefined) {
        await probe(store, directory, { filters: level.filters, seen: level.seen });
      }
      continue;
    }
    yield* walk(store, { ...level, prefix: directory });
  }
}

/**
 * Learns the partition levels below a pruned directory, while a filter names a column no
 * directory listed had and fewer than {@link MAX_PROBES} were looked into: its subdirectories are
 * listed (one request per level, following the first `key=value` one down; files such as
 * `_SUCCESS` beside them do not hide them), so a filter on a deeper level (`hour` below `dt`) is
 * known to be no typo. A pruned directory not looked into is counted as such.
 */
async function probe(
  store: ObjectStore,
  directory: string,
  walk: { readonly filters: readonly PartitionFilter[]; readonly seen: ListingSeen },
): Promise<void> {
  const { filters, seen } = walk;
  if (filters.every((f) => seen.columns.has(f.column))) return;
  if (seen.probed >= MAX_PROBES) {
    seen.unprobed += 1;
    return;
  }
  seen.probed += 1;
  let prefix: string | undefined = directory;
  for (let depth = 0; prefix !== undefined && depth < MAX_PROBE_DEPTH; depth += 1) {
    const page = await store.list({ prefix, delimiter: '/' });
    const below: string = prefix;
    prefix = undefined;
    for (const sub of page.prefixes) {
      const partition = partitionOf(sub.slice(below.length, -1));
      if (partition === undefined) continue;
      seen.columns.add(partition.column);
      prefix ??= sub;
    }
  }
}

/** Levels a probe goes down at most. */
const MAX_PROBE_DEPTH = 8;

/**
 * Whether partition values satisfy every filter on the columns they hold (a filter on a column
 * not among them holds: it is decided further down, or the table has no such level). A null
 * value satisfies no filter, as in SQL. Integers compare as numbers, anything else as text
 * (`YYYY-MM-DD` dates sort as text).
 */
export function passes(partitions: PartitionValues, filters: readonly PartitionFilter[]): boolean {
  return filters.every((filter) => {
    if (!Object.hasOwn(partitions, filter.column)) return true;
    const value = partitions[filter.column];
    if (value === null || value === undefined) return false;
    return holds(compare(value, filter.value), filter.op);
  });
}

const INTEGER = /^-?\d+$/;

function compare(a: string, b: string): number {
  if (INTEGER.test(a) && INTEGER.test(b)) {
    const [x, y] = [BigInt(a), BigInt(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function holds(order: number, op: PartitionFilter['op']): boolean {
  switch (op) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}
