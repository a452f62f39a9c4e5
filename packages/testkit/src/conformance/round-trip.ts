import {
  schemaSignature,
  type CatalogStream,
  type Destination,
  type Field,
  type Row,
  type Source,
} from '@ferry/core';
import { expect } from 'vitest';
import type { Cases } from './cases.js';
import { conformanceFields, conformanceStream } from './data.js';
import type { RoundTripOptions } from './options.js';
import { setAt } from './schema-walk.js';
import { Script } from './script.js';
import { configure, readAll } from './source-read.js';
import {
  connectorCall,
  connectorConfig,
  failOnProblems,
  resolveLazy,
  testContext,
} from './support.js';
import { rowDifferences, rowProblems } from './values.js';
import { Feed, runWrite } from './write-run.js';

const STREAM = 'conformance_events';

/** A pair and what the round trip writes with it. */
interface Pair {
  readonly destination: Destination;
  readonly source: Source;
  readonly options: RoundTripOptions;
  readonly fields: readonly Field[];
}

/** Rows written by the destination and read by the source are equal, value for value. */
export function addRoundTripCases(cases: Cases, pair: Omit<Pair, 'fields'>): void {
  const fields = pair.options.fields ?? conformanceFields;
  const formats = pair.destination.capabilities.formats;
  for (const format of formats.length === 0 ? [undefined] : formats) {
    const id = format === undefined ? 'round-trip' : `round-trip ${format}`;
    cases.add(id, 'what is written reads back equal, value for value and type for type', () =>
      roundTrip({ ...pair, fields }, format),
    );
  }
}

async function roundTrip(pair: Pair, format: string | undefined): Promise<void> {
  const raw = await resolveLazy(pair.options.destinationConfig);
  const written = format === undefined ? raw : setAt(raw, '/format', format);
  const config = await connectorConfig(pair.destination, written);
  const script = new Script(pair.fields)
    .batch(STREAM, 0, 120)
    .checkpoint(STREAM)
    .batch(STREAM, 120, 80)
    .checkpoint(STREAM);
  const stream = conformanceStream(STREAM, { fields: pair.fields, writeMode: 'append' });
  await runWrite({
    destination: pair.destination,
    config,
    streams: [stream],
    feed: new Feed(script.messages),
  });

  const sourceConfig = await connectorConfig(pair.source, pair.options.sourceConfig(written));
  const catalog = await connectorCall('discover', () =>
    pair.source.discover(testContext(), sourceConfig),
  );
  const found = catalog.streams.find((s) => s.name === STREAM);
  if (found === undefined)
    throw new Error(
      `the source does not discover "${STREAM}" (it has: ${catalog.streams.map((s) => s.name).join(', ')})`,
    );
  const added = pair.options.addedFields ?? [];
  checkCatalogFields(found, { fields: pair.fields, added });
  const reads = await readAll({
    source: pair.source,
    config: sourceConfig,
    streams: [configure(found, false)],
  });
  const read = reads.get(STREAM)?.rows ?? [];
  const invalid = read.map((row) => rowProblems(pick(row, added), added)).find((p) => p.length > 0);
  failOnProblems(`fields the source adds to ${STREAM}`, invalid ?? []);
  const rows = [...read]
    .sort((a, b) => compareIds(a.id, b.id))
    .map((row) => withNulls(row, pair.fields, added));
  const expected = script.messages.flatMap((m) => (m.type === 'batch' ? m.rows : []));
  failOnProblems(`rows of ${STREAM} read back`, rowDifferences(expected, rows));
}

/**
 * The discovered fields are the written ones, in order, plus the declared added ones (anywhere),
 * each with its declared type.
 */
function checkCatalogFields(
  found: CatalogStream,
  expected: { fields: readonly Field[]; added: readonly Field[] },
): void {
  const { fields, added } = expected;
  const isAdded = (f: Field): boolean => added.some((a) => a.name === f.name);
  expect(found.fields.filter((f) => !isAdded(f)).map(describeField), 'fields read back').toEqual(
    fields.map(describeField),
  );
  const missing = added.filter((a) => !found.fields.some((f) => f.name === a.name));
  if (missing.length > 0) {
    throw new Error(
      `the source does not add ${missing.map((a) => a.name).join(', ')} (it has: ${found.fields.map((f) => f.name).join(', ')})`,
    );
  }
  expect(
    added.map((a) => describeField(found.fields.find((f) => f.name === a.name) ?? a)),
    'fields the source adds',
  ).toEqual(added.map(describeField));
}

/**
 * `row` with a null for each field it has no key for (a missing key is a null value), without
 * the fields the source adds.
 */
function withNulls(row: Row, fields: readonly Field[], added: readonly Field[]): Row {
  const out: Row = Object.fromEntries(
    Object.entries(row).filter(([key]) => !added.some((f) => f.name === key)),
  );
  for (const f of fields) out[f.name] = row[f.name] ?? null;
  return out;
}

/** The values of `fields` in `row` (missing ones as undefined, which rowProblems reports). */
function pick(row: Row, fields: readonly Field[]): Row {
  return Object.fromEntries(fields.map((f) => [f.name, row[f.name]]));
}

function describeField(f: Field): string {
  return schemaSignature([f]);
}

function compareIds(a: unknown, b: unknown): number {
  const [x, y] = [BigInt(String(a)), BigInt(String(b))];
  return x < y ? -1 : x > y ? 1 : 0;
}
