import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { queryDuckDB } from './duckdb.js';
import { sqlString } from './sql.js';

/**
 * Writes a small schema directory with DuckDB, as another tool would, for the conformance of
 * lake sources: `events` (Parquet, two `dt=` partitions, one file each, so reads have several
 * checkpoints; 45 rows) and `users` (CSV, gzipped and not; 8 rows). Returns the keys written,
 * relative to `dir`, so a caller can upload them elsewhere (an S3 bucket).
 */
export async function writeSampleTables(dir: string): Promise<string[]> {
  const keys: string[] = [];
  const copy = async (select: string, key: string, options: string): Promise<void> => {
    const file = join(dir, key);
    await mkdir(dirname(file), { recursive: true });
    await queryDuckDB(`COPY (${select}) TO ${sqlString(file)} (${options})`);
    keys.push(key);
  };
  const events = (from: number, to: number): string =>
    `SELECT i::BIGINT AS id, 'e' || i AS name, TIMESTAMP '2025-01-01' + to_seconds(i) AS ts FROM range(${from}, ${to}) t(i)`;
  const users = (from: number, to: number): string =>
    `SELECT i::BIGINT AS id, 'u' || i AS email FROM range(${from}, ${to}) t(i)`;
  await copy(events(0, 30), 'events/dt=2025-01-01/part-0.parquet', 'FORMAT parquet');
  await copy(events(30, 45), 'events/dt=2025-01-02/part-0.parquet', 'FORMAT parquet');
  await copy(users(0, 5), 'users/users.csv', 'FORMAT csv, HEADER true');
  await copy(users(5, 8), 'users/more/users.csv.gz', 'FORMAT csv, HEADER true, COMPRESSION gzip');
  return keys;
}
