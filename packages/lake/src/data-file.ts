import { InternalError, RecordError, type Field, type Row } from '@ferry/core';
import { createWriter, type RowWriter } from '@ferry/formats';
import type { ObjectStore, PutResult } from '@ferry/storage';
import type { CommittedFile } from './manifest.js';
import { formatCompression, type LakeCompression, type LakeFormat } from './options.js';

/** What a data file is written with. */
export interface DataFileSpec {
  readonly store: ObjectStore;
  readonly key: string;
  readonly stream: string;
  readonly format: LakeFormat;
  readonly compression: LakeCompression;
  readonly fields: readonly Field[];
  readonly signal: AbortSignal;
}

/**
 * One data file being written: rows are encoded and streamed to the store as they come, so memory
 * holds at most the encoder's buffer (a Parquet row group) whatever the file's size. The object
 * becomes visible only when {@link DataFile.close} resolves.
 */
export class DataFile {
  readonly key: string;
  readonly #spec: DataFileSpec;
  readonly #writer: RowWriter;
  readonly #upload: Promise<PutResult>;

  constructor(spec: DataFileSpec) {
    this.#spec = spec;
    this.key = spec.key;
    const compression = formatCompression(spec.compression);
    this.#writer = createWriter(
      spec.format,
      compression === undefined ? { fields: spec.fields } : { fields: spec.fields, compression },
    );
    this.#upload = spec.store.put(spec.key, this.#writer.output, { signal: spec.signal });
    // If storing fails, stop the encoder too, so a write waiting on backpressure rejects.
    this.#upload.catch((error: unknown) => {
      this.#writer.abort(error instanceof Error ? error : new Error(String(error)));
    });
  }

  /** Rows written so far. */
  get rows(): number {
    return this.#writer.rows;
  }

  /** Estimated size so far, in bytes. */
  get bytes(): number {
    return this.#writer.bytes;
  }

  /** Appends rows. @throws RecordError naming the stream, file, row and field of a bad value. */
  async write(rows: readonly Row[]): Promise<void> {
    try {
      await this.#writer.write(rows);
    } catch (error) {
      if (error instanceof RecordError) {
        throw error.at({ stream: this.#spec.stream, key: this.#spec.store.describe(this.key) });
      }
      return this.#fail(error);
    }
  }

  /** Finishes the file and waits until the store holds all of it. */
  async close(): Promise<CommittedFile> {
    let written: { rows: number; bytes: number };
    try {
      written = await this.#writer.close();
    } catch (error) {
      return this.#fail(error);
    }
    const stored = await this.#upload;
    if (stored.size !== written.bytes) {
      throw new InternalError(
        `storing ${this.#spec.store.describe(this.key)}: stored ${stored.size} bytes of ${written.bytes}`,
      );
    }
    return { key: this.key, rows: written.rows, bytes: stored.size };
  }

  /**
   * The encoder failed: stops the upload and throws the store's own error when storing is what
   * failed first (a full disk, a denied write), else the encoder's.
   */
  async #fail(error: unknown): Promise<never> {
    const reason = error instanceof Error ? error : new Error(String(error));
    this.#writer.abort(reason);
    await this.#upload;
    throw reason;
  }

  /** Abandons the file; nothing of it stays visible. */
  async abort(reason: Error): Promise<void> {
    this.#writer.abort(reason);
    await this.#upload.catch(() => undefined);
  }
}
