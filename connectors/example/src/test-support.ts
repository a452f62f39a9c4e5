import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  field,
  silentLogger,
  t,
  type ConfiguredStream,
  type Context,
  type Row,
  type RunInfo,
  type DataMessage,
  type StreamState,
} from '@ferry/core';
import { afterEach } from 'vitest';
import type { Config } from './config.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A config pointing at a fresh temporary directory, removed after the test. */
export function tempConfig(batchRows = 1000): Config {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-jsonl-'));
  dirs.push(dir);
  return { path: dir, batch_rows: batchRows };
}

/** A context whose signal the test can abort. */
export function context(controller = new AbortController()): Context {
  return { logger: silentLogger, signal: controller.signal };
}

let runs = 0;

/** A run with a fresh batch id. */
export function run(batchId = `run${String((runs += 1))}`): RunInfo {
  return { runId: batchId, batchId, startedAt: new Date(), workerId: 'w0' };
}

/** A small incremental stream: `id` (int64) and `name` (string). */
export function stream(overrides: Partial<ConfiguredStream> = {}): ConfiguredStream {
  return {
    name: 'people',
    fields: [field('id', t.int64, { nullable: false }), field('name', t.string)],
    primaryKey: ['id'],
    cursorField: 'id',
    syncMode: 'incremental',
    writeMode: 'append',
    ...overrides,
  };
}

/** Rows `{id, name}` for ids `from` to `to` (inclusive). */
export function people(from: number, to: number): Row[] {
  const rows: Row[] = [];
  for (let id = from; id <= to; id += 1) rows.push({ id: BigInt(id), name: `p${String(id)}` });
  return rows;
}

/** The messages of one batch followed by a checkpoint. */
export function batch(rows: Row[], state: StreamState, name = 'people'): DataMessage[] {
  return [
    { type: 'batch', stream: name, rows },
    { type: 'checkpoint', stream: name, state },
  ];
}

/** Everything an async iterable yields. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** `messages` as an async iterable. */
export async function* from<T>(messages: readonly T[]): AsyncIterable<T> {
  for (const message of messages) {
    await Promise.resolve();
    yield message;
  }
}
