import { field, t, type ConfiguredStream, type Field, type Row } from '@ferry/core';

/**
 * The fields of the suites' test streams: one of every ferry field type, nested ones included,
 * nullable except `id` (the row identity the suites compare by) and `at` (the cursor).
 */
export const conformanceFields: readonly Field[] = [
  field('id', t.int64, { nullable: false }),
  field('at', t.timestamp, { nullable: false }),
  field('name', t.string),
  field('count', t.int32),
  field('score', t.float64),
  field('active', t.boolean),
  field('day', t.date),
  field('amount', t.decimal(18, 4)),
  field('payload', t.json),
  field('blob', t.binary),
  field('tags', t.list(t.string)),
  field('place', t.struct([field('city', t.string), field('lat', t.float64)])),
];

const BASE_ID = 9_007_199_254_740_993n; // 2^53 + 1: not a safe JavaScript number
// -(2^53 + 1), inside json values, which hold it as a bigint (see @ferry/core fields.ts): a trip
// through a JavaScript number (JSON.parse) shows.
const JSON_BIG = -9_007_199_254_740_993n;
// Two minutes before the epoch: the first 120 rows have negative timestamps with microseconds,
// a classic place for off-by-one-second bugs.
const BASE_MS = Date.UTC(1969, 11, 31, 23, 58);
const NAMES = ['plain', 'café ☕', 'line\nbreak', 'quote " and \\', '日本語', ''];
// Not binary fractions: a float32 or a rounding on the way shows.
const SCORES = [0.1, 1 / 3, -2.5e-8, 123_456.789, 1e300, -0.5];
// decimal(18,4) at full precision: a trip through a JavaScript number shows.
const AMOUNT_DIGITS = ['99999999999999', '12345678901234'];

/**
 * Row `i` of a test stream: deterministic values that exercise each type's edges (int64 beyond
 * 2^53, microsecond timestamps before and after 1970, decimals at full precision, floats that are
 * not binary fractions, an integer beyond 2^53 inside json values, unicode, empty and null
 * values, nested nulls). Every fifth row has nulls in every nullable field. Rows of `fields` other
 * than {@link conformanceFields} get only the values of the fields they share by name.
 */
export function conformanceRow(i: number, fields: readonly Field[] = conformanceFields): Row {
  const full = i % 5 === 4 ? nullRow(i) : valueRow(i);
  const row: Row = {};
  for (const f of fields) row[f.name] = full[f.name] ?? null;
  return row;
}

/** Rows `from` .. `from + count - 1` (see {@link conformanceRow}). */
export function conformanceRows(
  from: number,
  count: number,
  fields: readonly Field[] = conformanceFields,
): Row[] {
  return Array.from({ length: count }, (_, k) => conformanceRow(from + k, fields));
}

function valueRow(i: number): Row {
  return {
    ...nullRow(i),
    name: NAMES[i % NAMES.length] ?? null,
    count: i % 2 === 0 ? i : -i,
    score: (SCORES[i % SCORES.length] ?? 0) * (i + 1),
    active: i % 2 === 0,
    day: new Date(BASE_MS - i * 86_400_000).toISOString().slice(0, 10),
    amount: amount(i),
    payload: { n: i, list: [1, 'two', null], nested: { ok: true, big: JSON_BIG - BigInt(i) } },
    blob: Uint8Array.from([0, 255, i % 256]),
    tags: i % 3 === 0 ? [] : ['a', `t${String(i)}`, null],
    place: { city: i % 2 === 0 ? 'Zürich' : null, lat: i % 2 === 0 ? 47.37 : -122.419_416 },
  };
}

/** A decimal(18,4) value: full precision for some rows, small for others, some negative. */
function amount(i: number): string {
  const sign = i % 3 === 1 ? '-' : '';
  const whole = AMOUNT_DIGITS[i % 4] ?? String(i);
  const fraction = i % 4 === 0 ? '9999' : String(i % 10_000).padStart(4, '0');
  return `${sign}${whole}.${fraction}`;
}

function nullRow(i: number): Row {
  return {
    id: BASE_ID + BigInt(i),
    // One row per second plus i microseconds, so the fraction digits matter.
    at: `${new Date(BASE_MS + i * 1000).toISOString().slice(0, 19)}.${String(i % 1_000_000).padStart(6, '0')}Z`,
    name: null,
    count: null,
    score: null,
    active: null,
    day: null,
    amount: null,
    payload: null,
    blob: null,
    tags: null,
    place: null,
  };
}

/** A configured test stream over `fields`, cursor `at` when the fields have it. */
export function conformanceStream(
  name: string,
  options: { readonly fields: readonly Field[]; readonly writeMode: 'append' | 'replace' },
): ConfiguredStream {
  const hasAt = options.fields.some((f) => f.name === 'at');
  return {
    name,
    fields: options.fields,
    primaryKey: ['id'],
    ...(hasAt && options.writeMode === 'append' ? { cursorField: 'at' } : {}),
    syncMode: options.writeMode === 'append' && hasAt ? 'incremental' : 'full_refresh',
    writeMode: options.writeMode,
  };
}
