// `npm run demo`: runs examples/demo.json, then shows where the lake is and queries it with DuckDB.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const lake = 'out/lake';
const ran = spawnSync(process.execPath, ['runner/bin/ferry.js', 'run', 'examples/demo.json'], {
  stdio: 'inherit',
});
if (ran.status !== 0) process.exit(ran.status ?? 1);

const files = [];
const walk = (dir) => {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.parquet')) files.push(path);
  }
};
walk(lake);
const events = files.filter(
  (f) => f.includes('/pageview_events/') || f.includes('/videoview_events/'),
);
if (events.length === 0) {
  console.error(
    `\n${lake} holds no event files, but the saved state (.ferry/state/demo.json) says they were exported.` +
      `\nTo start the demo over: rm -rf out .ferry && npm run demo`,
  );
  process.exit(0);
}
console.error(`\nThe lake is in ${lake}/ (${files.length} Parquet files), for example:`);
for (const file of files.slice(0, 5)) console.error(`  ${file}`);

const query = `select 'pageview_events' as stream, dt, time::date as day, count(*) as rows
  from read_parquet('${lake}/pageview_events/*/*.parquet', hive_partitioning = true) group by all
union all
select 'videoview_events', dt, time::date, count(*)
  from read_parquet('${lake}/videoview_events/*/*.parquet', hive_partitioning = true) group by all
order by 1, 2, 3`;
console.error(
  `\nQuery it with DuckDB (duckdb.org), e.g.:\n  duckdb -c "${query.replace(/\s+/g, ' ')}"\n`,
);

let duckdb;
try {
  duckdb = await import('@duckdb/node-api');
} catch {
  console.error('(DuckDB for Node is not installed here, so the query is not run.)');
  process.exit(0);
}
const instance = await duckdb.DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const reader = await connection.runAndReadAll(query);
console.error('which gives:');
for (const row of reader.getRowObjectsJson()) {
  console.error(
    `  ${String(row.stream).padEnd(17)} dt=${row.dt}  events of ${row.day}: ${row.rows} rows`,
  );
}
connection.closeSync();
instance.closeSync();
console.error(
  '\nRun it again: the event streams are incremental, so no new event rows are written.',
);
