import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { JsonValue, StreamState } from '@ferry/core';
import { syncDirectory, writeSynced } from './durable-fs.js';
import { errnoCode, fsCall, fsError } from '@ferry/storage';
import { lockTransfer, type Lock } from './lock.js';
import { parseState, stateText } from './state-check.js';

/** A run as recorded in the state, so a crashed one can be cleaned up by the next run. */
export interface RunJournal {
  readonly run_id: string;
  readonly batch_id: string;
  readonly started_at: string;
  readonly worker_id: string;
  /** The streams the run set out to write (and a later run must clean up). */
  readonly streams: readonly string[];
  /** Per stream: the destination's `commit` of the last ack saved. */
  readonly commits: Record<string, JsonValue>;
}

/** Everything the runner remembers about one transfer between runs. */
export interface TransferState {
  readonly version: 1;
  readonly transfer: string;
  /** Per stream: the last acknowledged source state. */
  readonly streams: Record<string, { readonly state: StreamState; readonly updated_at: string }>;
  /** Runs that started and have not finished (oldest first); the current run is the last. */
  readonly unfinished: readonly RunJournal[];
}

/** Where transfer states are kept. */
export interface StateStore {
  /**
   * The saved state, or an empty one for a transfer never run.
   * @throws ConfigError when the saved state is damaged (never silently starts over).
   */
  load(transfer: string): Promise<TransferState>;
  /**
   * Saves atomically and durably: a crash leaves the previous or the new state, never a mix, and
   * once this resolves the new state survives a power loss.
   */
  save(state: TransferState): Promise<void>;
  /** Where the state of `transfer` lives, for messages. */
  describe(transfer: string): string;
  /** Takes the transfer's run lock (one run at a time). */
  lock(transfer: string): Promise<Lock>;
}

/** The state of a transfer never run. */
export function emptyState(transfer: string): TransferState {
  return { version: 1, transfer, streams: {}, unfinished: [] };
}

/**
 * Keeps each transfer's state in `<dir>/<transfer>.json` (default dir `.ferry/state`): written to
 * a temporary file, flushed to disk, renamed over the old one, and the directory flushed so that
 * the rename is durable too. Every file system failure is a ferry error naming the file: access
 * denied is an `AuthError`, a path that cannot hold the file or a full disk a `ConnectionError`,
 * a shortage of descriptors a `TransientError`.
 */
export class FileStateStore implements StateStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  describe(transfer: string): string {
    return join(this.#dir, `${transfer}.json`);
  }

  /**
   * Takes the transfer's run lock, `<dir>/<transfer>.lock` (see {@link lockTransfer}).
   * @throws TransientError when another run holds it.
   */
  lock(transfer: string): Promise<Lock> {
    return lockTransfer(this.#dir, transfer);
  }

  /**
   * @throws ConfigError (its `file` the state file, its issues JSON Pointers into it) when the
   *   file is not a valid version 1 state of `transfer`; a ferry error when it cannot be read.
   */
  async load(transfer: string): Promise<TransferState> {
    const file = this.describe(transfer);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return emptyState(transfer);
      throw fsError(error, 'reading state', file);
    }
    return parseState(text, { file, transfer });
  }

  /**
   * @throws InternalError when `state` would not load back (nothing is written); a ferry error
   *   when it cannot be written (the previous state is left in place).
   */
  async save(state: TransferState): Promise<void> {
    const file = this.describe(state.transfer);
    const text = stateText(state, file);
    await fsCall(() => mkdir(this.#dir, { recursive: true }), 'saving state', file);
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeSynced(temp, text);
      await rename(temp, file);
    } catch (error) {
      // The original error is what the user needs; a leftover temp file is harmless.
      await rm(temp, { force: true }).catch(() => undefined);
      throw fsError(error, 'saving state', file);
    }
    await fsCall(() => syncDirectory(this.#dir), 'saving state', file);
  }
}
