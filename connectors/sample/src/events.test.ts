import type { Row } from '@ferry/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { STREAMS } from './catalog.js';
import {
  catalogStream,
  configOf,
  configured,
  fieldProblems,
  readAll,
  rowsOf,
  toJson,
  type ReadResult,
} from './test-helpers.js';

const ALL = STREAMS.map((s) => s.name);
const config = configOf({ events_per_day: 10_000, days: 2, seed: 3 });
let result: ReadResult;
let pageviews: Row[];
let videoviews: Row[];

beforeAll(async () => {
  result = await readAll(config, configured(ALL));
  pageviews = result.rows.pageview_events ?? [];
  videoviews = result.rows.videoview_events ?? [];
});

type Properties = Record<string, Record<string, unknown>>;
const props = (row: Row): Properties => row.properties as Properties;

describe('rows', () => {
  it('conform to the declared fields of their stream', () => {
    for (const name of ALL) {
      const fields = catalogStream(name).fields;
      const rows = result.rows[name] ?? [];
      expect(rows.length, name).toBeGreaterThan(0);
      expect(
        rows.flatMap((row) => fieldProblems(fields, row)),
        name,
      ).toEqual([]);
    }
  });

  it('are the same for the same config and differ for another seed', async () => {
    const again = await readAll(config, configured(ALL));
    expect(again.rows).toEqual(result.rows);
    const other = await readAll({ ...config, seed: 4 }, configured(ALL));
    for (const name of ALL) expect(other.rows[name], name).not.toEqual(result.rows[name]);
    const ids = new Set(pageviews.map((r) => r.event_id));
    expect(other.rows.pageview_events?.filter((r) => ids.has(r.event_id))).toEqual([]);
  });

  it('carry every workspace, ws_1 busiest', () => {
    for (const name of ALL) {
      const workspaces = new Set((result.rows[name] ?? []).map((r) => r.workspace_id));
      expect([...workspaces].sort(), name).toEqual(['ws_1', 'ws_2', 'ws_3']);
    }
    const count = (ws: string): number => pageviews.filter((r) => r.workspace_id === ws).length;
    // Shares of 1/k^0.7 (see world.test.ts), over two days.
    expect([count('ws_1'), count('ws_2'), count('ws_3')]).toEqual([9620, 5922, 4458]);
  });
});

