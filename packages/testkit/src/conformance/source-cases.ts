import {
  field,
  isFerryError,
  t,
  type Catalog,
  type ConfiguredStream,
  type Source,
  type StreamState,
} from '@ferry/core';
import { expect } from 'vitest';
import type { Cases } from './cases.js';
import type { SourceSuiteOptions } from './options.js';
import { checkpointProblems, resumePoints } from './source-checkpoints.js';
import { catalogProblems, configure, readAll, rowTexts, type StreamRead } from './source-read.js';
import {
  abortReason,
  canonical,
  connectorCall,
  connectorConfig,
  failOnProblems,
  nonFerry,
  notJson,
  testContext,
} from './support.js';
import { rowProblems } from './values.js';

/** One full read of the suite's streams, shared by the cases that need it. */
interface FullRead {
  readonly config: unknown;
  readonly catalog: Catalog;
  readonly streams: readonly ConfiguredStream[];
  readonly reads: Map<string, StreamRead>;
}

/** The behaviour cases of a source: discover, read, abort, checkpoints, resume. */
export function addSourceCases(cases: Cases, source: Source, options: SourceSuiteOptions): void {
  let shared: Promise<FullRead> | undefined;
  const full = (): Promise<FullRead> => (shared ??= fullRead(source, options));
  cases.add('discover', 'the catalog is well formed and the same on every call', async () => {
    const config = await connectorConfig(source, options.config);
    const first = await connectorCall('discover', () => source.discover(testContext(), config));
    failOnProblems('the catalog', catalogProblems(first, source.capabilities));
    const second = await connectorCall('discover', () => source.discover(testContext(), config));
    expect(second, 'a second discover').toEqual(first);
  });
  cases.add('read', 'rows match the catalog; states are JSON', async () => {
    failOnProblems('the read', readProblems(await full()));
  });
  cases.add('read-one-stream', 'a read emits only the streams it is asked for', async () => {
    const { config, streams, reads } = await full();
    const rows = (s: ConfiguredStream): number => reads.get(s.name)?.rows.length ?? 0;
    // The smallest stream alone: readAll fails on a message of any other stream.
    const smallest = [...streams].sort((a, b) => rows(a) - rows(b))[0];
    if (smallest === undefined) throw new Error('no stream to read');
    const alone = await readAll({ source, config, streams: [smallest] });
    expect(alone.get(smallest.name)?.rows.length, `rows of ${smallest.name} read alone`).toBe(
      rows(smallest),
    );
  });
  addFailureCases(cases, source, full);
  if (!source.capabilities.syncModes.includes('incremental')) return;
  cases.add('checkpoints', 'checkpoints only move forward along the cursor', async () => {
    const { streams, reads } = await full();
    const incremental = streams.filter((s) => s.syncMode === 'incremental');
    expect(incremental.length, 'streams read incrementally').toBeGreaterThan(0);
    for (const s of incremental) {
      failOnProblems(`checkpoints of ${s.name}`, checkpointProblems(s, reads.get(s.name)));
    }
  });
  cases.add('resume', 'a read resumed from a saved state loses and repeats nothing', async () => {
    await checkResume(source, await full());
  });
}

async function fullRead(source: Source, options: SourceSuiteOptions): Promise<FullRead> {
  const config = await connectorConfig(source, options.config);
  const catalog = await connectorCall('discover', () => source.discover(testContext(), config));
  const wanted = options.streams ?? catalog.streams.map((s) => s.name);
  const streams = wanted.map((name) => {
    const found = catalog.streams.find((s) => s.name === name);
    if (found === undefined) throw new Error(`options.streams names "${name}", not in the catalog`);
    return configure(found, true);
  });
  const reads = await readAll({ source, config, streams });
  return { config, catalog, streams, reads };
}

function readProblems({ streams, reads }: FullRead): string[] {
  const problems: string[] = [];
  for (const s of streams) {
    const read = reads.get(s.name);
    if (read === undefined) continue;
    const invalid = read.rows.map((row) => rowProblems(row, s.fields)).find((p) => p.length > 0);
    if (invalid !== undefined)
      problems.push(`${s.name}: a row is not valid: ${invalid.join('; ')}`);
    if (s.syncMode === 'incremental' && read.rows.length > 0 && !read.endsWithCheckpoint) {
      problems.push(`${s.name}: an incremental stream must end with a checkpoint`);
    }
    const bad = read.checkpoints
      .map(({ state }) => ({ state, problem: notJson(state) }))
      .find((c) => c.problem !== undefined);
    if (bad !== undefined) {
      const { state, problem = '' } = bad;
      problems.push(
        `${s.name}: state ${canonical(state)} is not JSON (${problem}); it is saved as JSON`,
      );
    }
  }
  return problems;
}

type Full = () => Promise<FullRead>;

