import { field, t, type Field } from '@ferry/core';

/** Hive's name for a null partition value (`dt=__HIVE_DEFAULT_PARTITION__`). */
export const HIVE_NULL = '__HIVE_DEFAULT_PARTITION__';

/** Partition values of one file, by column, from its `key=value` directories; null for Hive's null. */
export type PartitionValues = Readonly<Record<string, string | null>>;

/**
 * The partition column and value a directory name stands for (`dt=2025-01-01`), or `undefined`
 * for a plain directory. Values are unescaped as Hive escapes them (`%3A` for `:`).
 */
export function partitionOf(
  directory: string,
): { column: string; value: string | null } | undefined {
  const cut = directory.indexOf('=');
  if (cut <= 0) return undefined;
  const column = directory.slice(0, cut);
  const raw = directory.slice(cut + 1);
  return { column, value: raw === HIVE_NULL ? null : unescapeHive(raw) };
}

function unescapeHive(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value; // a lone `%` is a character, not an escape
  }
}

const INTEGER = /^-?(0|[1-9][0-9]{0,18})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The typed columns of the partition values seen across a table's files, in order of first
 * appearance: `date` when every value is `YYYY-MM-DD` (a real date), `int64` when every value is
 * an integer that fits, else `string`; nullable, since a file may lack a level.
 */
export function partitionFields(files: readonly PartitionValues[]): Field[] {
  const values = new Map<string, (string | null)[]>();
  for (const partitions of files) {
    for (const [column, value] of Object.entries(partitions)) {
      let seen = values.get(column);
      if (seen === undefined) values.set(column, (seen = []));
      seen.push(value);
    }
  }
  return [...values].map(([column, seen]) => field(column, partitionType(seen)));
}

function partitionType(values: readonly (string | null)[]): Field['type'] {
  const present = values.filter((v): v is string => v !== null);
  if (present.length === 0) return t.string;
  if (present.every(isDate)) return t.date;
  if (present.every((v) => INTEGER.test(v) && fitsInt64(v))) return t.int64;
  return t.string;
}

function isDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

function fitsInt64(value: string): boolean {
  const n = BigInt(value);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** A partition value in the in-memory form of its column type (int64 as bigint). */
export function partitionValue(value: string | null, type: Field['type']): unknown {
  if (value === null) return null;
  return type.kind === 'int64' ? BigInt(value) : value;
}
