import { randomUUID } from 'node:crypto';
import type {
  AckMessage,
  ConfiguredStream,
  Destination,
  FileMessage,
  RunInfo,
  DataMessage,
} from '@ferry/core';
import { connectorCall, testContext } from './support.js';

/** A fresh run identity, as the runner makes one. */
export function runInfo(): RunInfo {
  const id = randomUUID().replaceAll('-', '');
  return { runId: id, batchId: id.slice(0, 16), startedAt: new Date(), workerId: '0' };
}

/**
 * The messages a destination pulls. After the last one it either ends, or (with `hangOn`) waits
 * until that signal is aborted and throws its reason, as a source does when a run is cancelled.
 */
export class Feed implements AsyncIterable<DataMessage> {
  /** Messages the destination has pulled so far. */
  pulled = 0;
  /** Resolves when the destination asks for a message after the last one. */
  readonly exhausted: Promise<void>;
  #onExhausted: () => void = () => undefined;
  readonly #messages: readonly DataMessage[];
  readonly #hangOn: AbortSignal | undefined;

  constructor(messages: readonly DataMessage[], hangOn?: AbortSignal) {
    this.#messages = messages;
    this.#hangOn = hangOn;
    this.exhausted = new Promise((resolve) => {
      this.#onExhausted = resolve;
    });
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<DataMessage> {
    for (const message of this.#messages) {
      this.pulled += 1;
      yield message;
    }
    this.#onExhausted();
    const signal = this.#hangOn;
    if (signal === undefined) return;
    await new Promise((resolve) => {
      signal.addEventListener('abort', resolve, { once: true });
    });
    signal.throwIfAborted();
  }
}

/** One `write` call of a suite. */
export interface WriteInput {
  readonly destination: Destination;
  readonly config: unknown;
  readonly streams: readonly ConfiguredStream[];
  readonly feed: Feed;
  readonly signal?: AbortSignal;
  /** Called at each ack while the destination waits (it is paused at its `yield`). */
  readonly onAck?: (ack: AckMessage, pulled: number) => Promise<void>;
}

/** What a write yielded. */
export interface WriteOutput {
  readonly acks: AckMessage[];
  readonly files: FileMessage[];
}

/**
 * Runs one `write` to its end, handing each ack to `onAck`. An error of `onAck` (a failed
 * assertion) ends the write through `return()`, as the runner ends it when a run fails.
 */
export async function runWrite(input: WriteInput): Promise<WriteOutput> {
  const out: WriteOutput = { acks: [], files: [] };
  const request = { streams: input.streams, run: runInfo(), messages: input.feed };
  const messages = input.destination.write(testContext(input.signal), input.config, request);
  const iterator = messages[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await connectorCall('write', () => iterator.next());
      if (next.done === true) return out;
      if (next.value.type === 'file') out.files.push(next.value);
      else {
        out.acks.push(next.value);
        await input.onAck?.(next.value, input.feed.pulled);
      }
    }
  } catch (error) {
    await iterator.return?.().catch(() => undefined);
    throw error;
  }
}
