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

/** Paths (`col`, `col.member`, `col[]` for list items) -> the files their united type is from. */
type Origins = Map<string, readonly string[]>;

interface Column {
  field: Field;
  /** Named in a clash: the files the type at each path of the column comes from. */
  origins: Origins;
  inferred: boolean;
  /** Files that have the column. */
  seen: number;
}

/**
 * The widest decimal a table may have. ferry's types have no bound, but 38 digits is the widest
 * decimal of Parquet readers (DuckDB, Spark, Arrow's decimal128) and of most warehouses; a wider
 * union would surprise every destination.
 */
const MAX_DECIMAL_PRECISION = 38;

/**
 * The columns of a table whose files are `schemas`, united by name in order of first appearance:
 * - equal types stay; int32 -> int64 -> float64 and date -> timestamp widen (the readers convert
 *   each file's values to the united type, see `widening` in @ferry/formats);
 * - decimals, and int32 or int64 with a decimal, unite to the decimal holding both: the larger
 *   scale and the most integer digits (int32 needs 10, int64 19), at most 38 digits in all;
 * - structs unite member by member (recursively, members in order of first appearance, a member
 *   missing from one file nullable), lists by their items (a Parquet map is a list of structs);
 * - between two inferred types (CSV, JSONL) the inference's own rule holds: anything with json is
 *   json, any other mix is string, as within one file;
 * - a column is nullable when it is in one file, or missing from another.
 *
 * @throws RecordError naming the column (or member path, `col.member`, `col[]` for list items),
 *   both files and both types for any other mix (a Parquet string in one file and an int64 in
 *   another, decimals that need more than 38 digits together), positioned at `table`.
 */
export function uniteSchemas(table: string, schemas: readonly FileSchema[]): Field[] {
  const columns = new Map<string, Column>();
  for (const schema of schemas) {
    for (const f of schema.fields) {
      const known = columns.get(f.name);
      if (known === undefined) {
        columns.set(f.name, firstSeen(f, schema, 1));
        continue;
      }
      known.seen += 1;
      // A column no sampled record had a value for takes the type of a file that shows one.
      if (unknown(f)) {
        known.field = { ...known.field, nullable: true };
        continue;
      }
      if (unknown(known.field)) {
        columns.set(f.name, firstSeen({ ...f, nullable: true }, schema, known.seen));
        continue;
      }
      const inferred = known.inferred && schema.inferred;
      const uniting = { table, file: schema.name, inferred, origins: known.origins, path: f.name };
      const type = uniteTypes(known.field.type, f.type, uniting);
      if (typeName(type) !== typeName(known.field.type)) known.inferred = schema.inferred;
      known.field = { ...known.field, type, nullable: known.field.nullable || f.nullable };
    }
  }
  return [...columns.values()].map(({ field, seen }) =>
    seen === schemas.length ? field : { ...field, nullable: true },
  );
}

function firstSeen(f: Field, schema: FileSchema, seen: number): Column {
  const origins: Origins = new Map();
  claim(origins, { type: f.type, path: f.name, file: schema.name });
  return { field: f, origins, inferred: schema.inferred, seen };
}

/** Records `file` as the origin of the type at `path` and at every path inside it. */
function claim(origins: Origins, at: { type: FieldType; path: string; file: string }): void {
  const { type, path, file } = at;
  origins.set(path, [file]);
  if (type.kind === 'list') claim(origins, { type: type.items, path: `${path}[]`, file });
  if (type.kind !== 'struct') return;
  for (const m of type.fields) claim(origins, { type: m.type, path: `${path}.${m.name}`, file });
}

/** An inferred column without a value in the sample (its `string` type is a placeholder). */
function unknown(f: Field): boolean {
  return f.description === NO_VALUES_SAMPLED;
}

/** One file's column being united with the column so far. */
interface Uniting {
  readonly table: string;
  readonly file: string;
  /** Both types inferred (CSV, JSONL), so the inference's mixing rule holds. */
  readonly inferred: boolean;
  readonly origins: Origins;
  /** Where in the column: `col`, `col.member`, `col[]`. */
  readonly path: string;
}

