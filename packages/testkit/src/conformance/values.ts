import { isPlainObject, typeName, type Field, type FieldType, type Row } from '@ferry/core';
import { canonical, rowId } from './support.js';

const INT32 = 2 ** 31;
const INT64 = 2n ** 63n;
// What ferry readers emit (see @ferry/core fields.ts): six fraction digits, UTC.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Why `row` is not a valid row of `fields` in ferry's in-memory form (empty when it is): a value
 * of the wrong type, a null in a non-nullable field, a key that is not a field.
 */
export function rowProblems(row: Row, fields: readonly Field[]): string[] {
  const problems = fieldsProblems(row, fields, '');
  const names = new Set(fields.map((f) => f.name));
  for (const key of Object.keys(row)) {
    if (!names.has(key)) problems.push(`${key}: is not a field of the stream`);
  }
  return problems;
}

function fieldsProblems(value: Row, fields: readonly Field[], path: string): string[] {
  const problems: string[] = [];
  for (const f of fields) {
    const v = value[f.name];
    const at = `${path}${f.name}`;
    if (v === null || v === undefined) {
      if (!f.nullable) problems.push(`${at}: is null but the field is not nullable`);
      continue;
    }
    problems.push(...valueProblems(f.type, v, at));
  }
  return problems;
}

function valueProblems(type: FieldType, value: unknown, at: string): string[] {
  if (type.kind === 'list') {
    if (!Array.isArray(value)) return [`${at}: expected a list, got ${describe(value)}`];
    return value.flatMap((item: unknown, i) =>
      item === null ? [] : valueProblems(type.items, item, `${at}[${String(i)}]`),
    );
  }
  if (type.kind === 'struct') {
    if (!isPlainObject(value)) return [`${at}: expected a struct, got ${describe(value)}`];
    return fieldsProblems(value, type.fields, `${at}.`);
  }
  return scalarIsValid(type, value)
    ? []
    : [`${at}: expected ${typeName(type)}, got ${describe(value)}`];
}

function scalarIsValid(type: FieldType, value: unknown): boolean {
  switch (type.kind) {
    case 'string':
      return typeof value === 'string';
    case 'int32':
      return Number.isInteger(value) && (value as number) >= -INT32 && (value as number) < INT32;
    case 'int64':
      return typeof value === 'bigint'
        ? value >= -INT64 && value < INT64
        : Number.isSafeInteger(value);
    case 'float64':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'timestamp':
      return typeof value === 'string' && TIMESTAMP.test(value);
    case 'date':
      return typeof value === 'string' && DATE.test(value);
    case 'decimal':
      return typeof value === 'string' && DECIMAL.test(value);
    case 'binary':
      return value instanceof Uint8Array;
    default:
      return true; // json: any JSON value
  }
}

/** A value and its type for messages: `bigint 1n`, `string "1"`, `Date 2025-…`, `nothing`. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  const [kind, text] = kindAndText(value);
  return `${kind} ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`;
}

function kindAndText(value: unknown): [string, string] {
  if (value instanceof Uint8Array) return ['binary', Buffer.from(value).toString('hex')];
  if (value instanceof Date) {
    return ['Date', Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()];
  }
  if (Array.isArray(value)) return ['a list', canonical(value)];
  return [typeof value, typeof value === 'bigint' ? `${String(value)}n` : canonical(value)];
}

/**
 * How rows read back differ from the rows written, compared in order, value by value: each
 * difference names the row's id, the field and both values with their types. At most `limit`
 * lines, then a count of the rest.
 */
export function rowDifferences(written: readonly Row[], read: readonly Row[], limit = 5): string[] {
  const found: string[] = [];
  if (read.length !== written.length) {
    found.push(`${String(read.length)} rows read back, ${String(written.length)} written`);
  }
  written.forEach((w, i) => {
    const r = read[i];
    if (r === undefined) {
      found.push(`row with id ${rowId(w)}: not read back`);
      return;
    }
    for (const key of new Set([...Object.keys(w), ...Object.keys(r)])) {
      if (canonical(w[key]) === canonical(r[key])) continue;
      found.push(
        `row with id ${rowId(w)}, field ${key}: wrote ${describe(w[key])}, read ${describe(r[key])}`,
      );
    }
  });
  for (const r of read.slice(written.length)) found.push(`row with id ${rowId(r)}: never written`);
  if (found.length <= limit) return found;
  return [...found.slice(0, limit), `… and ${String(found.length - limit)} more differences`];
}
