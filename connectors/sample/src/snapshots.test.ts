import { describe, expect, it } from 'vitest';
import { configOf, rowsOf } from './test-helpers.js';

const config = configOf({ workspaces: 5, seed: 9, start_date: '2025-03-01' });

describe('domains', () => {
  it('lists two to four sites per workspace, created before start_date', async () => {
    const rows = await rowsOf(config, 'domains');
    for (let k = 1; k <= 5; k++) {
      const sites = rows.filter((r) => r.workspace_id === `ws_${String(k)}`);
      expect(sites.length).toBeGreaterThanOrEqual(2);
      expect(sites.length).toBeLessThanOrEqual(4);
      expect(sites[0]?.domain).toMatch(/^www\.[a-z]+\.(co\.uk|com)$/);
      expect(sites[0]?.name).toMatch(/^The [A-Z][a-z]+ [A-Z][a-z]+$/);
    }
    expect(new Set(rows.map((r) => r.domain)).size).toBe(rows.length);
    expect(rows.every((r) => (r.created_at as string) < '2025-03-01')).toBe(true);
  });

  it('does not depend on days or traffic', async () => {
    const other = { ...config, days: 9, events_per_day: 5 };
    expect(await rowsOf(other, 'domains')).toEqual(await rowsOf(config, 'domains'));
  });
});

describe('segment_metadata', () => {
  it('lists 20 to 200 segments per workspace with unique ascending ids', async () => {
    const rows = await rowsOf(config, 'segment_metadata');
    for (let k = 1; k <= 5; k++) {
      const ids = rows
        .filter((r) => r.workspace_id === `ws_${String(k)}`)
        .map((r) => r.segment_id as bigint);
      expect(ids.length).toBeGreaterThanOrEqual(20);
      expect(ids.length).toBeLessThanOrEqual(200);
      expect(ids.every((id, i) => i === 0 || ids[i - 1]! < id)).toBe(true);
      expect(typeof ids[0]).toBe('bigint');
    }
  });

  it('has unique names, tags, and updates after creation and before start_date', async () => {
    const rows = await rowsOf(config, 'segment_metadata');
    const ws1 = rows.filter((r) => r.workspace_id === 'ws_1');
    expect(new Set(ws1.map((r) => r.name)).size).toBe(ws1.length);
    expect(rows.filter((r) => (r.tags as string[]).length > 0).length).toBeGreaterThan(
      rows.length * 0.8,
    );
    for (const row of rows) {
      expect((row.updated_at as string) >= (row.created_at as string)).toBe(true);
      expect((row.updated_at as string) < '2025-03-01').toBe(true);
    }
  });
});
