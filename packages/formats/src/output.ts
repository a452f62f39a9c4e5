import { Readable } from 'node:stream';
import { InternalError } from '@ferry/core';

/**
 * How many bytes the output buffers before an encoder has to wait for the consumer. Together
 * with one encoded chunk (a Parquet row group, a gzip block) this bounds a writer's output memory.
 */
export const OUTPUT_HIGH_WATER_MARK = 1024 * 1024;

/**
 * The readable end of a writer: encoders push file bytes, the consumer (e.g. a storage upload)
 * pulls them. Pushing never blocks; {@link ByteOutput.write} resolves only when the consumer has
 * room again, which is how backpressure reaches `RowWriter.write`.
 *
 * After a failure (the writer aborted, or the consumer destroyed the stream) writes resolve at
 * once and drop their bytes, and {@link ByteOutput.failure} holds the reason: encoders must check
 * it, so a waiting encoder is never left hanging and never leaves a rejected promise unhandled.
 */
export class ByteOutput {
  /** The file bytes. */
  readonly stream: Readable;
  private pushed = 0;
  private ended = false;
  private error: Error | undefined;
  private waiters: (() => void)[] = [];

  /** @param onFailure called once when the output fails (abort, or destroyed by its consumer). */
  constructor(private readonly onFailure?: (reason: Error) => void) {
    this.stream = new Readable({
      highWaterMark: OUTPUT_HIGH_WATER_MARK,
      read: () => {
        this.release();
      },
      destroy: (error, callback) => {
        this.onDestroy(error);
        callback(error);
      },
    });
    // The consumer sees errors through its own listener; this one only keeps an output nobody
    // listens to (e.g. after the consumer gave up) from crashing the process.
    this.stream.on('error', () => undefined);
  }

  /** Bytes pushed so far (exact file size once ended). */
  get bytes(): number {
    return this.pushed;
  }

  /** Why the output failed, if it did. */
  get failure(): Error | undefined {
    return this.error;
  }

  /** Pushes bytes; false when the consumer is behind (then await {@link ByteOutput.ready}). */
  push(chunk: Buffer): boolean {
    if (this.error !== undefined || chunk.length === 0) return true;
    this.pushed += chunk.length;
    return this.stream.push(chunk);
  }

  /** Pushes bytes and resolves when the consumer has room for more (or the output failed). */
  write(chunk: Buffer): Promise<void> {
    return this.push(chunk) ? Promise.resolve() : this.ready();
  }

  /** Resolves when the consumer asks for more bytes, or at once if the output failed. */
  ready(): Promise<void> {
    if (this.error !== undefined) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Ends the stream after the bytes pushed so far. */
  end(): void {
    if (this.error !== undefined || this.ended) return;
    this.ended = true;
    this.stream.push(null);
  }

  /** Destroys the stream with `reason` (the consumer sees it); idempotent. */
  fail(reason: Error): void {
    if (this.error !== undefined) return;
    this.setFailure(reason);
    this.stream.destroy(reason);
  }

  private onDestroy(error: Error | null): void {
    if (this.error === undefined && (error !== null || !this.ended)) {
      this.setFailure(
        error ?? new InternalError('the output was closed by its consumer before the file ended'),
      );
    }
  }

  private setFailure(reason: Error): void {
    this.error = reason;
    this.release();
    this.onFailure?.(reason);
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
