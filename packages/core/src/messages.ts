import type { JsonValue } from './json.js';

/**
 * One row: field name to value. See `fields.ts` for the value of each field type. Destinations
 * write only the fields of the configured stream and ignore any other keys.
 */
export type Row = Record<string, unknown>;

/**
 * The state of one stream after some rows (e.g. `{ "cursor": "2025-01-02T00:00:00Z" }`). Opaque
 * to the runner, which stores it and hands it back to the source on the next run. Must be
 * JSON (it is written to a file).
 */
export type StreamState = JsonValue;

/**
 * Rows of one stream. Sources emit batches of about 1k–10k rows, never one row at a time. Once
 * emitted, the batch and its rows belong to the pipeline: the runner may change a row's top-level
 * keys (e.g. drop the tenant column), so a source must not reuse row objects. Nested values are
 * never changed by anyone, so a source may share them between rows.
 */
export interface BatchMessage {
  readonly type: 'batch';
  readonly stream: string;
  readonly rows: readonly Row[];
}

/**
 * Marks a point in a stream: when every row emitted before it is durable, `state` may be saved,
 * and a later read from `state` continues right after those rows (losing and repeating none).
 * States of one stream only move forward.
 */
export interface CheckpointMessage {
  readonly type: 'checkpoint';
  readonly stream: string;
  readonly state: StreamState;
}

/**
 * Records of `stream` the source dropped as bad (a source option such as `on_bad_record: skip`),
 * since its previous message: counted in the run report, never passed to the destination.
 * `example` names the first of them and what was wrong (file and line), for the log.
 */
export interface SkippedMessage {
  readonly type: 'skipped';
  readonly stream: string;
  readonly records: number;
  readonly example: string;
}

/** What a source's `read` yields. */
export type SourceMessage = BatchMessage | CheckpointMessage | SkippedMessage;

/** What a destination's `write` gets: the rows and checkpoints of the source's messages. */
export type DataMessage = BatchMessage | CheckpointMessage;

/**
 * A destination confirms that every row of `stream` it received before the checkpoint with this
 * `state` is durable. The final ack of a stream (after its last row) may have no `state` when the
 * source sent no checkpoint. `commit` is an opaque token of the destination's own progress; the
 * runner stores it with the run and hands it back through {@link RecoveryInfo} after a crash.
 */
export interface AckMessage {
  readonly type: 'ack';
  readonly stream: string;
  readonly state?: StreamState;
  readonly commit?: JsonValue;
}

/** A destination reports one committed file (or object), for the run report. */
export interface FileMessage {
  readonly type: 'file';
  readonly stream: string;
  /** Key or path relative to the destination's root (prefix or directory). */
  readonly key: string;
  /** Full location for humans: `s3://bucket/prefix/key` or an absolute path. */
  readonly location?: string;
  readonly rows: number;
  readonly bytes: number;
}

/** What a destination's `write` yields. */
export type DestinationMessage = AckMessage | FileMessage;
