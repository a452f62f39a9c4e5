import type { ConfiguredStream, Field, Row } from '@ferry/core';

/**
 * A config, or a function returning one. A function is called inside each test that needs a
 * config (after the test file's own `beforeAll` hooks, so it may use a server started there) and
 * should return a fresh location (a new temp directory, a new prefix) on every call, so tests do
 * not see each other's data. Configs are written as a user writes them in a transfer file: the kit
 * validates them against the connector's schema (defaults applied) and runs its `validate` hook,
 * as the runner does.
 */
export type ConfigInput = unknown;
export type Lazy<T> = T | (() => T | Promise<T>);

/**
 * Cases a connector cannot meet, each with the reason, written next to the connector's
 * conformance test: `{ 'read-bad-state': 'the state is a line number; any number is valid' }`.
 * Keys are case ids (printed in each test's name, in brackets); a key that names no case of the
 * suite is an error, so exemptions cannot outlive the case they excuse.
 */
export type Exemptions = Readonly<Record<string, string>>;

/** A config the connector must refuse with a `ConfigError`. */
export interface InvalidConfig {
  /** What is wrong, for the test name ("start_date is not a real day"). */
  readonly name: string;
  readonly config: unknown;
  /** JSON Pointer, relative to the config, of the issue the error must carry (`/start_date`). */
  readonly pointer: string;
}

/** A config that validates but whose `check` must return `{ ok: false }` without throwing. */
export interface FailingCheck {
  /** What is wrong ("the path is a file"). */
  readonly name: string;
  readonly config: Lazy<ConfigInput>;
}

/** What every suite needs. */
export interface ConnectorSuiteOptions {
  /** A valid config that reaches a working system (see {@link Lazy}). */
  readonly config: Lazy<ConfigInput>;
  /** At least one config the schema or `validate` refuses. */
  readonly invalidConfigs: readonly InvalidConfig[];
  /** At least one config whose `check` fails (exempt `check-fails` if no config can). */
  readonly failingChecks: readonly FailingCheck[];
  /**
   * The package's README. Its configuration section must be the one generated from the schema
   * (`npm run docs`); without it the `docs` case fails unless exempted.
   */
  readonly readme?: string | URL;
  readonly exempt?: Exemptions;
}

/** Options of `describeSource`. */
export interface SourceSuiteOptions extends ConnectorSuiteOptions {
  /**
   * Streams the behaviour cases read (default: every discovered stream). Keep the config small:
   * the resume case reads each incremental stream once in full and again from its checkpoints.
   */
  readonly streams?: readonly string[];
}

/** Reads what a destination wrote, as a plain reader (DuckDB, a listing) sees it. */
export type ReadBack = (config: unknown, stream: ConfiguredStream) => Promise<readonly Row[]>;

/** Options of `describeDestination`. */
export interface DestinationSuiteOptions extends ConnectorSuiteOptions {
  /**
   * Returns the rows of `stream` a plain reader sees at `config`'s location right now (no rows,
   * not an error, when nothing was written). Values may be in the reader's form; the suite
   * compares rows by their `id` field.
   */
  readonly read: ReadBack;
  /** Fields the test streams carry (default {@link conformanceFields}: every field type). */
  readonly fields?: readonly Field[];
}

/** Options of `describeRoundTrip`. */
export interface RoundTripOptions {
  /** Where the destination writes (see {@link Lazy}). */
  readonly destinationConfig: Lazy<ConfigInput>;
  /** The source config that reads what `destinationConfig` wrote. */
  readonly sourceConfig: (destinationConfig: unknown) => ConfigInput;
  /** Fields written and read back (default {@link conformanceFields}). */
  readonly fields?: readonly Field[];
  /**
   * Fields the source adds to what was written, with their types: the partition columns a lake
   * source reads from a layout's directories (`dt` of `<stream>/dt=<date>/`). Each must be
   * discovered with this type (nullability included) and every row read must hold a valid value
   * of it (null only when the field is nullable); they are left out when rows are compared.
   */
  readonly addedFields?: readonly Field[];
  readonly exempt?: Exemptions;
}
