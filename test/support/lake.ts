import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { queryDuckDB, sqlString } from '@ferry/testkit';

/** Every file under `dir` as a `/`-separated path relative to it, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Row count of a stream's Parquet files in a lake, as DuckDB reads them. */
export async function duckCount(lake: string, stream: string): Promise<bigint> {
  const rows = await queryDuckDB(
    `select count(*) as n from read_parquet(${sqlString(join(lake, stream, '*', '*.parquet'))})`,
  );
  return rows[0]?.n as bigint;
}
