import { Readable } from 'node:stream';
import type { Row } from '@ferry/core';
import { queryDuckDB, sqlString } from '@ferry/testkit';
import type { ByteRange, ByteSource } from './byte-source.js';
import type { RowBatch, RowReader } from './row-reader.js';

/** Every batch of a reader, and its rows concatenated. */
export async function collect(reader: RowReader): Promise<{ rows: Row[]; batches: RowBatch[] }> {
  const batches: RowBatch[] = [];
  for await (const batch of reader) batches.push(batch);
  return { rows: batches.flatMap((b) => b.rows), batches };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error(`expected a rejection, got ${String(error)}`);
  return error;
}

/** A source that records the ranges read through it (the gap: none, it wraps a real source). */
export function countingSource(inner: ByteSource): ByteSource & { reads: (ByteRange | 'all')[] } {
  const reads: (ByteRange | 'all')[] = [];
  return {
    name: inner.name,
    size: inner.size,
    reads,
    read: (range) => {
      reads.push(range ?? 'all');
      return inner.read(range);
    },
  };
}

/** A source serving `text` (UTF-8) in chunks of `chunkBytes`, as a file stream splits a file. */
export function chunkedSource(name: string, text: string, chunkBytes: number): ByteSource {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    chunks.push(bytes.subarray(at, at + chunkBytes));
  }
  return { name, size: bytes.length, read: () => Promise.resolve(Readable.from(chunks)) };
}

/** Writes the result of `select` to `path` with DuckDB's COPY and its `options`. */
export async function duckCopy(path: string, select: string, options: string): Promise<string> {
  await queryDuckDB(`COPY (${select}) TO ${sqlString(path)} (${options})`);
  return path;
}
