import { typeName, type Field, type FieldType } from '@ferry/core';
import { decimalFromText } from './text-values.js';
import { fieldValue } from './coerce.js';
import { withSegment } from '../issue.js';
import { jsonInteger, jsonText } from '../scalars.js';

type Convert = (value: unknown) => unknown;

/** The conversion of equal types (callers may skip calling it). */
export const unchanged: Convert = (value) => value;

/**
 * How a non-null ferry value of type `from` (a file's column) becomes one of type `to` (the type
 * asked for, e.g. the union of a table's files), or `undefined` when it cannot:
 * - the same type: unchanged (nullability is not checked inside nested values);
 * - int32 -> int64, int32/int64/decimal -> float64 (rounded beyond 2^53), int32/int64/decimal ->
 *   decimal (exact: the digits rescaled as text, never through a float; fails for a value with
 *   too many integer or fraction digits), date -> timestamp (midnight UTC);
 * - anything -> json (bigints as numbers, those beyond 2^53 kept as bigints as json values hold
 *   them; binary as base64), anything -> string (scalars as their text, nested values and json as
 *   JSON text with exact integers, binary as base64);
 * - string -> any scalar: the text read as a CSV field would be;
 * - list -> list item by item, struct -> struct member by member by name (a member the file lacks
 *   is null, so it must be nullable in `to`; one `to` lacks is dropped), recursively
 *   (readParquet converts a whole column value, nested values with it).
 * A conversion that fails for a value throws a `ValueIssue`.
 */
export function widening(from: FieldType, to: FieldType): Convert | undefined {
  if (typeName(from) === typeName(to)) return unchanged;
  if (to.kind === 'json') return jsonCompatible;
  if (to.kind === 'string') return textOf;
  if (from.kind === 'string') return compileRecordValue(to);
  if (to.kind === 'list')
    return from.kind === 'list' ? listWidening(from.items, to.items) : undefined;
  if (to.kind === 'struct')
    return from.kind === 'struct' ? structWidening(from.fields, to.fields) : undefined;
  const integer = from.kind === 'int32' || from.kind === 'int64';
  switch (to.kind) {
    case 'int64':
      return from.kind === 'int32' ? (v) => BigInt(v as number) : undefined;
    case 'float64':
      return integer || from.kind === 'decimal' ? (v) => Number(v) : undefined;
    case 'decimal':
      return integer || from.kind === 'decimal'
        ? (v) => decimalFromText(String(v), to.precision, to.scale)
        : undefined;
    case 'timestamp':
      return from.kind === 'date' ? (v) => `${v as string}T00:00:00.000000Z` : undefined;
    default:
      return undefined;
  }
}

function compileRecordValue(to: FieldType): Convert {
  return fieldValue({ name: '', type: to, nullable: true }, 'csv');
}

function listWidening(from: FieldType, to: FieldType): Convert | undefined {
  const item = widening(from, to);
  if (item === undefined) return undefined;
  return (value) =>
    (value as unknown[]).map((v, i) => {
      try {
        return v === null ? null : item(v);
      } catch (error) {
        throw withSegment(error, i);
      }
    });
}

function structWidening(from: readonly Field[], to: readonly Field[]): Convert | undefined {
  const members: { name: string; convert: Convert | undefined }[] = [];
  for (const target of to) {
    const source = from.find((f) => f.name === target.name);
    if (source === undefined && !target.nullable) return undefined;
    const convert = source === undefined ? undefined : widening(source.type, target.type);
    if (source !== undefined && convert === undefined) return undefined;
    members.push({ name: target.name, convert });
  }
  return (value) => {
    const struct = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const { name, convert } of members) {
      const v = struct[name];
      try {
        out[name] = convert === undefined || v === null || v === undefined ? null : convert(v);
      } catch (error) {
        throw withSegment(error, name);
      }
    }
    return out;
  };
}

/**
 * A ferry value as a json value: bigints as numbers but those beyond 2^53 (kept, as json values
 * hold them), binary as base64.
 */
export function jsonCompatible(value: unknown): unknown {
  if (typeof value === 'bigint') return jsonInteger(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(jsonCompatible);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonCompatible(v)]));
  }
  return value;
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    return jsonText(jsonCompatible(value));
  }
  const plain = jsonCompatible(value);
  return typeof plain === 'string' ? plain : String(plain);
}
