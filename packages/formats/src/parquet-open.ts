import { ParquetEnvelopeWriter, ParquetSchema, ParquetWriter } from '@dsnp/parquetjs';
import { InternalError } from '@ferry/core';
import type { ByteOutput } from './output.js';
import type { ParquetSchemas } from './parquet-schema.js';

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

/**
 * Opens a parquetjs writer of `schemas.value` onto `out`, with the footer swap of workaround 1
 * (parquet-schema.ts): the footer is encoded from `schemas.footer`.
 */
export async function openParquet(
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
