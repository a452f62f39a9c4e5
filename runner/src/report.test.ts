import { stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import {
  ConnectionError,
  defineDestination,
  defineSource,
  field,
  t,
  type DestinationMessage,
  type Logger,
  type LogFields,
  type SourceMessage,
} from '@ferry/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summary } from './format.js';
import type { RunEvent } from './pipeline.js';
import { sampleTransfer, workspace, type Workspace } from './test-support.js';

let ws: Workspace;
beforeEach(async () => (ws = await workspace()));
afterEach(() => ws.cleanup());

const events = [{ name: 'pageview_events' }];

/**
 * A file destination that names its files by key only (no location), commits one file per
 * checkpoint, and fails at the second one.
 */
const keyed = defineDestination({
  type: 'keyed',
  title: 'Keyed',
  summary: 'Reports files by key only; fails at the second checkpoint.',
  configSchema: { type: 'object', additionalProperties: false, properties: {} },
  capabilities: { writeModes: ['append', 'replace'], formats: ['jsonl'], layouts: [] },
  check: () => Promise.resolve({ ok: true }),
  async *write(_ctx, _config, request): AsyncIterable<DestinationMessage> {
    let rows = 0;
    let files = 0;
    for await (const message of request.messages) {
      if (message.type === 'batch') rows += message.rows.length;
      if (message.type !== 'checkpoint') continue;
      if (files === 1) throw new ConnectionError('writing part-1.jsonl: the disk is full');
      const key = `part-${files++}.jsonl`;
      yield { type: 'file', stream: message.stream, key, rows, bytes: rows * 10 };
      yield { type: 'ack', stream: message.stream, state: message.state };
      rows = 0;
    }
  },
});

describe('run report: written files', () => {
  it('lists each committed file by full path with its rows and bytes, in commit order', async () => {
    const seen: RunEvent[] = [];
    const destination = { type: 'filesystem', config: { path: ws.lake, max_rows_per_file: 150 } };
    const transfer = { ...sampleTransfer(ws, { days: 2 }), destination, streams: events };
    const report = await ws.run(transfer, [], { onEvent: (e) => seen.push(e) });
    expect(report.status).toBe('succeeded');
    const stream = report.streams.pageview_events!;
    expect(stream.written.map((w) => w.rows)).toEqual([150, 150, 100]);
    for (const [i, w] of stream.written.entries()) {
      expect(isAbsolute(w.location)).toBe(true);
      expect(w.location.startsWith(join(ws.lake, 'pageview_events', 'dt='))).toBe(true);
      expect(w.location.endsWith(`_${report.batch_id}_${i}.parquet`)).toBe(true);
      expect(w.bytes).toBe((await stat(w.location)).size);
    }
    expect(stream.files).toBe(stream.written.length);
    expect(stream.bytes).toBe(stream.written.reduce((sum, w) => sum + w.bytes, 0));
    const files = seen.filter((e) => e.type === 'file');
    expect(files.map((f) => f.location)).toEqual(stream.written.map((w) => w.location));
    expect(files.map((f) => join(ws.lake, f.key))).toEqual(stream.written.map((w) => w.location));
  });

  it('uses the key when the destination gives no location, and keeps what a failed run committed', async () => {
    const seen: RunEvent[] = [];
    const transfer = {
      ...sampleTransfer(ws, { days: 3 }),
      destination: { type: 'keyed' },
      streams: events,
    };
    const report = await ws.run(transfer, [keyed], { onEvent: (e) => seen.push(e) });
    expect(report.status).toBe('failed');
    expect(report.streams.pageview_events).toMatchObject({
      rows: 200,
      files: 1,
      bytes: 2000,
      written: [{ location: 'part-0.jsonl', rows: 200, bytes: 2000 }],
    });
    expect(seen.filter((e) => e.type === 'file')).toEqual([
      {
        type: 'file',
        stream: 'pageview_events',
        key: 'part-0.jsonl',
        location: 'part-0.jsonl',
        rows: 200,
        bytes: 2000,
      },
    ]);
  });

  it('lists no files for a stream that wrote none', async () => {
    const transfer = { ...sampleTransfer(ws, { days: 1 }), streams: events };
    await ws.run(transfer);
    const again = await ws.run(transfer);
    expect(again.streams.pageview_events).toMatchObject({ rows: 0, files: 0, written: [] });
  });
});

describe('run report: records the source skipped', () => {
  /** Emits rows with two skipped-record notes around its checkpoint. */
  const skipping = defineSource({
    type: 'skipping',
    title: 'Skipping',
    summary: 'Drops some records as bad.',
    configSchema: { type: 'object', additionalProperties: false, properties: {} },
    capabilities: { syncModes: ['full_refresh'] },
    check: () => Promise.resolve({ ok: true }),
    discover: () =>
      Promise.resolve({
        streams: [
          {
            name: 'things',
            fields: [field('n', t.int64)],
            syncModes: ['full_refresh'],
            defaultSyncMode: 'full_refresh',
            defaultWriteMode: 'append',
          },
        ],
      }),
    async *read(): AsyncIterable<SourceMessage> {
      await Promise.resolve();
      yield { type: 'batch', stream: 'things', rows: [{ n: 1n }, { n: 2n }] };
      yield {
        type: 'skipped',
        stream: 'things',
        records: 3,
        example: 'a.csv line 4: 2 fields, not 3',
      };
      yield { type: 'checkpoint', stream: 'things', state: { files: 1 } };
      yield {
        type: 'skipped',
        stream: 'things',
        records: 1,
        example: 'b.csv line 9: not a number',
      };
      yield { type: 'batch', stream: 'things', rows: [{ n: 3n }] };
      yield { type: 'checkpoint', stream: 'things', state: { files: 2 } };
    },
  });

  it('counts them per stream, logs the first, and never hands them to the destination', async () => {
    const seen: string[] = [];
    const recorder = defineDestination({
      type: 'recorder',
      title: 'Recorder',
      summary: 'Records what it gets.',
      configSchema: { type: 'object', additionalProperties: false, properties: {} },
      capabilities: { writeModes: ['append'], formats: [], layouts: [] },
      check: () => Promise.resolve({ ok: true }),
      async *write(_ctx, _config, request): AsyncIterable<DestinationMessage> {
        for await (const message of request.messages) {
          seen.push(message.type);
          if (message.type === 'checkpoint') {
            yield { type: 'ack', stream: message.stream, state: message.state };
          }
        }
      },
    });
    const lines: { level: string; message: string; fields: LogFields }[] = [];
    const logger: Logger = {
      debug: (message, fields = {}) => lines.push({ level: 'debug', message, fields }),
      info: () => undefined,
      warn: (message, fields = {}) => lines.push({ level: 'warn', message, fields }),
      error: () => undefined,
      child: () => logger,
    };
    const transfer = {
      name: 'test',
      source: { type: 'skipping' },
      destination: { type: 'recorder' },
    };
    const report = await ws.run(transfer, [skipping, recorder], { logger });
    expect(report.status).toBe('succeeded');
    expect(report.streams.things).toMatchObject({ rows: 3, rows_read: 3, skipped: 4 });
    expect(seen).toEqual(['batch', 'checkpoint', 'batch', 'checkpoint']);
    expect(summary(report)[1]).toMatch(/^ {2}things +succeeded +3 rows .* 4 bad records skipped$/);
    expect(lines.filter((l) => l.message === 'skipped bad records')).toEqual([
      {
        level: 'warn',
        message: 'skipped bad records',
        fields: { stream: 'things', records: 3, example: 'a.csv line 4: 2 fields, not 3' },
      },
      {
        level: 'debug',
        message: 'skipped bad records',
        fields: { stream: 'things', records: 1, example: 'b.csv line 9: not a number' },
      },
    ]);
  });
});