describe('page views', () => {
  it('number exactly events_per_day a day', () => {
    expect(pageviews.filter((r) => (r.time as string).startsWith('2025-01-01'))).toHaveLength(
      10_000,
    );
    expect(pageviews.filter((r) => (r.time as string).startsWith('2025-01-02'))).toHaveLength(
      10_000,
    );
  });

  it('scale with events_per_day, down to none', async () => {
    expect(
      await rowsOf(configOf({ events_per_day: 1234, days: 3 }), 'pageview_events'),
    ).toHaveLength(3702);
    expect(await rowsOf(configOf({ events_per_day: 1, days: 2 }), 'pageview_events')).toHaveLength(
      2,
    );
    const none = await readAll(
      configOf({ events_per_day: 0 }),
      configured(['pageview_events', 'aliases']),
    );
    expect(none.messages).toEqual([]);
  });

  it('ascend in time within a day, on that day', () => {
    for (const name of ['pageview_events', 'videoview_events', 'aliases']) {
      const times = (result.rows[name] ?? []).map((r) => r.time as string);
      expect(times, name).toEqual([...times].sort());
      expect(times[0]! >= '2025-01-01T00:00:00.000000Z', name).toBe(true);
      expect(times.at(-1)! < '2025-01-03T00:00:00.000000Z', name).toBe(true);
    }
  });

  it('have unique event and view ids', () => {
    const eventIds = new Set([...pageviews, ...videoviews].map((r) => r.event_id));
    expect(eventIds.size).toBe(pageviews.length + videoviews.length);
    expect(new Set(pageviews.map((r) => r.view_id)).size).toBe(pageviews.length);
  });

  it('come in sessions of one user, with internal referrers after the first page', () => {
    const sessions = new Map<unknown, Row[]>();
    for (const row of pageviews)
      sessions.set(row.session_id, [...(sessions.get(row.session_id) ?? []), row]);
    // About 2.7 page views a session.
    expect(sessions.size).toBeGreaterThan(20_000 / 3);
    expect(sessions.size).toBeLessThan(20_000 / 2.4);
    const wrong: unknown[] = [];
    for (const views of sessions.values()) {
      if (new Set(views.map((r) => r.user_id)).size !== 1) wrong.push(views[0]?.session_id);
      for (let i = 1; i < views.length; i++) {
        const client = props(views[i]!).client!;
        const web = client.type === 'web' || client.type === 'amp';
        if (client.referrer !== (web ? props(views[i - 1]!).client!.url : null))
          wrong.push(views[i]);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('bring users back across days', () => {
    const users = (day: string): Set<unknown> =>
      new Set(pageviews.filter((r) => (r.time as string).startsWith(day)).map((r) => r.user_id));
    const first = users('2025-01-01');
    const returning = [...users('2025-01-02')].filter((u) => first.has(u));
    expect(returning.length).toBeGreaterThan(first.size / 10);
  });

  it('look like real traffic: referrers, client types, countries', () => {
    const clients = pageviews.map((r) => props(r).client!);
    const share = (test: (c: Record<string, unknown>) => boolean): number =>
      clients.filter(test).length / clients.length;
    expect(share((c) => c.referrer === null)).toBeGreaterThan(0.1);
    expect(share((c) => String(c.referrer).startsWith('https://www.google.'))).toBeGreaterThan(
      0.05,
    );
    expect(share((c) => c.type === 'web')).toBeGreaterThan(0.6);
    expect(new Set(clients.map((c) => c.type))).toEqual(new Set(['web', 'amp', 'ios', 'android']));
    const gb = pageviews.filter((r) => props(r).geo_info!.country === 'GB').length;
    expect(gb / pageviews.length).toBeGreaterThan(0.25);
    expect(pageviews.some((r) => props(r).geo_info!.city === null)).toBe(true);
  });

  it('are on the workspace’s domains', () => {
    const key = (ws: unknown, domain: unknown): string => `${String(ws)} ${String(domain)}`;
    const domains = new Set((result.rows.domains ?? []).map((r) => key(r.workspace_id, r.domain)));
    const wrong = [...pageviews, ...videoviews].filter((row) => {
      const { domain, url } = props(row).client!;
      return (
        !domains.has(key(row.workspace_id, domain)) ||
        !String(url).startsWith(`https://${String(domain)}/`)
      );
    });
    expect(wrong).toEqual([]);
  });

  it('list segments that exist in the workspace, ascending', () => {
    const key = (ws: unknown, id: unknown): string => `${String(ws)} ${String(id)}`;
    const known = new Set(
      (result.rows.segment_metadata ?? []).map((r) => key(r.workspace_id, r.segment_id)),
    );
    const events = [...pageviews, ...videoviews];
    const wrong = events.filter((row) => {
      const segments = row.segments as bigint[];
      const ascending = segments.every((id, i) => i === 0 || segments[i - 1]! < id);
      return !ascending || !segments.every((id) => known.has(key(row.workspace_id, id)));
    });
    expect(wrong).toEqual([]);
    const total = events.reduce((sum, row) => sum + (row.segments as bigint[]).length, 0);
    expect(total / events.length).toBeGreaterThan(2);
  });
});

describe('video views', () => {
  it('are about 20% of page views', () => {
    expect(videoviews.length / pageviews.length).toBeGreaterThan(0.17);
    expect(videoviews.length / pageviews.length).toBeLessThan(0.23);
  });

  it('happen on a page view of the same session, after it', () => {
    const byView = new Map(pageviews.map((r) => [r.view_id, r]));
    const wrong = videoviews.filter((video) => {
      const page = byView.get(video.view_id);
      const v = props(video).video!;
      return (
        page === undefined ||
        page.session_id !== video.session_id ||
        page.user_id !== video.user_id ||
        toJson(page.segments) !== toJson(video.segments) ||
        toJson(props(page).client) !== toJson(props(video).client) ||
        (video.time as string) < (page.time as string) ||
        (v.duration_s !== null && (v.position_s as number) > (v.duration_s as number))
      );
    });
    expect(wrong).toEqual([]);
  });
});
