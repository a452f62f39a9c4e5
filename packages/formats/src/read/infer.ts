import { field, t, type Field, type FieldType } from '@ferry/core';
import { NumberText } from './json-text.js';
import type { RecordShape } from './coerce.js';
import {
  isBooleanText,
  isDateText,
  isFloatText,
  isInt64Text,
  isNonFiniteText,
  isTimestampText,
} from './text-values.js';

/**
 * Field types inferred from sampled records (CSV and JSON Lines have no schema).
 *
 * Each value gets a kind; a column's kind is the merge of its values' kinds:
 * - JSON: an integer number within 64 bits is `int64` (so is `1.0`: JSON.parse cannot tell it from
 *   `1`), another number `float64`, true/false `boolean`, an object or array `json`; a string is
 *   a `timestamp` when it is ISO 8601 with a time and a zone (`Z` or an offset), or without a zone
 *   in the form DuckDB writes a TIMESTAMP (`2025-01-02 03:04:05[.ffffff]`, `T` or a space), read
 *   as UTC as DuckDB and BigQuery read it; a `date` when it is `YYYY-MM-DD`; else a `string`.
 * - CSV text: an integer without leading zeros within 64 bits is `int64`, a decimal number
 *   `float64`, `true`/`false` (any case) `boolean`, then `date` and `timestamp` as for JSON
 *   strings, else `string`. `nan`/`inf` count as float64 only beside other numbers. An empty
 *   field tells nothing (it reads as null for every type but string).
 * - Merging: equal kinds stay; int64 with float64 is float64; anything with json is json (a json
 *   field holds every value exactly); any other mix is string. A column of nulls only is a
 *   string. Every inferred field is nullable (a later row or file may lack the value).
 * - Columns come in order of first appearance.
 */
type Kind =
  'int64' | 'float64' | 'nonfinite' | 'boolean' | 'timestamp' | 'date' | 'string' | 'json';

const TYPES: Record<Exclude<Kind, 'nonfinite'>, FieldType> = {
  int64: t.int64,
  float64: t.float64,
  boolean: t.boolean,
  timestamp: t.timestamp,
  date: t.date,
  string: t.string,
  json: t.json,
};

/**
 * Infers the fields of records parsed from `shape` files (JSON objects with {@link NumberText}
 * for long numbers, or CSV records of text and null), by the rules above.
 */
export function inferFields(
  records: readonly Record<string, unknown>[],
  shape: RecordShape,
): Field[] {
  const kinds = new Map<string, Kind | undefined>();
  const kindOf = shape === 'csv' ? csvKind : jsonKind;
  for (const record of records) {
    for (const [name, value] of Object.entries(record)) {
      const kind = kindOf(value);
      const known = kinds.get(name);
      kinds.set(name, kind === undefined ? known : known === undefined ? kind : merge(known, kind));
    }
  }
  return [...kinds].map(([name, kind]) =>
    kind === undefined
      ? field(name, t.string, { description: NO_VALUES_SAMPLED })
      : field(name, TYPES[kind === 'nonfinite' ? 'string' : kind]),
  );
}

/**
 * The description of an inferred column whose sample held no value (only nulls or empty fields):
 * typed `string` for want of anything better, and any type other files show may replace it (an
 * empty export must not make a numeric column text).
 */
export const NO_VALUES_SAMPLED = 'no value in the sampled records';

function merge(a: Kind, b: Kind): Kind {
  if (a === b) return a;
  if (a === 'json' || b === 'json') return 'json';
  const numbers = new Set<Kind>(['int64', 'float64', 'nonfinite']);
  if (numbers.has(a) && numbers.has(b)) return 'float64';
  return 'string';
}

function jsonKind(value: unknown): Kind | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof NumberText)
    return value.integral && isInt64Text(value.text) ? 'int64' : 'float64';
  switch (typeof value) {
    case 'number':
      return Number.isSafeInteger(value)
        ? 'int64'
        : Number.isFinite(value)
          ? 'float64'
          : 'nonfinite';
    case 'boolean':
      return 'boolean';
    case 'string':
      return textKind(value);
    default:
      return 'json';
  }
}

function csvKind(value: unknown): Kind | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (isInt64Text(value)) return 'int64';
  if (isFloatText(value)) return 'float64';
  if (isNonFiniteText(value)) return 'nonfinite';
  if (isBooleanText(value)) return 'boolean';
  return textKind(value);
}

function textKind(text: string): Kind {
  if (isDateText(text)) return 'date';
  if (isTimestampText(text)) return 'timestamp';
  return 'string';
}
