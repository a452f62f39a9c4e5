import type { AckMessage, RecoveryInfo, RunInfo } from '@ferry/core';
import type { RunJournal, StateStore, TransferState } from './state-store.js';

/**
 * The runner's view of a transfer's state during a run: records the run in the journal before
 * anything is written, saves each acknowledged state (with the destination's commit token), and
 * clears the journal when the run succeeds. Saves are serialized; each writes the whole state.
 */
export class StateKeeper {
  #state: TransferState;
  readonly #store: StateStore;
  #saving: Promise<void> = Promise.resolve();

  private constructor(store: StateStore, state: TransferState) {
    this.#store = store;
    this.#state = state;
  }

  /** Loads the saved state of `transfer`. */
  static async open(store: StateStore, transfer: string): Promise<StateKeeper> {
    return new StateKeeper(store, await store.load(transfer));
  }

  /** The current state (as last saved or about to be). */
  get state(): TransferState {
    return this.#state;
  }

  /** What earlier unfinished runs left behind, for the destination to clean up. */
  recovery(): RecoveryInfo[] {
    return this.#state.unfinished.map((journal) => ({
      run: {
        runId: journal.run_id,
        batchId: journal.batch_id,
        startedAt: new Date(journal.started_at),
        workerId: journal.worker_id,
      },
      commits: journal.commits,
    }));
  }

  /**
   * Records that `run` starts writing `stream`, before any of its data is written; a stream that
   * never starts is never journaled, so it leaves nothing for later runs to clean up.
   */
  async startStream(run: RunInfo, stream: string): Promise<void> {
    await this.#update((s) => {
      const mine = s.unfinished.find((j) => j.run_id === run.runId);
      if (mine === undefined) {
        const journal: RunJournal = {
          run_id: run.runId,
          batch_id: run.batchId,
          started_at: run.startedAt.toISOString(),
          worker_id: run.workerId,
          streams: [stream],
          commits: {},
        };
        return { ...s, unfinished: [...s.unfinished, journal] };
      }
      const unfinished = s.unfinished.map((j) =>
        j === mine ? { ...j, streams: [...j.streams, stream] } : j,
      );
      return { ...s, unfinished };
    });
  }

  /**
   * Saves an ack: the stream's new state and the destination's commit token for recovery. A
   * destination acks only after it has cleaned up after earlier runs, so the stream also leaves
   * their journals (journals left with no stream go).
   */
  async acknowledge(run: RunInfo, ack: AckMessage): Promise<void> {
    await this.#update((s) => {
      const unfinished = s.unfinished
        .map((j) => {
          if (j.run_id !== run.runId)
            return { ...j, streams: j.streams.filter((n) => n !== ack.stream) };
          return ack.commit === undefined
            ? j
            : { ...j, commits: { ...j.commits, [ack.stream]: ack.commit } };
        })
        .filter((j) => j.run_id === run.runId || j.streams.length > 0);
      if (ack.state === undefined) return { ...s, unfinished };
      const entry = { state: ack.state, updated_at: new Date().toISOString() };
      return { ...s, unfinished, streams: { ...s.streams, [ack.stream]: entry } };
    });
  }

  /**
   * Settles the streams of `run` that finished: everything they wrote is committed and acked, and
   * writing them cleaned up what earlier runs left in the same streams. They are dropped from every
   * journal (this run's included); journals left with no stream go. Streams that failed or were
   * cancelled stay journaled, so the next run cleans up after them.
   */
  async finish(finished: readonly string[]): Promise<void> {
    const done = new Set(finished);
    await this.#update((s) => ({
      ...s,
      unfinished: s.unfinished
        .map((j) => ({ ...j, streams: j.streams.filter((name) => !done.has(name)) }))
        .filter((j) => j.streams.length > 0),
    }));
  }

  async #update(change: (state: TransferState) => TransferState): Promise<void> {
    this.#state = change(this.#state);
    const snapshot = this.#state;
    const saving = this.#saving.then(() => this.#store.save(snapshot));
    // A failed save must fail its caller but not block the saves after it.
    this.#saving = saving.catch(() => undefined);
    await saving;
  }
}
