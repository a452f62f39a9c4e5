import { RecordError, t, typeName, type Field, type FieldType } from '@ferry/core';
import { NO_VALUES_SAMPLED } from '@ferry/formats';

/** The columns of one file and where they come from. */
export interface FileSchema {
  /** The file, as named in messages (`store.describe(key)`). */
  readonly name: string;
  readonly fields: readonly Field[];
  /** True for CSV and JSONL, whose types are guesses from a sample, not declared. */
  readonly inferred: boolean;
}

interface Column {
  field: Field;
  /** The file the column's current type comes from (named in a clash). */
  from: string;
  inferred: boolean;
  /** Files that have the column. */
  seen: number;
}

/**
 * The columns of a table whose files are `schemas`, united by name in order of first appearance:
 * - equal types stay; int32 -> int64 -> float64 and date -> timestamp widen (the readers convert
 *   each file's values to the united type);
 * - between two inferred types (CSV, JSONL) the inference's own rule holds: anything with json is
 *   json, any other mix is string, as within one file;
 * - a column is nullable when it is in one file, or missing from another.
 *
 * @throws RecordError naming the column, both files and both types for any other mix (a Parquet
 *   string in one file and an int64 in another), positioned at `table`.
 */
export function uniteSchemas(table: string, schemas: readonly FileSchema[]): Field[] {
  const columns = new Map<string, Column>();
  for (const schema of schemas) {
    for (const f of schema.fields) {
      const known = columns.get(f.name);
      if (known === undefined) {
        columns.set(f.name, { field: f, from: schema.name, inferred: schema.inferred, seen: 1 });
        continue;
      }
      known.seen += 1;
      // A column no sampled record had a value for takes the type of a file that shows one.
      if (unknown(f)) {
        known.field = { ...known.field, nullable: true };
        continue;
      }
      if (unknown(known.field)) {
        columns.set(f.name, {
          field: { ...f, nullable: true },
          from: schema.name,
          inferred: schema.inferred,
          seen: known.seen,
        });
        continue;
      }
      const type = unitedType(known.field.type, f.type, known.inferred && schema.inferred);
      if (type === undefined) throw clash(table, { column: known, field: f, file: schema.name });
      if (typeName(type) !== typeName(known.field.type)) {
        known.from = schema.name;
        known.inferred = schema.inferred;
      }
      known.field = { ...known.field, type, nullable: known.field.nullable || f.nullable };
    }
  }
  return [...columns.values()].map(({ field, seen }) =>
    seen === schemas.length ? field : { ...field, nullable: true },
  );
}

/** An inferred column without a value in the sample (its `string` type is a placeholder). */
function unknown(f: Field): boolean {
  return f.description === NO_VALUES_SAMPLED;
}

const RANK: Partial<Record<FieldType['kind'], number>> = { int32: 0, int64: 1, float64: 2 };

function unitedType(a: FieldType, b: FieldType, inferred: boolean): FieldType | undefined {
  if (typeName(a) === typeName(b)) return a;
  const [ra, rb] = [RANK[a.kind], RANK[b.kind]];
  if (ra !== undefined && rb !== undefined) return ra > rb ? a : b;
  const kinds = new Set([a.kind, b.kind]);
  if (kinds.has('date') && kinds.has('timestamp')) return t.timestamp;
  if (!inferred) return undefined;
  return kinds.has('json') ? t.json : t.string;
}

interface Clash {
  readonly column: Column;
  readonly field: Field;
  readonly file: string;
}

function clash(table: string, { column, field, file }: Clash): RecordError {
  return new RecordError(
    `the files of the table disagree on column "${field.name}": ${typeName(column.field.type)} in ${column.from}, ${typeName(field.type)} in ${file}; rewrite one of them, or exclude the table`,
    { position: { stream: table, field: field.name } },
  );
}
