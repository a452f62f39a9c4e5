import { field, t, type Field, type Row } from '@ferry/core';
import { UNICODE } from './test-fixtures.js';

/** Required groups and lists at several depths, which ALL_TYPES (all nullable) lacks. */
export const REQUIRED_NESTING: readonly Field[] = [
  field('id', t.int32, { nullable: false }),
  field(
    'rs',
    t.struct([
      field('a', t.string, { nullable: false }),
      field(
        'l',
        t.list(t.struct([field('x', t.int64, { nullable: false }), field('y', t.list(t.string))])),
      ),
    ]),
    { nullable: false },
  ),
  field('rl', t.list(t.list(t.string)), { nullable: false }),
  field('os', t.struct([field('inner', t.struct([field('v', t.boolean)]), { nullable: false })])),
];

/** Rows of {@link REQUIRED_NESTING}: null, empty and null-item lists, null structs, at depth. */
export const REQUIRED_NESTING_ROWS: readonly Row[] = [
  { id: 0, rs: { a: 'a', l: null }, rl: [], os: null },
  { id: 1, rs: { a: '', l: [] }, rl: [[]], os: { inner: { v: null } } },
  { id: 2, rs: { a: 'b', l: [null] }, rl: [null], os: { inner: { v: true } } },
  {
    id: 3,
    rs: { a: 'c', l: [{ x: 1n, y: null }, { x: 2, y: [] }, null, { x: -3n, y: [null, 'y'] }] },
    rl: [['a', 'b'], null, ['c'], []],
    os: { inner: { v: false } },
  },
];

/**
 * `count` rows of ALL_TYPES that vary with their index: nulls, empty lists and null items in
 * turn, strings that repeat and that do not, so that pages and statistics differ.
 */
export function variedRows(count: number): Row[] {
  return Array.from({ length: count }, (_, i) => variedRow(i));
}

function variedRow(i: number): Row {
  const pick = (options: readonly unknown[]): unknown => options[i % options.length];
  return {
    id: i,
    s: pick([`s${i % 97}`, null, UNICODE, '', `row ${i}`, '\uFF01', '😀', 'a\uD800b', '\uDFFF']),
    i64: pick([BigInt(i) * 1_000_000_007n, null, -BigInt(i), i]),
    f: pick([i / 7, null, Number.NaN, -0, 1e300]),
    b: pick([true, false, null]),
    ts: pick([`2025-01-01T00:00:${String(i % 60).padStart(2, '0')}.000001Z`, null]),
    d: pick(['2024-02-29', '1969-07-20', null]),
    dec: pick([`${i}.5`, null, `-${i % 1000}.0001`]),
    dec9: pick(['1.25', null]),
    dec38: pick([`-${i}.1`, null, '12345678901234567890.5']),
    decwide: pick([`${i}.12345`, null]),
    j: pick([{ i, tags: ['a'] }, null, [i], 'text']),
    bin: pick([Uint8Array.from([i % 256, 0, 255]), null, new Uint8Array(0)]),
    // Repeated values in one list: at row group ends (rows 8999, 17999 of 9000-row groups) too.
    tags: pick([null, [], [null], ['a', `t${i % 13}`, 'a'], [`twice ${i}`, `twice ${i}`]]),
    nums: pick([[BigInt(i), null, -1n], null, []]),
    props: pick([
      null,
      { client: null, labels: [] },
      { client: { url: `https://x/${i % 31}`, port: i % 65_536 }, labels: null },
      { client: { url: null, port: null }, labels: ['l', null] },
    ]),
    events: pick([[], null, [null, { name: `e${i}`, at: null }], [{ name: 'x', at: null }]]),
    matrix: pick([[[i, null], [], null], null, [], [[1]]]),
  };
}
