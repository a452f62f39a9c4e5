import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ConfigError,
  ConnectionError,
  defineDestination,
  defineSource,
  field,
  t,
  TransientError,
  type SourceMessage,
  type DestinationMessage,
  type JsonValue,
} from '@ferry/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleTransfer, workspace, type Workspace } from './test-support.js';

let ws: Workspace;
beforeEach(async () => (ws = await workspace()));
afterEach(() => ws.cleanup());

const events = [{ name: 'pageview_events' }];

/** A destination that looks at the saved state right before and right after each of its acks. */
function probe(
  seen: { before: JsonValue | undefined; acked: JsonValue; after: JsonValue | undefined }[],
) {
  return defineDestination({
    type: 'probe',
    title: 'Probe',
    summary: 'Records the saved state around each ack.',
    configSchema: { type: 'object', additionalProperties: false, properties: {} },
    capabilities: { writeModes: ['append', 'replace'], formats: [], layouts: [] },
    check: () => Promise.resolve({ ok: true }),
    async *write(_ctx, _config, request): AsyncIterable<DestinationMessage> {
      for await (const message of request.messages) {
        if (message.type !== 'checkpoint') continue;
        const before = (await ws.state('test'))?.streams[message.stream]?.state;
        yield { type: 'ack', stream: message.stream, state: message.state };
        const after = (await ws.state('test'))?.streams[message.stream]?.state;
        seen.push({ before, acked: message.state, after });
      }
    },
  });
}

/** A destination that fails on the first batch it receives. */
const failing = defineDestination({
  type: 'failing',
  title: 'Failing',
  summary: 'Fails on the first batch.',
  configSchema: { type: 'object', additionalProperties: false, properties: {} },
  capabilities: { writeModes: ['append', 'replace'], formats: [], layouts: [] },
  check: () => Promise.resolve({ ok: true }),
  // eslint-disable-next-line require-yield -- it fails before it could acknowledge anything
  async *write(_ctx, _config, request): AsyncIterable<DestinationMessage> {
    for await (const message of request.messages) {
      if (message.type === 'batch')
        throw new ConfigError({ pointer: '/x', message: 'disk says no' });
    }
  },
});

