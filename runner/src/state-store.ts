import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, isPlainObject, type JsonValue, type StreamState } from '@ferry/core';
import { lockTransfer, type Lock } from './lock.js';

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
  /** The saved state, or an empty one for a transfer never run. */
  load(transfer: string): Promise<TransferState>;
  /** Saves atomically: a crash leaves the previous or the new state, never a mix. */
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
 * Keeps each transfer's state in `<dir>/<transfer>.json` (default dir `.ferry/state`), written to
 * a temporary file, flushed to disk, then renamed over the old one.
 */
export class FileStateStore implements StateStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  describe(transfer: string): string {
    return join(this.#dir, `${transfer}.json`);
  }

  lock(transfer: string): Promise<Lock> {
    return lockTransfer(this.#dir, transfer);
  }

  async load(transfer: string): Promise<TransferState> {
    const file = this.describe(transfer);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState(transfer);
      throw error;
    }
    return parseState(text, file);
  }

  async save(state: TransferState): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    const file = this.describe(state.transfer);
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(JSON.stringify(state, null, 2) + '\n');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}

function parseState(text: string, file: string): TransferState {
  const fail = (message: string): never => {
    throw new ConfigError(
      { pointer: '', message: `${message}; fix it, or delete it to start the transfer over` },
      { file },
    );
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('the state file is not valid JSON');
  }
  if (!isPlainObject(parsed) || parsed.version !== 1 || !isPlainObject(parsed.streams)) {
    return fail('the state file is not a ferry state (version 1)');
  }
  if (!Array.isArray(parsed.unfinished)) return fail('the state file has no "unfinished" list');
  return parsed as unknown as TransferState;
}
