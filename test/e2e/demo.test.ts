import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { queryDuckDB, sqlString } from '@ferry/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, repoRoot, runFerry, tempDir } from '../support/cli.js';
import { duckCount, listFiles } from '../support/lake.js';

interface Report {
  status: string;
  batch_id: string;
  started_at: string;
  streams: Record<string, { rows: number; files: number }>;
}

const streams = ['aliases', 'domains', 'pageview_events', 'segment_metadata', 'videoview_events'];
const events = ['aliases', 'pageview_events', 'videoview_events'];
const snapshots = ['domains', 'segment_metadata'];

let tmp: { path: string; cleanup: () => Promise<void> };
let lake: string;
let first: Report;

async function runDemo(): Promise<Report> {
  const result = await runFerry(['run', 'demo.json', '--json'], { cwd: tmp.path });
  expect(result.stderr).not.toContain('error');
  expect(result.code).toBe(0);
  return jsonLines(result.stdout).at(-1) as unknown as Report;
}

/** The Pontoon key pattern of CONTRACTS.md for one run. */
function pontoonKey(stream: string, report: Report): RegExp {
  const start = new Date(report.started_at);
  const dt = start.toISOString().slice(0, 10);
  const stamp = start.toISOString().slice(0, 19).replace(/[-T:]/g, '');
  return new RegExp(`^${stream}/dt=${dt}/${stamp}_${report.batch_id}_(\\d+)\\.parquet$`);
}

beforeAll(async () => {
  tmp = await tempDir();
  lake = join(tmp.path, 'out/lake');
  await copyFile(join(repoRoot, 'examples/demo.json'), join(tmp.path, 'demo.json'));
  first = await runDemo();
});
afterAll(() => tmp.cleanup());

describe('the demo transfer (examples/demo.json)', () => {
  it('writes every stream in the Pontoon layout exactly, files numbered from 0', async () => {
    expect(first.status).toBe('succeeded');
    const files = (await listFiles(lake)).filter((f) => !f.startsWith('_ferry/'));
    for (const stream of streams) {
      const mine = files.filter((f) => f.startsWith(`${stream}/`));
      expect(mine.length).toBe(first.streams[stream]?.files);
      const indexes = mine.map((f) => Number(pontoonKey(stream, first).exec(f)?.[1]));
      expect(indexes.sort((a, b) => a - b)).toEqual(mine.map((_, i) => i));
    }
    expect(files.length).toBe(streams.reduce((n, s) => n + (first.streams[s]?.files ?? 0), 0));
  });

  it('DuckDB reads exactly the rows the report gives, per stream', async () => {
    for (const stream of streams) {
      expect(await duckCount(lake, stream)).toBe(BigInt(first.streams[stream]?.rows ?? -1));
    }
    expect(first.streams.pageview_events?.rows).toBe(50_000);
    const [row] = await queryDuckDB(
      `select count(distinct event_id) as ids, min(time)::varchar as first, max(dt)::varchar as dt
       from read_parquet(${sqlString(join(lake, 'pageview_events/*/*.parquet'))}, hive_partitioning = true)`,
    );
    expect(row).toEqual({
      ids: 50_000n,
      first: expect.stringMatching(/^2025-01-01 /) as unknown,
      dt: first.started_at.slice(0, 10),
    });
  });

  it('a second run adds no event rows and replaces the snapshots', async () => {
    const before: Record<string, bigint> = {};
    for (const stream of streams) before[stream] = await duckCount(lake, stream);
    const second = await runDemo();
    for (const stream of events) {
      expect(second.streams[stream]).toMatchObject({ rows: 0, files: 0 });
      expect(await duckCount(lake, stream)).toBe(before[stream]);
    }
    const files = await listFiles(lake);
    for (const stream of snapshots) {
      expect(await duckCount(lake, stream)).toBe(before[stream]);
      const left = files.filter((f) => f.startsWith(`${stream}/`));
      expect(left.length).toBeGreaterThan(0);
      expect(left.every((f) => pontoonKey(stream, second).test(f))).toBe(true);
    }
  });
});
