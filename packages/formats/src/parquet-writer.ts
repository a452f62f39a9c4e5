import type { Readable } from 'node:stream';
import type { ParquetCompression, ParquetWriter } from '@dsnp/parquetjs';
import { toFerryError, type Field, type Row } from '@ferry/core';
import { SizeEstimate } from './estimate.js';
import { convertBatch, Lifecycle } from './lifecycle.js';
import { ByteOutput } from './output.js';
import { ParquetAppender, type ParquetRecord } from './parquet-append.js';
import { openParquet } from './parquet-open.js';
import { compileParquetConverter } from './parquet-convert.js';
import type { SizeMeter } from './parquet-values.js';
import { parquetSchemas, type ParquetSchemas } from './parquet-schema.js';
import { checkFields } from './schema-check.js';
import type { RowWriter, WriteSummary } from './writer.js';

/** Options of {@link ParquetRowWriter}. */
export interface ParquetRowWriterOptions {
  readonly fields: readonly Field[];
  readonly compression: 'snappy' | 'gzip' | 'none';
  readonly rowGroupRows: number;
}

const CODECS: Record<ParquetRowWriterOptions['compression'], ParquetCompression> = {
  snappy: 'SNAPPY',
  gzip: 'GZIP',
  none: 'UNCOMPRESSED',
};

// Encoded/raw size until the first row group is out; measured on event-like rows (snappy 0.20,
// gzip 0.11, none 0.99) and rounded up, so a file rotates early rather than late.
const INITIAL_RATIO: Record<ParquetRowWriterOptions['compression'], number> = {
  snappy: 0.25,
  gzip: 0.15,
  none: 1.05,
};

const MAGIC_BYTES = 4;

/** An open parquetjs writer and the appender that fills its row buffer. */
interface Opened {
  readonly writer: ParquetWriter;
  readonly appender: ParquetAppender;
}

/**
 * A Parquet {@link RowWriter} on @dsnp/parquetjs (mapping and workarounds in parquet-schema.ts
 * and parquet-append.ts). Rows are buffered per row group; the writer emits the file header at
 * once, then one chunk per row group, then the footer on `close`.
 */
export class ParquetRowWriter implements RowWriter {
  readonly output: Readable;
  private readonly out = new ByteOutput();
  private readonly lifecycle = new Lifecycle('parquet', this.out);
  private readonly meter: SizeMeter = { bytes: 0 };
  private readonly convert: (row: Row) => ParquetRecord;
  private readonly opened: Promise<Opened>;
  private readonly estimate: SizeEstimate;
  private readonly rowGroupRows: number;
  private accepted = 0;
  private pendingRaw = 0;
  private flushedRaw = 0;
  private summary: WriteSummary | undefined;

  constructor(options: ParquetRowWriterOptions) {
    checkFields(options.fields, { format: 'parquet', forbiddenNameChars: ',' });
    this.output = this.out.stream;
    this.rowGroupRows = options.rowGroupRows;
    this.convert = compileParquetConverter(options.fields, this.meter);
    this.estimate = new SizeEstimate(INITIAL_RATIO[options.compression]);
    const schemas = parquetSchemas(options.fields, CODECS[options.compression]);
    this.opened = open(schemas, this.out, this.rowGroupRows).catch((error: unknown) => {
      const failure = toFerryError(error, 'opening parquet writer');
      this.out.fail(failure);
      throw failure;
    });
    // A failure here surfaces from the first write or close, which await `opened`.
    this.opened.catch(() => undefined);
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
      const rawBefore = this.meter.bytes;
      const records = convertBatch(rows, this.convert, {
        firstRow: this.accepted,
        format: 'parquet',
      });
      const rawPerRow = (this.meter.bytes - rawBefore) / Math.max(records.length, 1);
      const { appender } = await this.opened;
      // A page or row group at a time: the appender stops where parquetjs encodes.
      let next = 0;
      while (next < records.length) {
        this.lifecycle.throwIfFailed();
        const start = next;
        next = await this.encode(() => appender.append(records, start));
        this.afterRows(next - start, rawPerRow);
      }
      this.lifecycle.throwIfFailed();
    } finally {
      this.lifecycle.leave();
    }
  }

  async close(): Promise<WriteSummary> {
    this.lifecycle.enter('close');
    try {
      const { writer } = await this.opened;
      await this.encode(() => writer.close());
      this.lifecycle.throwIfFailed();
      this.summary = { rows: this.accepted, bytes: this.out.bytes };
      return this.summary;
    } finally {
      this.lifecycle.leave();
    }
  }

  abort(reason: Error): void {
    this.out.fail(reason);
  }

  /**
   * Runs a parquetjs call. Its errors are bugs (ours or parquetjs's), never data problems; the
   * file is then broken, so the output fails with the error too.
   */
  private async encode<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      this.lifecycle.throwIfFailed();
      const failure = toFerryError(error, 'encoding parquet');
      this.out.fail(failure);
      throw failure;
    }
  }

  /** Accounts for `rows` appended; the appender stops at each row group's last row. */
  private afterRows(rows: number, rawPerRow: number): void {
    this.accepted += rows;
    this.pendingRaw += rows * rawPerRow;
    if (this.accepted % this.rowGroupRows === 0) {
      // parquetjs has just encoded and emitted the row group.
      this.flushedRaw += this.pendingRaw;
      this.pendingRaw = 0;
      this.estimate.learn(this.out.bytes - MAGIC_BYTES, this.flushedRaw);
    }
    this.estimate.update(this.out.bytes, this.pendingRaw);
  }
}

async function open(
  schemas: ParquetSchemas,
  out: ByteOutput,
  rowGroupRows: number,
): Promise<Opened> {
  const writer = await openParquet(schemas, out, rowGroupRows);
  return { writer, appender: new ParquetAppender(writer) };
}