/** The union of the type so far `a` and the file's `b` at `u.path`; throws on a clash. */
function uniteTypes(a: FieldType, b: FieldType, u: Uniting): FieldType {
  let type: FieldType | undefined;
  if (a.kind === 'struct' && b.kind === 'struct') {
    type = t.struct(uniteMembers(a.fields, b.fields, u));
  } else if (a.kind === 'list' && b.kind === 'list') {
    type = t.list(uniteTypes(a.items, b.items, { ...u, path: `${u.path}[]` }));
  } else {
    type = unitedScalar(a, b, u.inferred);
  }
  if (type === undefined) throw clash({ a, b, u });
  const name = typeName(type);
  if (name !== typeName(a)) {
    // The file's type, or one uniting several files' (a decimal holding both, a struct).
    const before = u.origins.get(u.path) ?? [];
    u.origins.set(u.path, name === typeName(b) ? [u.file] : [...before, u.file]);
  }
  return type;
}

function uniteMembers(a: readonly Field[], b: readonly Field[], u: Uniting): Field[] {
  const others = new Map(b.map((m) => [m.name, m]));
  const members = a.map((m): Field => {
    const other = others.get(m.name);
    if (other === undefined) return { ...m, nullable: true };
    const type = uniteTypes(m.type, other.type, { ...u, path: `${u.path}.${m.name}` });
    return { ...m, type, nullable: m.nullable || other.nullable };
  });
  const names = new Set(a.map((m) => m.name));
  for (const m of b.filter((m) => !names.has(m.name))) {
    claim(u.origins, { type: m.type, path: `${u.path}.${m.name}`, file: u.file });
    members.push({ ...m, nullable: true });
  }
  return members;
}

const RANK: Partial<Record<FieldType['kind'], number>> = { int32: 0, int64: 1, float64: 2 };

function unitedScalar(a: FieldType, b: FieldType, inferred: boolean): FieldType | undefined {
  if (typeName(a) === typeName(b)) return a;
  const [ra, rb] = [RANK[a.kind], RANK[b.kind]];
  if (ra !== undefined && rb !== undefined) return ra > rb ? a : b;
  const kinds = new Set([a.kind, b.kind]);
  if (kinds.has('date') && kinds.has('timestamp')) return t.timestamp;
  const decimal = decimalHolding(a, b);
  if (decimal !== undefined) {
    const { precision, scale } = decimal;
    return precision > MAX_DECIMAL_PRECISION ? undefined : t.decimal(precision, scale);
  }
  if (!inferred) return undefined;
  return kinds.has('json') ? t.json : t.string;
}

/** The smallest decimal holding every value of `a` and of `b` (one a decimal, or neither is). */
function decimalHolding(
  a: FieldType,
  b: FieldType,
): { precision: number; scale: number } | undefined {
  if (a.kind !== 'decimal' && b.kind !== 'decimal') return undefined;
  const [da, db] = [decimalDigits(a), decimalDigits(b)];
  if (da === undefined || db === undefined) return undefined;
  const scale = Math.max(da.scale, db.scale);
  return { precision: scale + Math.max(da.integer, db.integer), scale };
}

function decimalDigits(type: FieldType): { integer: number; scale: number } | undefined {
  switch (type.kind) {
    case 'int32':
      return { integer: 10, scale: 0 }; // 2147483647
    case 'int64':
      return { integer: 19, scale: 0 }; // 9223372036854775807
    case 'decimal':
      return { integer: type.precision - type.scale, scale: type.scale };
    default:
      return undefined;
  }
}

interface Clash {
  /** The type so far and the file's. */
  readonly a: FieldType;
  readonly b: FieldType;
  readonly u: Uniting;
}

function clash({ a, b, u }: Clash): RecordError {
  const { path } = u;
  const origins = u.origins.get(path) ?? [];
  const decimal = decimalHolding(a, b);
  const why =
    decimal === undefined
      ? ''
      : ` (a decimal holding both needs ${decimal.precision} digits, more than ${MAX_DECIMAL_PRECISION})`;
  return new RecordError(
    `the files of the table disagree on column "${path}": ${typeName(a)} ${inFiles(origins)}, ${typeName(b)} in ${u.file}${why}; rewrite one of them, or exclude the table`,
    { position: { stream: u.table, field: path } },
  );
}

function inFiles(files: readonly string[]): string {
  if (files.length <= 1) return `in ${files[0] ?? 'an earlier file'}`;
  const named =
    files.length > 3 ? [...files.slice(0, 2), `${files.length - 2} other files`] : files;
  return `uniting ${named.slice(0, -1).join(', ')} and ${named.at(-1) ?? ''}`;
}
