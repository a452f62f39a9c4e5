import type { Readable } from 'node:stream';
import {
  ParquetEnvelopeWriter,
  ParquetSchema,
  ParquetWriter,
  type ParquetCompression,
} from '@dsnp/parquetjs';
import { InternalError, toFerryError, type Field, type Row } from '@ferry/core';
import { SizeEstimate } from './estimate.js';
import { convertBatch, Lifecycle } from './lifecycle.js';
import { ByteOutput } from './output.js';
import { compileParquetRow, type SizeMeter } from './parquet-values.js';
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

/**
 * A Parquet {@link RowWriter} on @dsnp/parquetjs (mapping and workarounds in parquet-schema.ts).
 * Rows are buffered per row group; the writer emits the file header at once, then one chunk per
 * row group, then the footer on `close`.
 */
export class ParquetRowWriter implements RowWriter {
  readonly output: Readable;
  private readonly out = new ByteOutput();
  private readonly lifecycle = new Lifecycle('parquet', this.out);
  private readonly meter: SizeMeter = { bytes: 0 };
  private readonly convert: (row: Row) => Record<string, unknown>;
  private readonly opened: Promise<ParquetWriter>;
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
    this.convert = compileParquetRow(options.fields, this.meter);
    this.estimate = new SizeEstimate(INITIAL_RATIO[options.compression]);
    const schemas = parquetSchemas(options.fields, CODECS[options.compression]);
    this.opened = openParquet(schemas, this.out, this.rowGroupRows).catch((error: unknown) => {
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
      const writer = await this.opened;
      for (const record of records) {
        this.lifecycle.throwIfFailed();
        await this.encode(() => writer.appendRow(record));
        this.afterRow(rawPerRow);
      }
      this.lifecycle.throwIfFailed();
    } finally {
      this.lifecycle.leave();
    }
  }

  async close(): Promise<WriteSummary> {
    this.lifecycle.enter('close');
    try {
      const writer = await this.opened;
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
  private async encode(call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.lifecycle.throwIfFailed();
      const failure = toFerryError(error, 'encoding parquet');
      this.out.fail(failure);
      throw failure;
    }
  }

  private afterRow(rawBytes: number): void {
    this.accepted += 1;
    this.pendingRaw += rawBytes;
    if (this.accepted % this.rowGroupRows === 0) {
      // parquetjs has just encoded and emitted the row group.
      this.flushedRaw += this.pendingRaw;
      this.pendingRaw = 0;
      this.estimate.learn(this.out.bytes - MAGIC_BYTES, this.flushedRaw);
    }
    this.estimate.update(this.out.bytes, this.pendingRaw);
  }
}

type OutputStream = Parameters<typeof ParquetEnvelopeWriter.openStream>[1];

/** The minimal stream parquetjs writes to (lib/util.js `oswrite`/`osend` use only these two). */
function streamFor(out: ByteOutput): OutputStream {
  const stream = {
    write(chunk: Buffer, callback: () => void): boolean {
      void out.write(chunk).then(callback);
      return true;
    },
    end(callback: () => void): void {
      out.end();
      callback();
    },
  };
  // parquetjs types the target as fs.WriteStream's write/end overloads; it calls only these forms.
  return stream as unknown as OutputStream;
}

async function openParquet(
  schemas: ParquetSchemas,
  out: ByteOutput,
  rowGroupSize: number,
): Promise<ParquetWriter> {
  const valueSchema = new ParquetSchema(schemas.value);
  const footerSchema = new ParquetSchema(schemas.footer);
  const options = { rowGroupSize };
  const envelope = await ParquetEnvelopeWriter.openStream(valueSchema, streamFor(out), options);
  // Workaround 1 of parquet-schema.ts: the footer (the only place annotations are written) is
  // encoded from the annotated schema; everything before it from the value schema.
  // Declared void, but returns the write's promise, which parquetjs awaits: it must be passed on.
  const writeFooter = envelope.writeFooter.bind(envelope) as (
    metadata: Record<string, string>,
  ) => Promise<void>;
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- parquetjs awaits this promise although it declares void
  envelope.writeFooter = (metadata) => {
    assertSameColumns(valueSchema, footerSchema);
    envelope.schema = footerSchema;
    return writeFooter(metadata);
  };
  return new ParquetWriter(valueSchema, envelope, options);
}

/** The footer describes the column chunks already written: same columns, same physical types. */
function assertSameColumns(value: ParquetSchema, footer: ParquetSchema): void {
  const same =
    value.fieldList.length === footer.fieldList.length &&
    value.fieldList.every((column, i) => {
      const other = footer.fieldList[i];
      return (
        other?.path.join('.') === column.path.join('.') &&
        other.primitiveType === column.primitiveType
      );
    });
  if (!same) throw new InternalError('parquet value and footer schemas differ');
}
