/**
 * Workaround 4 (after the three in parquet-schema.ts): rows go into parquetjs's row buffer
 * through our column-wise shredder (parquet-shred.ts), not through `ParquetWriter.appendRow`'s
 * per-row `shredRecord`, which was most of the writer's time for wide, nested rows. (Rows reach
 * it converted by generated code, parquet-convert.ts; string columns keep their statistics in a
 * stand-in for parquetjs's Set of values, parquet-statistics.ts.)
 *
 * The hook: `ParquetWriter` keeps the rows of the current row group in `this.rowBuffer`
 * (`{ rowCount, pageRowCount, columnData, pages }`, lib/shred.js). `appendRow(row)` shreds the row
 * into it with `shredRecord(this.schema, ...)`, counts it, then encodes the buffered values as a
 * page once `pageRowCount >= pageSize` and writes the row group once `rowCount >= rowGroupSize`;
 * `close()` encodes and writes what is left. We fill the buffer ourselves for every row and count
 * every row but the one that completes a page or a row group. For that one we call `appendRow`,
 * after giving the writer a view of its schema without `fields`: `shredRecord` then shreds
 * nothing (it walks `fields`), only counts the row, and parquetjs runs its own page and row-group
 * encoding (pages, compression, statistics, Thrift metadata) on the buffer, exactly as before.
 * Encoding reads only the schema's `fieldList`, which the view keeps.
 *
 * The guard: this relies on internals of @dsnp/parquetjs 1.8.8 (the buffer's shape, when
 * `appendRow` flushes, how the writer reads `distinct_values`), so the writer refuses any other
 * version, checks the buffer's shape on every attach, and checks after each such `appendRow` that
 * parquetjs encoded the page (or wrote the row group). parquet-shred.test.ts checks that both
 * shredders fill identical buffers and that both paths write byte-identical files: re-run it
 * before moving VERIFIED_PARQUETJS_VERSION.
 */
import { createRequire } from 'node:module';
import type { ParquetSchema, ParquetWriter } from '@dsnp/parquetjs';
import { InternalError } from '@ferry/core';
import {
  compileShredder,
  emptyRowBuffer,
  type RecordShredder,
  type RowBuffer,
} from './parquet-shred.js';

/** The parquetjs version whose internals {@link ParquetAppender} was verified against. */
export const VERIFIED_PARQUETJS_VERSION = '1.8.8';

/** A parquetjs record, as `compileParquetRow` (and `compileParquetConverter`) convert rows. */
export type ParquetRecord = Record<string, unknown>;

// What `appendRow` gets: with the fieldless schema, parquetjs reads nothing of it.
const COUNT_ONLY: ParquetRecord = Object.freeze({});

/** Appends records to a `ParquetWriter`'s row buffer with a shredder compiled for its schema. */
export class ParquetAppender {
  private readonly shredder: RecordShredder;
  private attached: RowBuffer | undefined;

  /**
   * Takes over `writer`'s shredding (see above): from now on, append rows only through this.
   * @throws InternalError if the installed parquetjs is not the verified version.
   */
  constructor(private readonly writer: ParquetWriter) {
    checkVersion();
    this.shredder = compileShredder(writer.schema);
    writer.schema = fieldless(writer.schema);
  }

  /**
   * Appends `records[start]` onwards, up to and including the record that completes the current
   * page or row group (which parquetjs then encodes and writes), or up to the end.
   * Returns the index after the last record appended.
   *
   * @throws InternalError if parquetjs did not flush as 1.8.8 does; the file is then broken.
   * @throws whatever parquetjs's encoding or its output throws.
   */
  async append(records: readonly ParquetRecord[], start: number): Promise<number> {
    const buffer = this.buffer();
    const pageRoom = this.pageSize() - buffer.pageRowCount;
    const groupRoom = this.writer.rowGroupSize - buffer.rowCount;
    const room = Math.min(pageRoom, groupRoom);
    if (room < 1) internalsChanged('the row buffer is over its limits');
    const end = Math.min(records.length, start + room);
    for (const record of records.slice(start, end)) this.shredder.shred(record);
    const full = end - start === room;
    // appendRow counts the row that fills the page or the row group.
    buffer.rowCount += full ? room - 1 : end - start;
    buffer.pageRowCount += full ? room - 1 : end - start;
    if (!full) return end;
    await this.writer.appendRow(COUNT_ONLY);
    // parquetjs replaced the buffer or its columns' arrays and Sets: attach again.
    this.attached = undefined;
    if (groupRoom <= pageRoom) {
      if (this.writer.rowBuffer === buffer || 'rowCount' in this.writer.rowBuffer) {
        internalsChanged('appendRow did not write the full row group');
      }
    } else if (buffer.pageRowCount !== 0 || this.writer.rowBuffer !== buffer) {
      internalsChanged('appendRow did not encode the full page');
    }
    return end;
  }

  /** The writer's row buffer, created as `shredRecord` would if it is still empty. */
  private buffer(): RowBuffer {
    // parquetjs types the buffer's columns loosely (`values?: number[]`); parquet-shred.ts
    // describes the shape 1.8.8 gives them, which attach() checks.
    const internals = this.writer as unknown as { rowBuffer: Partial<RowBuffer> };
    const current = internals.rowBuffer;
    if (current === this.attached) return this.attached;
    const buffer =
      current.columnData === undefined ? emptyRowBuffer(this.shredder.bufferKeys) : current;
    if (typeof buffer.rowCount !== 'number' || typeof buffer.pageRowCount !== 'number') {
      internalsChanged('the row buffer has no row counts');
    }
    const attached = buffer as RowBuffer;
    this.shredder.attach(attached);
    internals.rowBuffer = attached;
    this.attached = attached;
    return attached;
  }

  private pageSize(): number {
    const pageSize = this.writer.envelopeWriter?.pageSize;
    if (typeof pageSize !== 'number' || pageSize < 1) internalsChanged('no page size');
    return pageSize;
  }
}

/** `schema` without `fields`, which only `shredRecord` reads; `fieldList` and the rest stay. */
function fieldless(schema: ParquetSchema): ParquetSchema {
  const view = Object.create(schema, { fields: { value: {} } }) as ParquetSchema;
  if (Object.keys(view.fields).length !== 0 || view.fieldList !== schema.fieldList) {
    internalsChanged('its schema cannot be viewed without fields');
  }
  return view;
}

function internalsChanged(what: string): never {
  throw new InternalError(
    `parquet writer: ${what}; parquetjs's internals differ from ${VERIFIED_PARQUETJS_VERSION}, ` +
      'which parquet-append.ts relies on',
  );
}

let versionChecked = false;

function checkVersion(): void {
  if (versionChecked) return;
  const require = createRequire(import.meta.url);
  const manifest = require('@dsnp/parquetjs/package.json') as { version?: unknown };
  const version = String(manifest.version).replace(/^v/, '');
  if (version !== VERIFIED_PARQUETJS_VERSION) {
    throw new InternalError(
      `parquet writer: found @dsnp/parquetjs ${version}, but parquet-append.ts fills its ` +
        `internal row buffer as ${VERIFIED_PARQUETJS_VERSION} does; re-verify (see ` +
        'parquet-shred.test.ts) before changing the version',
    );
  }
  versionChecked = true;
}
