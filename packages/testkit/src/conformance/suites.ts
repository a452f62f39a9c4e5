import type { Destination, Source } from '@ferry/core';
import { describe } from 'vitest';
import { Cases } from './cases.js';
import { addCheckCases } from './check-cases.js';
import { addDestinationCases } from './destination-cases.js';
import { addDocsCase } from './docs-case.js';
import type { DestinationSuiteOptions, RoundTripOptions, SourceSuiteOptions } from './options.js';
import { addRoundTripCases } from './round-trip.js';
import { addSourceCases } from './source-cases.js';
import { addStaticCases } from './static-cases.js';

/**
 * The conformance suite of a source, as vitest tests named `[case id] what it checks`: metadata,
 * config schema and its docs, invalid configs, secrets, `check`, `discover`, `read` (rows match the
 * catalog, abort, unknown stream) and, when the source declares `incremental`, checkpoints, resume
 * and bad state. Call it at the top level of a test file.
 */
export function describeSource<C>(source: Source<C>, options: SourceSuiteOptions): void {
  const connector = source as Source;
  describe(`source "${source.type}" conformance`, () => {
    const cases = new Cases(options.exempt);
    addStaticCases(cases, connector, options);
    addDocsCase(cases, connector, options.readme);
    addCheckCases(cases, connector, options);
    addSourceCases(cases, connector, options);
    cases.finish();
  });
}

/**
 * The conformance suite of a destination: the static cases of {@link describeSource}, `check`,
 * and for each declared format: acks only after rows are readable, append, replace (when
 * declared), abort and bad records leave only acknowledged rows.
 */
export function describeDestination<C>(
  destination: Destination<C>,
  options: DestinationSuiteOptions,
): void {
  const connector = destination as Destination;
  describe(`destination "${destination.type}" conformance`, () => {
    const cases = new Cases(options.exempt);
    addStaticCases(cases, connector, options);
    addDocsCase(cases, connector, options.readme);
    addCheckCases(cases, connector, options);
    addDestinationCases(cases, connector, options);
    cases.finish();
  });
}

/**
 * For a destination and a source that reads what it writes: for each declared format, rows of
 * every field type written and read back are equal, value for value and type for type.
 */
export function describeRoundTrip<D, S>(
  destination: Destination<D>,
  source: Source<S>,
  options: RoundTripOptions,
): void {
  describe(`round trip "${destination.type}" -> "${source.type}"`, () => {
    const cases = new Cases(options.exempt);
    addRoundTripCases(cases, {
      destination,
      source,
      options,
    });
    cases.finish();
  });
}
