import type { Field } from './fields.js';

/** How a source reads a stream: everything each run, or only what is new since the last state. */
export type SyncMode = 'full_refresh' | 'incremental';

/**
 * How a destination applies a run's rows: `append` adds them (event tables); `replace` makes the
 * run's rows the whole table (snapshot tables) once they are all written.
 */
export type WriteMode = 'append' | 'replace';

/** One stream (table) a source offers. */
export interface CatalogStream {
  readonly name: string;
  readonly description?: string;
  readonly fields: readonly Field[];
  /** Column names identifying a row, when the stream has such a key. */
  readonly primaryKey?: readonly string[];
  /** The column an incremental read follows (its high-water mark is the state). */
  readonly cursorField?: string;
  /**
   * `source` when the source keeps an incremental stream's progress itself, by something other
   * than a column (the files it has read, a log offset): such a stream is incremental without a
   * `cursorField`, and a transfer may not name one. Default `cursor`.
   */
  readonly incrementalState?: 'cursor' | 'source';
  readonly syncModes: readonly SyncMode[];
  readonly defaultSyncMode: SyncMode;
  readonly defaultWriteMode: WriteMode;
}

/**
 * A stream the source sees but cannot offer now (a table whose files are corrupt or disagree on
 * a column's type): the other streams stay usable, and a run that would read this one fails
 * before anything moves, with `problem` as its error.
 */
export interface UnavailableStream {
  readonly name: string;
  /** Why, naming what is wrong and where (the file, the column). */
  readonly problem: string;
}

/** What a source offers, as returned by `discover`. */
export interface Catalog {
  readonly streams: readonly CatalogStream[];
  /** Streams the source cannot offer now, with the reason; none when absent. */
  readonly unavailable?: readonly UnavailableStream[];
}

/** A catalog stream as one transfer uses it: chosen modes, cursor, possibly narrowed fields. */
export interface ConfiguredStream {
  readonly name: string;
  readonly fields: readonly Field[];
  readonly primaryKey?: readonly string[];
  readonly cursorField?: string;
  readonly syncMode: SyncMode;
  readonly writeMode: WriteMode;
}
