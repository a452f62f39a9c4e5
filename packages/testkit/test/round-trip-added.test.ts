// The round trip's `addedFields`: a source may add columns to what was written (a lake source's
// partition columns), but only those it declares, with the declared type.
import { field, t, type Field, type Source } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import type { Cases } from '../src/conformance/cases.js';
import { addRoundTripCases } from '../src/conformance/round-trip.js';
import { memoryConnectors, seedSpace } from './fixtures/memory-connector.js';

const { source, destination } = memoryConnectors();
const TOKEN = 'added-token';

/** The memory source, adding a column `part` of `type` to every stream and `value` to every row. */
function adding(type: Field['type'], value: unknown): Source {
  const plain = source as Source;
  return {
    ...plain,
    discover: async (ctx, config) => {
      const catalog = await plain.discover(ctx, config);
      const streams = catalog.streams.map((s) => ({
        ...s,
        fields: [...s.fields, field('part', type)],
      }));
      return { streams };
    },
    read: async function* (ctx, config, request) {
      for await (const message of plain.read(ctx, config, request)) {
        if (message.type !== 'batch') yield message;
        else yield { ...message, rows: message.rows.map((row) => ({ ...row, part: value })) };
      }
    },
  };
}

let spaces = 0;
/** The round-trip case of the kit, for `pair`, as a function (not a registered test). */
function roundTrip(reader: Source, addedFields?: readonly Field[]): () => unknown {
  const captured: (() => unknown)[] = [];
  const cases = { add: (_id: string, _title: string, run: () => unknown) => captured.push(run) };
  const destinationConfig = () => {
    spaces += 1;
    const space = `added-${String(spaces)}`;
    seedSpace({ space, token: TOKEN, streams: {} });
    return { space, token: TOKEN };
  };
  addRoundTripCases(cases as unknown as Cases, {
    destination,
    source: reader,
    options: {
      destinationConfig,
      sourceConfig: (written) => written,
      ...(addedFields === undefined ? {} : { addedFields }),
    },
  });
  const [run] = captured;
  if (run === undefined) throw new Error('no round-trip case');
  return run;
}

describe('round trip with fields the source adds', () => {
  it('passes when the added field is declared with its type and every value fits', async () => {
    await roundTrip(adding(t.int64, 7n), [field('part', t.int64)])();
  });

  it('fails for an undeclared added field, a declared type the source does not give, and bad values', async () => {
    await expect(roundTrip(adding(t.int64, 7n))()).rejects.toThrow('fields read back');
    await expect(roundTrip(adding(t.int64, 7n), [field('part', t.date)])()).rejects.toThrow(
      'fields the source adds',
    );
    await expect(roundTrip(adding(t.int64, 'x'), [field('part', t.int64)])()).rejects.toThrow(
      'part: expected int64',
    );
    await expect(roundTrip(source as Source, [field('part', t.int64)])()).rejects.toThrow(
      'the source does not add part',
    );
  });
});
