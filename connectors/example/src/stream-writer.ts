import {
  RecordError,
  type AckMessage,
  type ConfiguredStream,
  type Logger,
  type Row,
  type RunInfo,
  type StreamState,
} from '@ferry/core';
import { encodeLine } from './codec.js';
import { AppendFile, moveFile, removeFile, sizeOf, truncateFile } from './files.js';
import { streamFiles, writeSchemaFile, type StreamFiles } from './layout.js';
import { markRunStart, snapshotFile, type Commit } from './recovery.js';

/** What a {@link StreamWriter} writes, and where. */
export interface StreamWriterSpec {
  readonly dir: string;
  readonly stream: ConfiguredStream;
  readonly run: RunInfo;
  readonly logger: Logger;
}

/**
 * Writes one stream of one run. `append` appends to `<stream>.jsonl` and acknowledges each
 * checkpoint once the rows before it are flushed to disk. `replace` writes the new snapshot to a
 * file of its own and renames it over `<stream>.jsonl` at the end, so readers see the old snapshot
 * or the new one, never a mix; its checkpoints are acknowledged then, all at once.
 */
export class StreamWriter {
  readonly #spec: StreamWriterSpec;
  readonly #files: StreamFiles;
  readonly #out: AppendFile;
  /** Size of the output at the last ack: what a failure cuts the file back to. */
  #acked: number;
  #state: StreamState | undefined;
  #finished = false;

  private constructor(spec: StreamWriterSpec, files: StreamFiles, out: AppendFile) {
    this.#spec = spec;
    this.#files = files;
    this.#out = out;
    this.#acked = 0;
  }

  /** Opens the output of a stream (call after recovery: the start is measured here). */
  static async open(spec: StreamWriterSpec): Promise<StreamWriter> {
    const files = streamFiles(spec.dir, spec.stream.name);
    if (spec.stream.writeMode === 'replace') {
      return new StreamWriter(spec, files, await AppendFile.open(snapshotFile(files, spec.run)));
    }
    const start = await sizeOf(files.data);
    await markRunStart(files, spec.run, start);
    await writeSchemaFile(files, spec.stream);
    const writer = new StreamWriter(spec, files, await AppendFile.open(files.data));
    writer.#acked = start;
    return writer;
  }

  /**
   * Appends `rows`. Every row is encoded before the first byte is written, so a row that does not
   * fit its fields leaves the file as it was.
   * @throws RecordError naming the stream, the row (index in the batch) and the field.
   */
  async write(rows: readonly Row[]): Promise<void> {
    const { name, fields } = this.#spec.stream;
    const lines = rows.map((row, i) => {
      try {
        return encodeLine(row, fields) + '\n';
      } catch (error) {
        throw error instanceof RecordError ? error.at({ stream: name, row: i }) : error;
      }
    });
    if (lines.length > 0) await this.#out.append(lines.join(''));
  }

  /** Records a checkpoint; returns its ack once the rows before it are durable. */
  async checkpoint(state: StreamState): Promise<AckMessage[]> {
    this.#state = state;
    return this.#spec.stream.writeMode === 'append' ? [await this.#ack()] : [];
  }

  /** Makes everything durable (and a snapshot visible); returns the stream's final ack. */
  async finish(): Promise<AckMessage> {
    if (this.#spec.stream.writeMode === 'append') {
      const ack = await this.#ack();
      await this.#out.close();
      this.#finished = true;
      return ack;
    }
    this.#acked = await this.#out.sync();
    await this.#out.close();
    // Schema first: whoever sees the new rows must be able to decode them.
    await writeSchemaFile(this.#files, this.#spec.stream);
    await moveFile(this.#out.path, this.#files.data);
    this.#finished = true;
    return this.#ackMessage();
  }

  /** After a failure: removes what was written since the last ack (best effort, never throws). */
  async rollBack(): Promise<void> {
    if (this.#finished) return;
    await this.#out.close();
    try {
      if (this.#spec.stream.writeMode === 'replace') await removeFile(this.#out.path);
      else await truncateFile(this.#out.path, this.#acked);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#spec.logger.warn('could not remove the rows written since the last ack', { reason });
    }
  }

  async #ack(): Promise<AckMessage> {
    this.#acked = await this.#out.sync();
    return this.#ackMessage();
  }

  #ackMessage(): AckMessage {
    const stream = this.#spec.stream.name;
    const commit = { bytes: this.#acked } satisfies Commit;
    const state = this.#state;
    return state === undefined
      ? { type: 'ack', stream, commit }
      : { type: 'ack', stream, state, commit };
  }
}