describe('runTransfer', () => {
  it('saves a state only after the destination acknowledged it', async () => {
    const seen: {
      before: JsonValue | undefined;
      acked: JsonValue;
      after: JsonValue | undefined;
    }[] = [];
    const transfer = {
      ...sampleTransfer(ws, { days: 3 }),
      destination: { type: 'probe' },
      streams: events,
    };
    const report = await ws.run(transfer, [probe(seen)]);
    expect(report.status).toBe('succeeded');
    // A destination without files reports none; the rows it took are the rows sent.
    expect(report.streams.pageview_events).toMatchObject({ rows: 600, files: 0 });
    expect(seen.map((s) => s.acked)).toEqual([
      { cursor: expect.stringMatching(/^2025-01-01T/) as unknown },
      { cursor: expect.stringMatching(/^2025-01-02T/) as unknown },
      { cursor: expect.stringMatching(/^2025-01-03T/) as unknown },
    ]);
    for (const [i, s] of seen.entries()) {
      expect(s.before).toEqual(i === 0 ? undefined : seen[i - 1]?.acked);
      expect(s.after).toEqual(s.acked);
    }
  });

  it('saves no state when the destination fails, and records the run as unfinished', async () => {
    const transfer = {
      ...sampleTransfer(ws, {}),
      destination: { type: 'failing' },
      streams: events,
    };
    const report = await ws.run(transfer, [failing]);
    expect(report.status).toBe('failed');
    // A connector's ConfigError points into its config, in the transfer file.
    expect(report.error).toEqual({
      code: 'config',
      message: `invalid configuration in ${join(ws.dir, 'transfer.json')}: /destination/config/x: disk says no`,
    });
    expect(report.streams.pageview_events?.status).toBe('failed');
    const state = await ws.state('test');
    expect(state?.streams).toEqual({});
    expect(state?.unfinished.map((j) => j.batch_id)).toEqual([report.batch_id]);
  });

  it('incremental: a second run writes no new event rows; more days write only the new days', async () => {
    const first = await ws.run(sampleTransfer(ws, { days: 2 }));
    expect(first.status).toBe('succeeded');
    const count = async (): Promise<unknown> =>
      (
        await ws.query(
          `select count(*) as n from read_parquet('{lake}/pageview_events/*/*.parquet')`,
        )
      )[0]?.n;
    expect(await count()).toBe(400n);
    const second = await ws.run(sampleTransfer(ws, { days: 2 }));
    expect(second.streams.pageview_events).toMatchObject({
      status: 'succeeded',
      rows: 0,
      files: 0,
    });
    expect(second.streams.videoview_events?.rows).toBe(0);
    expect(second.streams.aliases?.rows).toBe(0);
    expect(await count()).toBe(400n);
    const third = await ws.run(sampleTransfer(ws, { days: 3 }));
    expect(third.streams.pageview_events?.rows).toBe(200);
    const days = await ws.query(
      `select cast(time as date)::varchar as day, count(*) as n, count(distinct event_id) as ids
       from read_parquet('{lake}/pageview_events/*/*.parquet') group by 1 order by 1`,
    );
    expect(days).toEqual([
      { day: '2025-01-01', n: 200n, ids: 200n },
      { day: '2025-01-02', n: 200n, ids: 200n },
      { day: '2025-01-03', n: 200n, ids: 200n },
    ]);
    expect((await ws.state('test'))?.unfinished).toEqual([]);
  });

  it('tenant filter keeps only the tenant rows, and drop removes the column', async () => {
    const all = await workspace();
    try {
      await all.run(sampleTransfer(all, {}));
      const expected = await all.query(
        `select event_id from read_parquet('{lake}/pageview_events/*/*.parquet') where workspace_id = 'ws_2' order by 1`,
      );
      expect(expected.length).toBeGreaterThan(0);
      const tenant = { column: 'workspace_id', value: 'ws_2', drop: true };
      const report = await ws.run(sampleTransfer(ws, {}, { tenant }));
      expect(report.streams.pageview_events?.rows).toBe(expected.length);
      expect(report.streams.pageview_events?.rows_read).toBe(400);
      const kept = await ws.query(
        `select event_id from read_parquet('{lake}/pageview_events/*/*.parquet') order by 1`,
      );
      expect(kept).toEqual(expected);
      const columns = await ws.query(
        `describe select * from read_parquet('{lake}/pageview_events/*/*.parquet')`,
      );
      expect(columns.map((c) => c.column_name)).not.toContain('workspace_id');
      const domains = await ws.query(
        `select distinct domain from read_parquet('{lake}/domains/*/*.parquet')`,
      );
      const allDomains = await all.query(
        `select distinct domain from read_parquet('{lake}/domains/*/*.parquet') where workspace_id = 'ws_2'`,
      );
      expect(domains.map((d) => d.domain).sort()).toEqual(allDomains.map((d) => d.domain).sort());
    } finally {
      await all.cleanup();
    }
  });

  it('tenant filter without drop keeps the column with only the tenant value', async () => {
    await ws.run(sampleTransfer(ws, {}, { tenant: { column: 'workspace_id', value: 'ws_1' } }));
    const values = await ws.query(
      `select distinct workspace_id from read_parquet('{lake}/*/*/*.parquet', union_by_name = true)`,
    );
    expect(values).toEqual([{ workspace_id: 'ws_1' }]);
  });

  it('refuses to export a stream that lacks the tenant column', async () => {
    const transfer = sampleTransfer(ws, {}, { tenant: { column: 'user_id', value: 'u' } });
    const error = await ws.run(transfer).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toContainEqual({
      pointer: '/tenant/column',
      message: expect.stringContaining('stream "domains" has no column "user_id"') as unknown,
    });
  });

  it('names unknown streams and unsupported modes by JSON Pointer', async () => {
    const streams = [{ name: 'nope' }, { name: 'domains', sync_mode: 'incremental' }];
    const error = (await ws
      .run(sampleTransfer(ws, {}, { streams }))
      .catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues.map((i) => i.pointer)).toEqual(['/streams/0/name', '/streams/1/sync_mode']);
    expect(error.message).toContain('the source has no stream "nope"');
  });

  it('an interrupt between streams fails the run; what earlier crashes left stays journaled', async () => {
    // A run that crashed while writing pageview_events left this journal behind.
    const crashed = {
      run_id: 'crashed-run',
      batch_id: 'crashed',
      started_at: '2025-06-01T00:00:00.000Z',
      worker_id: '0',
      streams: ['pageview_events'],
      commits: {},
    };
    await mkdir(ws.stateDir, { recursive: true });
    const saved = { version: 1, transfer: 'test', streams: {}, unfinished: [crashed] };
    await writeFile(join(ws.stateDir, 'test.json'), JSON.stringify(saved));
    const controller = new AbortController();
    const transfer = {
      ...sampleTransfer(ws, {}),
      concurrency: 1,
      streams: [{ name: 'domains' }, { name: 'pageview_events' }],
    };
    const report = await ws.run(transfer, [], {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'stream' && event.stream === 'domains' && event.status === 'succeeded') {
          controller.abort(new TransientError('interrupted by SIGINT'));
        }
      },
    });
    expect(report.status).toBe('failed');
    expect(report.error).toEqual({ code: 'transient', message: 'interrupted by SIGINT' });
    expect(report.streams.domains?.status).toBe('succeeded');
    expect(report.streams.pageview_events?.status).toBe('cancelled');
    const state = await ws.state('test');
    // pageview_events never started: this run did not journal it, and the crashed run's journal
    // (whose leftovers were not cleaned up yet) is kept for the next run.
    expect(state?.unfinished).toEqual([crashed]);
    expect(Object.keys(state?.streams ?? {})).toEqual(['domains']);
    const rerun = await ws.run(transfer);
    expect(rerun.status).toBe('succeeded');
    expect((await ws.state('test'))?.unfinished).toEqual([]);
  });

  it('journals of failed runs are settled by the next successful run', async () => {
    const transfer = {
      ...sampleTransfer(ws, { days: 2 }),
      destination: { type: 'filesystem', config: { path: ws.lake, flush_interval_s: 0 } },
      streams: [{ name: 'pageview_events' }],
    };
    const failed = { ...transfer, destination: { type: 'failing' } };
    for (let i = 0; i < 3; i++) expect((await ws.run(failed, [failing])).status).toBe('failed');
    expect((await ws.state('test'))?.unfinished).toHaveLength(3);
    const ok = await ws.run(transfer);
    expect(ok.status).toBe('succeeded');
    expect((await ws.state('test'))?.unfinished).toEqual([]);
  });

  it('refuses incremental streams written with replace', async () => {
    const streams = [{ name: 'pageview_events', write_mode: 'replace' }];
    const error = (await ws
      .run(sampleTransfer(ws, {}, { streams }))
      .catch((e: unknown) => e)) as ConfigError;
    expect(error.issues).toEqual([
      {
        pointer: '/streams/0/write_mode',
        message: expect.stringContaining('an incremental stream cannot use "replace"') as unknown,
      },
    ]);
  });

  it('fails an incremental stream whose source ends with rows after its last checkpoint', async () => {
    const unchecked = defineSource({
      type: 'unchecked',
      title: 'Unchecked',
      summary: 'Ends without a checkpoint.',
      configSchema: { type: 'object', additionalProperties: false, properties: {} },
      capabilities: { syncModes: ['incremental'] },
      check: () => Promise.resolve({ ok: true }),
      discover: () =>
        Promise.resolve({
          streams: [
            {
              name: 'things',
              fields: [field('n', t.int64), field('at', t.timestamp)],
              cursorField: 'at',
              syncModes: ['incremental'],
              defaultSyncMode: 'incremental',
              defaultWriteMode: 'append',
            },
          ],
        }),
      async *read(): AsyncIterable<SourceMessage> {
        await Promise.resolve();
        yield {
          type: 'batch',
          stream: 'things',
          rows: [{ n: 1n, at: '2025-01-01T00:00:00.000000Z' }],
        };
        yield {
          type: 'checkpoint',
          stream: 'things',
          state: { at: '2025-01-01T00:00:00.000000Z' },
        };
        yield {
          type: 'batch',
          stream: 'things',
          rows: [{ n: 2n, at: '2025-01-02T00:00:00.000000Z' }],
        };
      },
    });
    const transfer = {
      ...sampleTransfer(ws, {}),
      source: { type: 'unchecked' },
      destination: { type: 'filesystem', config: { path: ws.lake, flush_interval_s: 0 } },
    };
    const report = await ws.run(transfer, [unchecked]);
    expect(report.status).toBe('failed');
    expect(report.error?.message).toBe(
      'the source ended incremental stream things with 1 rows after its last checkpoint; they are not written, since no state would cover them',
    );
    const rows = await ws.query(
      `select n from read_parquet('{lake}/things/*/*.parquet') order by n`,
    );
    expect(rows).toEqual([{ n: 1n }]);
  });
});

