import { schemaSignature, type Destination, type Field, type Row, type Source } from '@ferry/core';
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
import { rowDifferences } from './values.js';
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
  expect(found.fields.map(describeField), 'fields read back').toEqual(
    pair.fields.map(describeField),
  );
  const reads = await readAll({
    source: pair.source,
    config: sourceConfig,
    streams: [configure(found, false)],
  });
  const rows = [...(reads.get(STREAM)?.rows ?? [])]
    .sort((a, b) => compareIds(a.id, b.id))
    .map((row) => withNulls(row, pair.fields));
  const expected = script.messages.flatMap((m) => (m.type === 'batch' ? m.rows : []));
  failOnProblems(`rows of ${STREAM} read back`, rowDifferences(expected, rows));
}

/** `row` with a null for each field it has no key for: a missing key is a null value. */
function withNulls(row: Row, fields: readonly Field[]): Row {
  const out: Row = { ...row };
  for (const f of fields) out[f.name] = row[f.name] ?? null;
  return out;
}

function describeField(f: Field): string {
  return schemaSignature([f]);
}

function compareIds(a: unknown, b: unknown): number {
  const [x, y] = [BigInt(String(a)), BigInt(String(b))];
  return x < y ? -1 : x > y ? 1 : 0;
}
