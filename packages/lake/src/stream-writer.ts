import type {
  ConfiguredStream,
  DestinationMessage,
  JsonValue,
  Logger,
  Row,
  RunInfo,
  StreamState,
} from '@ferry/core';
import { fileExtension } from '@ferry/formats';
import type { ObjectStore } from '@ferry/storage';
import { DataFile } from './data-file.js';
import type { Layout } from './layout.js';
import {
  buildManifest,
  writeManifest,
  type CommittedFile,
  type ManifestInput,
} from './manifest.js';
import { formatCompression, type LakeOptions } from './options.js';
import { verifyStored } from './verify.js';

/** What a {@link StreamWriter} needs. */
export interface StreamWriterSpec {
  readonly store: ObjectStore;
  readonly layout: Layout;
  readonly options: LakeOptions;
  readonly stream: ConfiguredStream;
  readonly run: RunInfo;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

/** The destination's commit token: how many data files of this run are committed. */
export interface LakeCommit {
  readonly files: number;
}

/**
 * Writes one stream of one run into the lake: rotates files at the row and size limits, and
 * commits at checkpoints. A commit closes the open file (so file boundaries fall on checkpoints),
 * checks that the store holds each new file at its uploaded size (one HEAD request per file),
 * rewrites the run's manifest, and only then acknowledges the checkpoint. Files closed by rotation
 * but not yet committed are removed if the run fails, and by recovery if it crashes.
 */
export class StreamWriter {
  readonly #spec: StreamWriterSpec;
  readonly #manifest: ManifestInput;
  readonly #extension: string;
  #open: DataFile | undefined;
  #uncommitted: CommittedFile[] = [];
  readonly #committed: CommittedFile[] = [];
  #nextIndex = 0;
  #pending: { readonly state: StreamState } | undefined;
  #lastCommitAt = Date.now();

  constructor(spec: StreamWriterSpec) {
    this.#spec = spec;
    const { options, stream, run } = spec;
    this.#manifest = {
      stream: stream.name,
      run,
      layout: options.layout,
      format: options.format,
      writeMode: stream.writeMode,
      fields: stream.fields,
    };
    this.#extension = fileExtension(options.format, formatCompression(options.compression));
  }

  /** Files committed by this run so far. */
  get committed(): readonly CommittedFile[] {
    return this.#committed;
  }

  /** Appends rows, starting new files at the limits. */
  async write(rows: readonly Row[]): Promise<void> {
    const limit = this.#spec.options.max_rows_per_file;
    let offset = 0;
    while (offset < rows.length) {
      const file = this.#open ?? this.#openFile();
      const take = Math.min(rows.length - offset, limit - file.rows);
      await file.write(take === rows.length ? rows : rows.slice(offset, offset + take));
      offset += take;
      if (file.rows >= limit || file.bytes >= this.#spec.options.max_bytes_per_file) {
        await this.#closeOpenFile();
      }
    }
  }

  /**
   * Records a checkpoint; commits and returns its ack when the flush interval has passed (append
   * streams only: a snapshot is committed once, whole, at the end).
   */
  async checkpoint(state: StreamState): Promise<DestinationMessage[]> {
    this.#pending = { state };
    const elapsedMs = Date.now() - this.#lastCommitAt;
    const due = elapsedMs >= this.#spec.options.flush_interval_s * 1000;
    return this.#spec.stream.writeMode === 'append' && due ? this.#commit('writing') : [];
  }

  /** How this stream is written. */
  get writeMode(): ConfiguredStream['writeMode'] {
    return this.#spec.stream.writeMode;
  }

  /**
   * Commits everything left and returns the file messages and the final ack. A snapshot with no
   * rows still gets one (empty) file, so the table keeps its schema and stays readable.
   */
  async finish(): Promise<DestinationMessage[]> {
    const wrote = this.#committed.length + this.#uncommitted.length > 0 || this.#open !== undefined;
    if (this.writeMode === 'replace' && !wrote) {
      this.#openFile();
      this.#spec.logger.warn('the snapshot has no rows; writing an empty file');
    }
    return this.#commit('complete');
  }

  /** Abandons the open file and removes files not yet committed (best effort). */
  async abort(reason: Error): Promise<void> {
    const open = this.#open;
    this.#open = undefined;
    await open?.abort(reason);
    const orphans = this.#uncommitted.map((f) => f.key);
    this.#uncommitted = [];
    if (orphans.length === 0) return;
    try {
      await this.#spec.store.delete(orphans);
    } catch (error) {
      this.#spec.logger.warn('could not remove uncommitted files', {
        files: orphans.length,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  #openFile(): DataFile {
    const { store, layout, stream, run, options, signal } = this.#spec;
    const index = this.#nextIndex++;
    const key = layout.fileKey({ stream: stream.name, run, index, extension: this.#extension });
    this.#open = new DataFile({
      store,
      key,
      stream: stream.name,
      format: options.format,
      compression: options.compression,
      fields: stream.fields,
      signal,
    });
    return this.#open;
  }

  async #closeOpenFile(): Promise<void> {
    const open = this.#open;
    if (open === undefined) return;
    this.#open = undefined;
    const file = await open.close();
    this.#uncommitted.push(file);
    this.#spec.logger.debug('file written', { key: file.key, rows: file.rows, bytes: file.bytes });
  }

  async #commit(status: 'writing' | 'complete'): Promise<DestinationMessage[]> {
    await this.#closeOpenFile();
    const files = this.#uncommitted;
    const state = this.#pending?.state;
    const all = [...this.#committed, ...files];
    const progress = state === undefined ? { status } : { status, state };
    // Until the manifest lists them, these files stay in #uncommitted: if one is missing or
    // short, the error leaves them there for `abort` (or recovery) to remove, and nothing is acked.
    await verifyStored(this.#spec.store, files);
    if (files.length > 0) this.#spec.logger.debug('files verified', { files: files.length });
    // A run that wrote nothing to this stream leaves no manifest behind.
    if (all.length > 0) {
      await writeManifest(this.#spec.store, buildManifest(this.#manifest, all, progress));
    }
    this.#committed.push(...files);
    this.#uncommitted = [];
    this.#lastCommitAt = Date.now();
    const name = this.#spec.stream.name;
    const commit: LakeCommit & Record<string, JsonValue> = { files: this.#committed.length };
    const { store } = this.#spec;
    const messages: DestinationMessage[] = files.map((f) => ({
      type: 'file',
      stream: name,
      ...f,
      location: store.describe(f.key),
    }));
    messages.push(
      state === undefined
        ? { type: 'ack', stream: name, commit }
        : { type: 'ack', stream: name, state, commit },
    );
    return messages;
  }
}
