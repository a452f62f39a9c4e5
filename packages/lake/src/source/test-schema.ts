import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Catalog, CatalogStream, Row } from '@ferry/core';
import { queryDuckDB, sqlString } from '@ferry/testkit';
import { afterAll, beforeAll } from 'vitest';
import { tempLake } from '../test-support.js';
import { lakeSource, quiet, sourceConfig } from './test-source.js';

/** A schema directory of the tests: files written by DuckDB and by hand, read by the source. */
export class SchemaDir {
  constructor(readonly path: string) {}

  /** The absolute path of `relative`. */
  at(relative: string): string {
    return join(this.path, relative);
  }

  /** Writes `text` to `relative`, creating directories. */
  async put(relative: string, text: string): Promise<void> {
    await mkdir(dirname(this.at(relative)), { recursive: true });
    await writeFile(this.at(relative), text);
  }

  /** Writes `select` to `relative` with DuckDB's COPY (`options` as COPY takes them). */
  async copy(select: string, relative: string, options: string): Promise<void> {
    await mkdir(dirname(this.at(relative)), { recursive: true });
    await queryDuckDB(`COPY (${select}) TO ${sqlString(this.at(relative))} (${options})`);
  }

  /** The streams the source discovers here, with config `input` besides the path. */
  async catalog(input: Record<string, unknown> = {}): Promise<CatalogStream[]> {
    return [...(await this.discover(input)).streams];
  }

  /** The whole catalog the source discovers here, with config `input` besides the path. */
  discover(input: Record<string, unknown> = {}): Promise<Catalog> {
    const config = sourceConfig({ path: this.path, ...input });
    return lakeSource.discover(quiet(), config);
  }

  /** The discovered stream `name`. */
  async streamOf(name: string, input: Record<string, unknown> = {}): Promise<CatalogStream> {
    const found = (await this.catalog(input)).find((s) => s.name === name);
    if (found === undefined) throw new Error(`no stream ${name}`);
    return found;
  }
}

const eventsOn = (from: number, to: number, extra: string): string =>
  `SELECT i::BIGINT AS id, 'e' || i AS name, i / 4 AS score,
     TIMESTAMP '2025-01-01 00:00:00' + to_microseconds(i * 1000001) AS "at", ${extra}
   FROM range(${from}, ${to}) t(i)`;

/**
 * The tables: `events` (Parquet, partitioned by dt, `n` INTEGER in one file and BIGINT in the
 * other, `extra` in one only), `users` (CSV, plain and gzipped, in a plain subdirectory), `logs`
 * (JSON Lines, gzipped and not, partitioned by hour); and no table in `empty/` (only a marker),
 * `notes/` (only a text file) and `_ferry/` (reserved).
 */
async function writeSchema(dir: SchemaDir): Promise<void> {
  const events = 'events/dt=2025-01-01/part-0.parquet';
  await dir.copy(eventsOn(0, 1500, 'i::INTEGER AS n'), events, 'FORMAT parquet');
  const more = "i::BIGINT AS n, 'x' || i AS extra";
  await dir.copy(
    eventsOn(1500, 2500, more),
    'events/dt=2025-01-02/part-0.parquet',
    'FORMAT parquet',
  );
  const users = (from: number, to: number): string =>
    `SELECT i::BIGINT AS id, 'u' || i || '@example.com' AS email,
       DATE '2024-01-01' + i::INTEGER AS signup, i % 3 = 0 AS active FROM range(${from}, ${to}) t(i)`;
  await dir.copy(users(0, 300), 'users/users.csv', 'FORMAT csv, HEADER true');
  const gz = 'FORMAT csv, HEADER true, COMPRESSION gzip';
  await dir.copy(users(300, 500), 'users/archive/old.csv.gz', gz);
  const logs = (from: number, to: number): string =>
    `SELECT i::BIGINT AS id, CASE WHEN i % 2 = 0 THEN 'info' ELSE 'warn' END AS level,
       {'a': i} AS ctx FROM range(${from}, ${to}) t(i)`;
  await dir.copy(logs(0, 120), 'logs/hour=1/a.jsonl.gz', 'FORMAT json, COMPRESSION gzip');
  await dir.copy(logs(120, 200), 'logs/hour=2/b.ndjson', 'FORMAT json');
  await dir.put('empty/_SUCCESS', '');
  await dir.put('notes/readme.txt', 'not data');
  await dir.put('_ferry/manifests/events/m.json', '{}');
}

/**
 * A fresh schema directory for the test file (written before its tests, removed after);
 * call at the top level, use `.current` inside tests.
 */
export function schemaDirectory(): { readonly current: SchemaDir } {
  let dir: SchemaDir | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const temp = await tempLake();
    cleanup = temp.cleanup;
    dir = new SchemaDir(temp.path);
    await writeSchema(dir);
  });
  afterAll(() => cleanup?.());
  return {
    get current(): SchemaDir {
      if (dir === undefined) throw new Error('the schema directory is made in beforeAll');
      return dir;
    },
  };
}

/** Columns as `[name, kind, 'null' | 'not null']`. */
export const columns = (s: CatalogStream): string[][] =>
  s.fields.map((f) => [f.name, f.type.kind, f.nullable ? 'null' : 'not null']);

/** Orders rows by their bigint `id`. */
export const byId = (a: Row, b: Row): number => ((a.id as bigint) < (b.id as bigint) ? -1 : 1);
