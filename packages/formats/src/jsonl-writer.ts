import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { createGzip, type Gzip } from 'node:zlib';
import { toFerryError, type Field, type Row } from '@ferry/core';
import { SizeEstimate } from './estimate.js';
import { compileJsonRow } from './jsonl-values.js';
import { convertBatch, Lifecycle } from './lifecycle.js';
import { ByteOutput } from './output.js';
import { checkFields } from './schema-check.js';
import type { RowWriter, WriteSummary } from './writer.js';

/** Options of {@link JsonlRowWriter}. */
export interface JsonlRowWriterOptions {
  readonly fields: readonly Field[];
  readonly compression: 'gzip' | 'none';
}

/**
 * The gzip level: 3. Measured on 1M event rows (see the package README): levels 1 and 3 cost the
 * same CPU (zlib's fast strategy) and write at the same speed, because compression runs on
 * libuv's thread pool in parallel with serialization; 3 makes files 4% smaller than 1. Level 6
 * makes them 9% smaller than 3 but costs about 35% more CPU and 20% of the throughput.
 */
export const JSONL_GZIP_LEVEL = 3;

/**
 * Lines are handed to gzip (or the output) in chunks of about this many characters: compressing
 * line by line is several times slower (TOOLING.md), and the chunk bounds the text buffered.
 */
export const JSONL_CHUNK_CHARS = 128 * 1024;

// Compressed/raw size until gzip has emitted enough to measure: 0.12 measured on event-like
// rows at level 3, rounded up so a file rotates early rather than late.
const INITIAL_GZIP_RATIO = 0.15;
// zlib holds back up to some tens of KiB; below this much output the measured ratio is too low.
const MIN_OUTPUT_TO_LEARN = 256 * 1024;

/** A JSON Lines {@link RowWriter}, gzip-compressed by default (mapping in jsonl-values.ts). */
export class JsonlRowWriter implements RowWriter {
  readonly output: Readable;
  private readonly out = new ByteOutput((reason) => {
    this.aborted.abort(reason);
    this.gzip?.destroy();
  });
  private readonly lifecycle = new Lifecycle('jsonl', this.out);
  private readonly convert: (row: Row) => string;
  private readonly gzip: Gzip | undefined;
  private readonly aborted = new AbortController();
  private readonly estimate: SizeEstimate;
  private accepted = 0;
  private pending = '';
  private rawWritten = 0;
  private summary: WriteSummary | undefined;

  constructor(options: JsonlRowWriterOptions) {
    checkFields(options.fields, { format: 'jsonl' });
    this.output = this.out.stream;
    this.convert = compileJsonRow(options.fields);
    this.estimate = new SizeEstimate(options.compression === 'gzip' ? INITIAL_GZIP_RATIO : 1);
    this.gzip = options.compression === 'gzip' ? this.startGzip() : undefined;
  }

  get rows(): number {
    return this.accepted;
  }

  get bytes(): number {
    return this.summary?.bytes ?? this.estimate.bytes;
  }

  async write(rows: readonly Row[]): Promise<void> {
    this.lifecycle.enter('write');
    try {
      const lines = convertBatch(rows, this.convert, { firstRow: this.accepted, format: 'jsonl' });
      for (const line of lines) {
        this.pending += line + '\n';
        this.accepted += 1;
        if (this.pending.length >= JSONL_CHUNK_CHARS) await this.flush();
      }
      this.updateEstimate();
    } finally {
      this.lifecycle.leave();
    }
  }

  async close(): Promise<WriteSummary> {
    this.lifecycle.enter('close');
    try {
      await this.flush();
      if (this.gzip !== undefined) {
        const ended = this.wait(this.gzip, 'end');
        this.gzip.end();
        await ended;
      }
      this.lifecycle.throwIfFailed();
      this.out.end();
      this.summary = { rows: this.accepted, bytes: this.out.bytes };
      return this.summary;
    } finally {
      this.lifecycle.leave();
    }
  }

  abort(reason: Error): void {
    this.out.fail(reason);
  }

  /** Hands the pending lines to gzip or the output; waits while either is full. */
  private async flush(): Promise<void> {
    this.lifecycle.throwIfFailed();
    if (this.pending === '') return;
    const chunk = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    this.rawWritten += chunk.length;
    if (this.gzip === undefined) await this.out.write(chunk);
    else if (!this.gzip.write(chunk)) await this.wait(this.gzip, 'drain');
    this.lifecycle.throwIfFailed();
    this.updateEstimate();
  }

  /** Estimate: all raw text so far times the measured compression ratio (1 without gzip). */
  private updateEstimate(): void {
    if (this.gzip !== undefined && this.out.bytes >= MIN_OUTPUT_TO_LEARN) {
      this.estimate.learn(this.out.bytes, this.rawWritten);
    }
    this.estimate.update(0, this.rawWritten + this.pending.length);
  }

  /** Waits for `event` on gzip; rejects with the failure if the writer fails meanwhile. */
  private async wait(gzip: Gzip, event: 'drain' | 'end'): Promise<void> {
    try {
      await once(gzip, event, { signal: this.aborted.signal });
    } catch (error) {
      this.lifecycle.throwIfFailed();
      throw error;
    }
  }

  private startGzip(): Gzip {
    const gzip = createGzip({ level: JSONL_GZIP_LEVEL });
    gzip.on('data', (chunk: Buffer) => {
      if (!this.out.push(chunk)) {
        gzip.pause();
        void this.out.ready().then(() => gzip.resume());
      }
    });
    gzip.on('error', (error) => {
      this.abort(toFerryError(error, 'compressing jsonl'));
    });
    return gzip;
  }
}
