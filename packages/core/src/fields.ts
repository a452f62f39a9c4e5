/**
 * ferry field types. Every format maps each of these exactly (see `@ferry/formats`).
 *
 * In-memory values of a row, by type (what sources emit and destinations accept):
 * | type      | value                                                                 |
 * | --------- | --------------------------------------------------------------------- |
 * | string    | `string`                                                              |
 * | int32     | `number` (integer)                                                    |
 * | int64     | `bigint` (a safe-integer `number` is accepted)                        |
 * | float64   | `number`                                                              |
 * | boolean   | `boolean`                                                             |
 * | timestamp | `string`, ISO 8601 UTC with up to 6 fraction digits (`2025-01-02T03:04:05.123456Z`); writers also accept a `±HH:MM` offset (converted to UTC) and a `Date`. Readers give exactly 6 digits and `Z` |
 * | date      | `string` `YYYY-MM-DD`                                                 |
 * | decimal   | `string` (`"-12.3400"`); a finite `number` is accepted, never rounded |
 * | json      | any JSON value; a JSON `null` is the same as a null field; integers beyond 2^53 (±(2^53-1)) inside are `bigint`, other numbers `number`; writers write the digits |
 * | binary    | `Uint8Array`                                                          |
 * | list      | array of item values; items may be null                               |
 * | struct    | plain object keyed by field name                                      |
 * `null` (or a missing key) is null; only nullable fields may hold it.
 */
export type FieldType =
  | { readonly kind: 'string' }
  | { readonly kind: 'int32' }
  | { readonly kind: 'int64' }
  | { readonly kind: 'float64' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'timestamp' }
  | { readonly kind: 'date' }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'json' }
  | { readonly kind: 'binary' }
  | { readonly kind: 'list'; readonly items: FieldType }
  | { readonly kind: 'struct'; readonly fields: readonly Field[] };

/** The name of a field type (`'int64'`, `'list'`, ...). */
export type FieldKind = FieldType['kind'];

/** A named, typed column (or struct member). */
export interface Field {
  readonly name: string;
  readonly type: FieldType;
  /** Whether the value may be null or missing. */
  readonly nullable: boolean;
  readonly description?: string;
}

/** Constructors for field types: `t.list(t.int64)`, `t.decimal(18, 4)`. */
export const t = {
  string: { kind: 'string' },
  int32: { kind: 'int32' },
  int64: { kind: 'int64' },
  float64: { kind: 'float64' },
  boolean: { kind: 'boolean' },
  timestamp: { kind: 'timestamp' },
  date: { kind: 'date' },
  json: { kind: 'json' },
  binary: { kind: 'binary' },
  decimal: (precision: number, scale: number): FieldType => ({ kind: 'decimal', precision, scale }),
  list: (items: FieldType): FieldType => ({ kind: 'list', items }),
  struct: (fields: readonly Field[]): FieldType => ({ kind: 'struct', fields }),
} as const satisfies Record<string, FieldType | ((...args: never[]) => FieldType)>;

/** Options of {@link field}. */
export interface FieldOptions {
  /** Defaults to `true`: most upstream data can be null. */
  readonly nullable?: boolean;
  readonly description?: string;
}

/** Builds a {@link Field}; nullable unless told otherwise. */
export function field(name: string, type: FieldType, options: FieldOptions = {}): Field {
  const base = { name, type, nullable: options.nullable ?? true };
  return options.description === undefined ? base : { ...base, description: options.description };
}

/** A compact type name for messages and docs: `list<int64>`, `decimal(18,4)`, `struct{a,b}`. */
export function typeName(type: FieldType): string {
  switch (type.kind) {
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'list':
      return `list<${typeName(type.items)}>`;
    case 'struct':
      return `struct{${type.fields.map((f) => `${f.name}: ${typeName(f.type)}`).join(', ')}}`;
    default:
      return type.kind;
  }
}

/**
 * A stable text form of a schema (names, types, nullability; descriptions ignored), for hashing
 * and for comparing schemas between runs.
 */
export function schemaSignature(fields: readonly Field[]): string {
  return fields.map(member).join(';');
}

/** `name:type`, `?` for nullable, at every depth (so nested nullability counts too). */
function member(f: Field): string {
  return `${f.name}:${signatureOf(f.type)}${f.nullable ? '?' : ''}`;
}

function signatureOf(type: FieldType): string {
  if (type.kind === 'list') return `list<${signatureOf(type.items)}>`;
  if (type.kind === 'struct') return `struct{${type.fields.map(member).join(',')}}`;
  return typeName(type);
}
