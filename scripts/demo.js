// `npm run demo`: runs examples/demo.json, then shows where the lake is and queries it with DuckDB.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const lake = 'out/lake';
const ran = spawnSync(process.execPath, ['runner/bin/ferry.js', 'run', 'examples/demo.json'], {
  stdio: 'inherit',
});
if (ran.status !== 0) process.exit(ran.status ?? 1);

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.parquet')) files.push(path);
  }
};
walk(lake);
console.error(`\nThe lake is in ${lake}/ (${files.length} Parquet files), for example:`);
for (const file of files.slice(0, 5)) console.error(`  ${relative('.', file)}`);

const query = `select 'pageview_events' as stream, dt, count(*) as rows
  from read_parquet('${lake}/pageview_events/*/*.parquet', hive_partitioning = true) group by all
union all
select 'videoview_events', dt, count(*)
  from read_parquet('${lake}/videoview_events/*/*.parquet', hive_partitioning = true) group by all
order by 1, 2`;
console.error(
  `\nQuery it with DuckDB (duckdb.org), e.g.:\n  duckdb -c "${query.replaceAll('\n', ' ').replace(/\s+/g, ' ')}"\n`,
);

try {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(query);
  console.error('which gives:');
  for (const row of reader.getRowObjectsJson())
    console.error(`  ${row.stream}  dt=${row.dt}  ${row.rows} rows`);
  connection.closeSync();
  instance.closeSync();
} catch (error) {
  console.error(
    `(DuckDB is not installed here: ${error instanceof Error ? error.message : error})`,
  );
}
