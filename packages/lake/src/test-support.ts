import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  field,
  silentLogger,
  t,
  type ConfiguredStream,
  type DestinationMessage,
  type Row,
  type RunInfo,
  type DataMessage,
} from '@ferry/core';
import { LocalStore } from '@ferry/storage';
import { createLakeDestination } from './destination.js';
import { lakeOptionProperties, type LakeOptions } from './options.js';

/** Lake options with test-friendly defaults. */
export function options(
  overrides: Partial<LakeOptions & { path: string }> = {},
): LakeOptions & { path: string } {
  return {
    path: '',
    layout: 'pontoon',
    format: 'parquet',
    compression: 'auto',
    max_rows_per_file: 1_000_000,
    max_bytes_per_file: 256 * 1024 * 1024,
    flush_interval_s: 300,
    ...overrides,
  };
}

/** A lake destination on a local directory (the `path` of its config). */
export const lake = createLakeDestination<LakeOptions & { path: string }>({
  type: 'testlake',
  title: 'Test lake',
  summary: 'A lake on a temporary directory.',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { path: { type: 'string' }, ...lakeOptionProperties },
  },
  openStore: (config) => new LocalStore(config.path),
});

/** The stream the tests write. */
export function eventsStream(writeMode: 'append' | 'replace' = 'append'): ConfiguredStream {
  return {
    name: 'events',
    fields: [
      field('id', t.int64, { nullable: false }),
      field('time', t.timestamp),
      field('label', t.string),
    ],
    syncMode: writeMode === 'append' ? 'incremental' : 'full_refresh',
    writeMode,
    cursorField: 'time',
  };
}

/** Rows `from` .. `from + count - 1`. */
export function rows(from: number, count: number): Row[] {
  return Array.from({ length: count }, (_, i) => ({
    id: BigInt(from + i),
    // Canonical timestamps, with microseconds that a millisecond Date could not hold.
    time: `${new Date(Date.UTC(2025, 0, 1) + (from + i) * 1000).toISOString().slice(0, 19)}.${String((from + i) % 1_000_000).padStart(6, '0')}Z`,
    label: `row ${from + i} ✓`,
  }));
}

/** A batch of rows `start` .. `start + count - 1` of stream `events`. */
export function batch(start: number, count: number): DataMessage {
  return { type: 'batch', stream: 'events', rows: rows(start, count) };
}

/** A checkpoint of stream `events` at `cursor`. */
export function checkpoint(cursor: number): DataMessage {
  return { type: 'checkpoint', stream: 'events', state: { cursor } };
}

/** A run starting at a fixed time. */
export function runInfo(batchId: string, startedAt = new Date('2025-06-01T12:00:00Z')): RunInfo {
  return { runId: `run-${batchId}`, batchId, startedAt, workerId: '0' };
}

/** Async iterable over fixed messages. */
export async function* from(messages: readonly DataMessage[]): AsyncIterable<DataMessage> {
  for (const message of messages) {
    await Promise.resolve();
    yield message;
  }
}

/** Runs a write to the end and returns what the destination yielded. */
export async function drain(
  output: AsyncIterable<DestinationMessage>,
): Promise<DestinationMessage[]> {
  const out: DestinationMessage[] = [];
  for await (const message of output) out.push(message);
  return out;
}

/** Context for a write. */
export function context(signal: AbortSignal = new AbortController().signal) {
  return { logger: silentLogger, signal };
}

/** A temporary lake directory. */
export async function tempLake(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'ferry-lake-'));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** Every file under `dir`, relative, sorted (temp files included, to catch leftovers). */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}
