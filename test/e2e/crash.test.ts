import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { queryDuckDB, sqlString } from '@ferry/testkit';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ferryBin, runFerry, tempDir } from '../support/cli.js';
import { listFiles } from '../support/lake.js';

let tmp: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => (tmp = await tempDir()));
afterEach(() => tmp.cleanup());

const DAYS = 6;
const PER_DAY = 20_000;

interface Journal {
  unfinished: { commits: Record<string, { files: number } | undefined> }[];
}

async function committedFiles(stateFile: string): Promise<number> {
  try {
    const state = JSON.parse(await readFile(stateFile, 'utf8')) as Journal;
    return state.unfinished[0]?.commits.pageview_events?.files ?? 0;
  } catch {
    return 0; // not written yet
  }
}

it('a run killed with SIGKILL mid-write is cleaned up by the next: no row lost or duplicated', async () => {
  await writeFile(
    join(tmp.path, 'crash.json'),
    JSON.stringify({
      name: 'crash',
      source: { type: 'sample', config: { days: DAYS, events_per_day: PER_DAY } },
      destination: {
        type: 'filesystem',
        config: { path: 'lake', flush_interval_s: 0, max_rows_per_file: 4000 },
      },
      streams: [{ name: 'pageview_events' }],
    }),
  );
  const child = spawn(process.execPath, [ferryBin, 'run', 'crash.json'], {
    cwd: tmp.path,
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', resolve);
  });
  const lakeFiles = async (): Promise<number> =>
    (await listFiles(join(tmp.path, 'lake/pageview_events'))).filter((f) => f.endsWith('.parquet'))
      .length;
  // Kill once the lake holds files beyond the last commit the runner saved: rows past its state.
  let orphans = false;
  while (child.exitCode === null && !orphans) {
    const committed = await committedFiles(join(tmp.path, '.ferry/state/crash.json'));
    orphans = committed > 0 && (await lakeFiles()) > committed;
    if (!orphans) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(orphans, 'the run ended before it could be killed mid-write').toBe(true);
  child.kill('SIGKILL');
  await exited;

  const rerun = await runFerry(['run', 'crash.json', '--json'], { cwd: tmp.path });
  expect(rerun.code).toBe(0);
  const [row] = await queryDuckDB(
    `select count(*) as n, count(distinct event_id) as ids
     from read_parquet(${sqlString(join(tmp.path, 'lake/pageview_events/*/*.parquet'))})`,
  );
  expect(row).toEqual({ n: BigInt(DAYS * PER_DAY), ids: BigInt(DAYS * PER_DAY) });
  const state = JSON.parse(
    await readFile(join(tmp.path, '.ferry/state/crash.json'), 'utf8'),
  ) as Journal;
  expect(state.unfinished).toEqual([]);
});
