import { ConfigError, schemaSignature } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { source } from './index.js';
import { configOf, configured, context, readAll } from './test-helpers.js';

const NAMES = ['pageview_events', 'videoview_events', 'aliases', 'domains', 'segment_metadata'];

async function readError(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('source', () => {
  it('is the sample source', () => {
    expect(source.kind).toBe('source');
    expect(source.type).toBe('sample');
    expect(source.capabilities.syncModes).toEqual(['full_refresh', 'incremental']);
  });

  it('checks without a connection', async () => {
    await expect(source.check(context(), configOf())).resolves.toEqual({
      ok: true,
      details: ['10000 page views a day for 2 days in 3 workspaces'],
    });
  });

  it('fails the check for a start date that is not in the calendar', async () => {
    const result = await source.check(context(), configOf({ start_date: '2025-02-30' }));
    expect(result).toEqual({
      ok: false,
      error: 'invalid configuration: /start_date: is not a calendar date',
    });
  });
});

describe('discover', () => {
  it('lists the five streams with their modes and keys', async () => {
    const catalog = await source.discover(context(), configOf());
    const summary = catalog.streams.map((s) => [
      s.name,
      s.syncModes,
      s.defaultSyncMode,
      s.defaultWriteMode,
      s.cursorField,
      s.primaryKey,
    ]);
    expect(summary).toEqual([
      [
        'pageview_events',
        ['incremental', 'full_refresh'],
        'incremental',
        'append',
        'time',
        ['event_id'],
      ],
      [
        'videoview_events',
        ['incremental', 'full_refresh'],
        'incremental',
        'append',
        'time',
        ['event_id'],
      ],
      [
        'aliases',
        ['incremental', 'full_refresh'],
        'incremental',
        'append',
        'time',
        ['workspace_id', 'user_id', 'tag'],
      ],
      [
        'domains',
        ['full_refresh'],
        'full_refresh',
        'replace',
        undefined,
        ['workspace_id', 'domain'],
      ],
      [
        'segment_metadata',
        ['full_refresh'],
        'full_refresh',
        'replace',
        undefined,
        ['workspace_id', 'segment_id'],
      ],
    ]);
  });

  it('returns the same catalog for every call and config', async () => {
    const first = await source.discover(context(), configOf());
    const second = await source.discover(context(), configOf({ seed: 7, workspaces: 50 }));
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
  });

  it('declares the event schema', async () => {
    const catalog = await source.discover(context(), configOf());
    const pageviews = catalog.streams[0]?.fields ?? [];
    expect(schemaSignature(pageviews)).toBe(
      'event_id:string;workspace_id:string;user_id:string;session_id:string;view_id:string;' +
        'time:timestamp;name:string;properties:struct{client:struct{url:string,referrer:string?,' +
        'user_agent:string,domain:string,title:string?,type:string},geo_info:struct{country:string?,' +
        'city:string?,continent:string?,province:string?,postal_code:string?},isp_info:struct{' +
        'isp:string?,organization:string?,autonomous_system_number:int64?}};segments:list<int64>',
    );
  });

  it('puts the tenant column, non-null, in every stream', async () => {
    const catalog = await source.discover(context(), configOf());
    for (const stream of catalog.streams) {
      const tenant = stream.fields.find((f) => f.name === 'workspace_id');
      expect(tenant, stream.name).toMatchObject({ type: { kind: 'string' }, nullable: false });
    }
  });

  it('documents every field', async () => {
    const catalog = await source.discover(context(), configOf());
    for (const stream of catalog.streams) {
      expect(stream.description, stream.name).toMatch(/\.$/);
      for (const f of stream.fields)
        expect(f.description, `${stream.name}.${f.name}`).toMatch(/\.$/);
    }
  });
});

describe('read request', () => {
  it('rejects an unknown stream, naming it, before emitting anything', async () => {
    const streams = [
      ...configured(['domains']),
      { ...configured(['domains'])[0]!, name: 'clicks' },
    ];
    const error = await readError(() => readAll(configOf(), streams));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).pointer).toBe('/streams/1/name');
    expect((error as Error).message).toContain('unknown stream "clicks"');
  });

  it('rejects an incremental read of a snapshot stream', async () => {
    const error = await readError(() =>
      readAll(configOf(), configured(['domains'], 'incremental')),
    );
    expect((error as ConfigError).pointer).toBe('/streams/0/sync_mode');
    expect((error as Error).message).toContain('stream "domains" supports only full_refresh');
  });

  it('rejects a start date that is not in the calendar', async () => {
    const error = await readError(() =>
      readAll(configOf({ start_date: '2025-02-30' }), configured(['domains'])),
    );
    expect((error as ConfigError).pointer).toBe('/start_date');
  });

  it('spreads a tiny traffic over many workspaces', async () => {
    const result = await readAll(
      configOf({ workspaces: 100, events_per_day: 50 }),
      configured(NAMES),
    );
    expect(result.rows.pageview_events).toHaveLength(100);
    expect(new Set(result.rows.domains?.map((r) => r.workspace_id)).size).toBe(100);
    expect(new Set(result.rows.pageview_events?.map((r) => r.workspace_id)).size).toBeGreaterThan(
      5,
    );
  });

  it('reads nothing for no streams', async () => {
    expect((await readAll(configOf(), [])).messages).toEqual([]);
  });

  it('reads the streams in the order requested', async () => {
    const result = await readAll(
      configOf({ events_per_day: 100, days: 1 }),
      configured(NAMES.slice().reverse()),
    );
    const order = [...new Set(result.messages.map((m) => m.stream))];
    expect(order).toEqual(NAMES.slice().reverse());
  });
});