describe('runTransfer checks the destination first', () => {
  /** A destination whose check answers `check`, counting the writes it was asked for. */
  function gated(check: () => Promise<{ ok: true } | { ok: false; error: string }>) {
    const calls = { writes: 0 };
    const destination = defineDestination({
      type: 'gated',
      title: 'Gated',
      summary: 'Answers its check as told.',
      configSchema: { type: 'object', additionalProperties: false, properties: {} },
      capabilities: { writeModes: ['append', 'replace'], formats: [], layouts: [] },
      check,
      async *write(_ctx, _config, request): AsyncIterable<DestinationMessage> {
        calls.writes += 1;
        for await (const message of request.messages) {
          if (message.type === 'checkpoint') {
            yield { type: 'ack', stream: message.stream, state: message.state };
          }
        }
      },
    });
    return { destination, calls };
  }

  const transfer = (ws: Workspace) => ({
    ...sampleTransfer(ws, {}),
    destination: { type: 'gated' },
    streams: events,
  });

  it('a failed check fails the run before anything is recorded or written', async () => {
    const { destination, calls } = gated(() =>
      Promise.resolve({ ok: false, error: 'listing s3://gone/: no such bucket (NoSuchBucket)' }),
    );
    await expect(ws.run(transfer(ws), [destination])).rejects.toThrow(
      new ConnectionError(
        'the gated destination failed its check, so nothing was written: listing s3://gone/: no such bucket (NoSuchBucket)',
      ),
    );
    expect(calls.writes).toBe(0);
    expect(await ws.state('test')).toBeUndefined();
  });

  it('a failed check leaves the state of earlier runs exactly as it was', async () => {
    let ok = true;
    const { destination } = gated(() =>
      Promise.resolve(ok ? { ok: true } : { ok: false, error: 'access denied' }),
    );
    expect((await ws.run(transfer(ws), [destination])).status).toBe('succeeded');
    const before = await readFile(join(ws.stateDir, 'test.json'), 'utf8');
    ok = false;
    await expect(ws.run(transfer(ws), [destination])).rejects.toThrow(/access denied$/);
    expect(await readFile(join(ws.stateDir, 'test.json'), 'utf8')).toBe(before);
  });

  it('a config error thrown by the check points into the destination config', async () => {
    const { destination } = gated(() =>
      Promise.reject(new ConfigError({ pointer: '/bucket', message: 'is not a bucket' })),
    );
    const error = await ws.run(transfer(ws), [destination]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      { pointer: '/destination/config/bucket', message: 'is not a bucket' },
    ]);
  });
});