function addFailureCases(cases: Cases, source: Source, full: Full): void {
  cases.add('read-abort', 'read stops on abort with a ferry error', async () => {
    const { config, streams, reads } = await full();
    const messages = (s: ConfiguredStream): number => reads.get(s.name)?.messages ?? 0;
    const busiest = [...streams].sort((a, b) => messages(b) - messages(a))[0];
    if (busiest === undefined) throw new Error('no stream to read');
    expect(
      messages(busiest),
      'messages of the longest stream (make the config give more)',
    ).toBeGreaterThan(2);
    const before = await abortedRead(source, { config, stream: busiest, after: 0 });
    expect(before, 'batches from a read whose signal was aborted before it started').toBe(0);
    const mid = await abortedRead(source, { config, stream: busiest, after: 1 });
    expect(mid, 'batches after an abort during the read').toBeLessThanOrEqual(1);
  });
  cases.add('read-unknown-stream', 'a stream not in the catalog is a ferry error', async () => {
    const { config } = await full();
    const stream: ConfiguredStream = {
      name: 'ferry_conformance_no_such_stream',
      fields: [field('id', t.int64)],
      syncMode: 'full_refresh',
      writeMode: 'append',
    };
    await expectReadFails(source, { config, streams: [stream], state: {} });
  });
  if (!source.capabilities.syncModes.includes('incremental')) return;
  cases.add('read-bad-state', 'a state the source did not write is a ferry error', async () => {
    const { config, streams } = await full();
    const stream = streams.find((s) => s.syncMode === 'incremental');
    if (stream === undefined) throw new Error('no stream is read incrementally');
    const state = { [stream.name]: { ferry_conformance: 'not a state of this source' } };
    await expectReadFails(source, { config, streams: [stream], state });
  });
}

interface AbortRead {
  readonly config: unknown;
  readonly stream: ConfiguredStream;
  /** Messages pulled before the abort (0: the signal is aborted before `read` is called). */
  readonly after: number;
}

/** Aborts a read after `after` messages; returns how many batches still came after the abort. */
async function abortedRead(source: Source, input: AbortRead): Promise<number> {
  const controller = new AbortController();
  if (input.after === 0) controller.abort(abortReason());
  const request = { streams: [input.stream], state: {} };
  let pulled = 0;
  let late = 0;
  try {
    for await (const message of source.read(
      testContext(controller.signal),
      input.config,
      request,
    )) {
      if (controller.signal.aborted && message.type === 'batch') late += 1;
      pulled += 1;
      if (pulled === input.after) controller.abort(abortReason());
      if (late > 1) break;
    }
  } catch (error) {
    const bad = nonFerry('read after abort', error);
    if (bad !== undefined) throw bad;
    return late;
  }
  throw new Error(
    `read of ${input.stream.name} ${late > 1 ? 'went on' : 'ended normally'} after the abort; check ctx.signal between batches (ctx.signal.throwIfAborted())`,
  );
}

interface FailingRead {
  readonly config: unknown;
  readonly streams: readonly ConfiguredStream[];
  readonly state: Readonly<Record<string, StreamState>>;
}

async function expectReadFails(source: Source, input: FailingRead): Promise<void> {
  let rows = 0;
  try {
    const request = { streams: input.streams, state: input.state };
    for await (const message of source.read(testContext(), input.config, request)) {
      if (message.type === 'batch') rows += message.rows.length;
    }
  } catch (error) {
    const bad = nonFerry('read', error);
    if (bad !== undefined) throw bad;
    expect(isFerryError(error)).toBe(true);
    expect(rows, 'rows emitted before the error').toBe(0);
    return;
  }
  throw new Error(`read succeeded with ${String(rows)} rows; it must throw a ferry error`);
}

async function checkResume(source: Source, { config, streams, reads }: FullRead): Promise<void> {
  const incremental = streams.filter((s) => s.syncMode === 'incremental');
  expect(incremental.length, 'streams read incrementally').toBeGreaterThan(0);
  for (const stream of incremental) {
    const name = stream.name;
    const read = reads.get(name);
    if (read === undefined) continue;
    for (const point of resumePoints(name, read)) {
      const saved = asSaved(name, point.state);
      const again = await readAll({ source, config, streams: [stream], state: { [name]: saved } });
      const got = rowTexts(again.get(name)?.rows ?? []);
      const expected = rowTexts(read.rows.slice(point.rowsBefore));
      const before = `${String(point.rowsBefore)} of ${String(read.rows.length)} rows before it`;
      expect(
        got,
        `${name} resumed from ${JSON.stringify(saved)} (${before}): ${resumeSummary(got, expected)}`,
      ).toEqual(expected);
    }
  }
}

/** `state` as the runner gives it back to the source: saved as JSON and parsed. */
function asSaved(stream: string, state: StreamState): StreamState {
  try {
    return JSON.parse(JSON.stringify(state)) as StreamState;
  } catch (error) {
    throw new Error(`${stream}: state ${canonical(state)} cannot be saved as JSON`, {
      cause: error,
    });
  }
}

/** `read 200 rows, expected the 160 after the state: 40 repeated, 0 lost` (rows as sorted texts). */
function resumeSummary(got: readonly string[], expected: readonly string[]): string {
  const left = new Map<string, number>();
  for (const row of expected) left.set(row, (left.get(row) ?? 0) + 1);
  let repeated = 0;
  for (const row of got) {
    const n = left.get(row) ?? 0;
    if (n === 0) repeated += 1;
    else left.set(row, n - 1);
  }
  const lost = [...left.values()].reduce((sum, n) => sum + n, 0);
  return `read ${String(got.length)} rows, expected the ${String(expected.length)} after the state: ${String(repeated)} repeated or unknown, ${String(lost)} lost`;
}
