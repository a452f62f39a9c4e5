import { RecordError, type Row, type StreamState } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { BATCH_ROWS } from './read.js';
import { source } from './source.js';
import { configOf, configured, context, readAll } from './test-helpers.js';

const INCREMENTAL = ['pageview_events', 'videoview_events', 'aliases'];
const config = configOf({ events_per_day: 6000, days: 3, seed: 11 });

function times(rows: readonly Row[] | undefined): string[] {
  return (rows ?? []).map((row) => row.time as string);
}

describe('incremental read', () => {
  it('checkpoints the time of the last row after each day', async () => {
    const result = await readAll(config, configured(INCREMENTAL));
    for (const name of INCREMENTAL) {
      const rows = times(result.rows[name]);
      const lastOfDay = ['2025-01-01', '2025-01-02', '2025-01-03'].map((day) =>
        rows.filter((t) => t.startsWith(day)).at(-1),
      );
      expect(result.states[name], name).toEqual(lastOfDay.map((cursor) => ({ cursor })));
    }
    const kinds = result.messages.filter((m) => m.stream === 'pageview_events').map((m) => m.type);
    // 6000 rows a day: a batch of 5000, one of 1000, then the day's checkpoint.
    expect(kinds).toEqual(Array(3).fill(['batch', 'batch', 'checkpoint']).flat());
  });

  it('emits nothing when read again from its final state', async () => {
    const first = await readAll(config, configured(INCREMENTAL));
    const state = Object.fromEntries(INCREMENTAL.map((n) => [n, first.states[n]?.at(-1)]));
    const second = await readAll(config, configured(INCREMENTAL), state);
    expect(second.messages).toEqual([]);
  });

  it('emits exactly the new day when days grows by one', async () => {
    const first = await readAll(config, configured(INCREMENTAL));
    const state = Object.fromEntries(INCREMENTAL.map((n) => [n, first.states[n]?.at(-1)]));
    const longer = { ...config, days: 4 };
    const next = await readAll(longer, configured(INCREMENTAL), state);
    const fresh = await readAll(longer, configured(INCREMENTAL));
    for (const name of INCREMENTAL) {
      const newDay = (fresh.rows[name] ?? []).filter((r) => (r.time as string) >= '2025-01-04');
      expect(newDay.length, name).toBeGreaterThan(0);
      expect(next.rows[name], name).toEqual(newDay);
      expect(fresh.rows[name]?.slice(0, -newDay.length), name).toEqual(first.rows[name]);
    }
    expect(next.rows.pageview_events).toHaveLength(6000);
  });

  it('resumes after a checkpoint losing and repeating nothing', async () => {
    const whole = await readAll(config, configured(INCREMENTAL));
    for (const name of INCREMENTAL) {
      const afterDayOne = whole.states[name]?.[0];
      const before = (whole.rows[name] ?? []).filter((r) => (r.time as string) < '2025-01-02');
      const rest = await readAll(config, configured([name]), { [name]: afterDayOne });
      expect([...before, ...(rest.rows[name] ?? [])], name).toEqual(whole.rows[name]);
      expect(rest.states[name], name).toEqual(whole.states[name]?.slice(1));
    }
  });

  it('resumes after any cursor, within a day too', async () => {
    const whole =
      (await readAll(config, configured(['pageview_events']))).rows.pageview_events ?? [];
    const cursor = whole[8000]?.time as string;
    const rest = await readAll(config, configured(['pageview_events']), {
      pageview_events: { cursor },
    });
    expect(rest.rows.pageview_events).toEqual(whole.filter((r) => (r.time as string) > cursor));
    expect(rest.rows.pageview_events?.length).toBe(whole.length - 8001);
  });

  it('starts from the beginning without a cursor or after a full refresh', async () => {
    const fresh = await readAll(config, configured(['aliases']));
    for (const state of [undefined, { complete: true }] as StreamState[]) {
      const again = await readAll(config, configured(['aliases']), { aliases: state });
      expect(again.rows.aliases).toEqual(fresh.rows.aliases);
    }
  });

  it('starts from the beginning for a cursor before start_date', async () => {
    const fresh = await readAll(config, configured(['aliases']));
    const early = await readAll(config, configured(['aliases']), {
      aliases: { cursor: '2024-12-31T23:59:59.999999Z' },
    });
    expect(early.rows.aliases).toEqual(fresh.rows.aliases);
  });

  it('rejects a malformed cursor before emitting anything', async () => {
    const state = { pageview_events: { cursor: 'yesterday' } };
    await expect(readAll(config, configured(INCREMENTAL), state)).rejects.toThrow(RecordError);
    await expect(readAll(config, configured(INCREMENTAL), state)).rejects.toThrow(
      "the saved state's cursor is not an ISO 8601 UTC timestamp (YYYY-MM-DDTHH:MM:SS.ffffffZ) (stream pageview_events)",
    );
  });
});

describe('full refresh', () => {
  it('ignores the state and ends with one checkpoint', async () => {
    const incremental = await readAll(config, configured(INCREMENTAL));
    const state = Object.fromEntries(INCREMENTAL.map((n) => [n, incremental.states[n]?.at(-1)]));
    const full = await readAll(config, configured(INCREMENTAL, 'full_refresh'), state);
    for (const name of INCREMENTAL) {
      expect(full.rows[name], name).toEqual(incremental.rows[name]);
      expect(full.states[name], name).toEqual([{ complete: true }]);
      expect(full.messages.filter((m) => m.stream === name).at(-1)?.type).toBe('checkpoint');
    }
  });

  it('reads snapshots whole, with one checkpoint at the end', async () => {
    const result = await readAll(config, configured(['domains', 'segment_metadata']));
    expect(result.states).toEqual({
      domains: [{ complete: true }],
      segment_metadata: [{ complete: true }],
    });
  });
});

describe('batches', () => {
  it('hold about 5000 rows and never cross a day', async () => {
    const result = await readAll(
      configOf({ events_per_day: 12_345, days: 2 }),
      configured(['pageview_events']),
    );
    const sizes = result.messages.map((m) => (m.type === 'batch' ? m.rows.length : 'checkpoint'));
    expect(BATCH_ROWS).toBe(5000);
    expect(sizes).toEqual([5000, 5000, 2345, 'checkpoint', 5000, 5000, 2345, 'checkpoint']);
  });
});

describe('abort', () => {
  it('stops between batches and throws the signal reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    let batches = 0;
    const read = async (): Promise<void> => {
      const request = { streams: configured(['pageview_events']), state: {} };
      for await (const message of source.read(context(controller.signal), config, request)) {
        if (message.type === 'batch') batches++;
        controller.abort(reason);
      }
    };
    await expect(read()).rejects.toBe(reason);
    expect(batches).toBe(1);
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    const request = { streams: configured(['domains']), state: {} };
    const iterator = source
      .read(context(controller.signal), config, request)
      [Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toThrow('cancelled');
  });
});
