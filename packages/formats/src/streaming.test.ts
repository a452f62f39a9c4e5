import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { field, InternalError, t, type Row } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { OUTPUT_HIGH_WATER_MARK } from './output.js';
import { createWriter, type Compression, type FileFormat, type RowWriter } from './writer.js';

const FIELDS = [field('n', t.int64, { nullable: false }), field('hex', t.string)];

/** Rows with 128 hex characters each: realistic, and compressing only about 2:1. */
function hexRows(from: number, count: number): Row[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const hex = createHash('sha512').update(String(n)).digest('hex');
    return { n, hex };
  });
}

/** Consumes `writer.output` into memory; resolves with all its bytes. */
function consume(writer: RowWriter): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return pipeline(writer.output, sink).then(() => Buffer.concat(chunks));
}

/** Waits until the output's buffered length stops changing (the encoder stalled or finished). */
async function settle(writer: RowWriter): Promise<void> {
  let previous = -1;
  // Until some output is buffered and stays put for 100 ms (gzip on a busy machine may take a
  // while to emit its first bytes), at most 10 s.
  const moving = () => writer.output.readableLength !== previous || previous === 0;
  for (let i = 0; i < 100 && moving(); i += 1) {
    previous = writer.output.readableLength;
    await sleep(100);
  }
}

const CASES: [FileFormat, Compression][] = [
  ['parquet', 'snappy'],
  ['jsonl', 'gzip'],
  ['jsonl', 'none'],
];

describe.each(CASES)('%s (%s) streaming', (format, compression) => {
  it('waits in write while the output is not read, buffering a bounded amount', async () => {
    const writer = createWriter(format, { fields: FIELDS, compression, rowGroupRows: 1000 });
    let settled = false;
    // About 9 MB of text: far more than the output may buffer.
    const writing = writer.write(hexRows(0, 60_000)).finally(() => (settled = true));
    await settle(writer);
    expect(settled).toBe(false);
    expect(writer.output.readableLength).toBeGreaterThan(0);
    expect(writer.output.readableLength).toBeLessThan(OUTPUT_HIGH_WATER_MARK + 512 * 1024);

    const bytes = consume(writer);
    await writing;
    const summary = await writer.close();
    expect(summary.rows).toBe(60_000);
    expect((await bytes).length).toBe(summary.bytes);
    expect(summary.bytes).toBeGreaterThan(3 * OUTPUT_HIGH_WATER_MARK);
  });

  it('estimates bytes growing with every batch, ending near the exact size', async () => {
    const writer = createWriter(format, { fields: FIELDS, compression, rowGroupRows: 5000 });
    const bytes = consume(writer);
    const estimates: number[] = [];
    for (let from = 0; from < 40_000; from += 500) {
      await writer.write(hexRows(from, 500));
      estimates.push(writer.bytes);
    }
    const summary = await writer.close();
    // Strictly growing while rows are buffered (before Parquet's first row group is written,
    // before gzip has emitted anything), never shrinking afterwards.
    for (let i = 1; i < estimates.length; i += 1) {
      const [before, after] = [estimates[i - 1]!, estimates[i]!];
      if (i < 9) expect(after).toBeGreaterThan(before);
      else expect(after).toBeGreaterThanOrEqual(before);
    }
    // Before any output exists the estimate rests on a ratio guessed for event-like rows; these
    // hex rows compress worse, so only the order of magnitude is right.
    const share = summary.bytes / estimates.length;
    expect(estimates[0]).toBeGreaterThan(share / 10);
    expect(estimates[0]).toBeLessThan(share * 10);
    const last = estimates.at(-1)!;
    expect(Math.abs(last - summary.bytes) / summary.bytes).toBeLessThan(0.1);
    expect(writer.bytes).toBe(summary.bytes);
    expect((await bytes).length).toBe(summary.bytes);
  });

  it('abort fails the consumer and every pending and later call with the reason', async () => {
    const writer = createWriter(format, { fields: FIELDS, compression, rowGroupRows: 1000 });
    const writing = writer.write(hexRows(0, 60_000));
    await settle(writer);
    const consumer = consume(writer);
    const reason = new Error('transfer cancelled');
    writer.abort(reason);
    writer.abort(new Error('second reason, ignored'));
    await expect(writing).rejects.toBe(reason);
    await expect(consumer).rejects.toBe(reason);
    await expect(writer.write(hexRows(0, 1))).rejects.toBe(reason);
    await expect(writer.close()).rejects.toBe(reason);
  });

  it("fails writes with the consumer's error when the consumer destroys the output", async () => {
    const writer = createWriter(format, { fields: FIELDS, compression, rowGroupRows: 1000 });
    const writing = writer.write(hexRows(0, 60_000));
    await settle(writer);
    const uploadFailed = new Error('upload failed');
    writer.output.destroy(uploadFailed);
    await expect(writing).rejects.toBe(uploadFailed);
    await expect(writer.close()).rejects.toBe(uploadFailed);
  });

  it('rejects overlapping calls and calls after close with InternalError', async () => {
    const writer = createWriter(format, { fields: FIELDS, compression, rowGroupRows: 1000 });
    const first = writer.write(hexRows(0, 60_000));
    await expect(writer.write(hexRows(10, 10))).rejects.toThrow(InternalError);
    await expect(writer.close()).rejects.toThrow(/while a write or close is still pending/);
    const bytes = consume(writer);
    await first;
    await writer.close();
    await expect(writer.write(hexRows(0, 1))).rejects.toThrow(/after close/);
    expect((await bytes).length).toBeGreaterThan(0);
  });

  it('writes a valid empty file when closed without rows', async () => {
    const writer = createWriter(format, { fields: FIELDS, compression });
    const bytes = consume(writer);
    const summary = await writer.close();
    expect(summary).toEqual({ rows: 0, bytes: (await bytes).length });
  });
});
