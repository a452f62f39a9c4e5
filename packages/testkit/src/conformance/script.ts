import type { Field, DataMessage, StreamState } from '@ferry/core';
import { conformanceRows } from './data.js';
import { canonical, rowId } from './support.js';

/** A checkpoint of a script: which rows of its stream came before it. */
interface ScriptCheckpoint {
  readonly stream: string;
  readonly state: StreamState;
  /** Index of the checkpoint in the messages. */
  readonly index: number;
  readonly ids: readonly string[];
}

/**
 * The messages a destination case sends, built batch by batch, remembering which rows each
 * checkpoint covers so acks can be checked against what is readable.
 */
export class Script {
  readonly messages: DataMessage[] = [];
  readonly #fields: readonly Field[];
  readonly #ids = new Map<string, string[]>();
  readonly #checkpoints: ScriptCheckpoint[] = [];

  constructor(fields: readonly Field[]) {
    this.#fields = fields;
  }

  /** Adds a batch of rows `from` .. `from + count - 1` of `stream`. */
  batch(stream: string, from: number, count: number): this {
    const rows = conformanceRows(from, count, this.#fields);
    this.messages.push({ type: 'batch', stream, rows });
    this.#ids.set(stream, [...this.ids(stream), ...rows.map(rowId)]);
    return this;
  }

  /** Adds a raw batch (e.g. a bad row) whose rows are not counted as written. */
  rawBatch(stream: string, rows: readonly Record<string, unknown>[]): this {
    this.messages.push({ type: 'batch', stream, rows });
    return this;
  }

  /** Adds a checkpoint of `stream` whose state counts the stream's rows so far. */
  checkpoint(stream: string): this {
    const ids = this.ids(stream);
    const state = { position: ids.length };
    this.#checkpoints.push({ stream, state, index: this.messages.length, ids });
    this.messages.push({ type: 'checkpoint', stream, state });
    return this;
  }

  /** Ids of the rows of `stream` in the script. */
  ids(stream: string): readonly string[] {
    return this.#ids.get(stream) ?? [];
  }

  /** The checkpoint of `stream` with `state`, or `undefined` when none was sent. */
  checkpointOf(stream: string, state: StreamState | undefined): ScriptCheckpoint | undefined {
    const text = canonical(state);
    return this.#checkpoints.find((c) => c.stream === stream && canonical(c.state) === text);
  }

  /** The last checkpoint of `stream`. */
  lastCheckpoint(stream: string): ScriptCheckpoint | undefined {
    return this.#checkpoints.filter((c) => c.stream === stream).at(-1);
  }
}
