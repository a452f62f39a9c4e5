import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { queryDuckDB, sqlString } from '@ferry/testkit';

// A schema directory written by DuckDB for the lake sources (`s3`, `filesystem`) to read: files we
// did not write. DuckDB also reads them back, as the reference the imported rows are checked by.

/** The tables of {@link writeSchema}, sorted as `discover` lists them. */
export const SCHEMA_TABLES = ['clicks', 'events', 'page_views', 'users', 'videos'] as const;
export type SchemaTable = (typeof SCHEMA_TABLES)[number];

/** The columns `discover` must find in each table, in order, with their kinds. */
export const SCHEMA_COLUMNS: Record<SchemaTable, [string, string][]> = {
  clicks: [
    ['id', 'int64'],
    ['page_view_id', 'int64'],
    ['target', 'string'],
    ['chunk', 'int64'],
  ],
  events: [
    ['id', 'int64'],
    ['kind', 'string'],
    ['value', 'float64'],
    ['ok', 'boolean'],
    ['occurred_at', 'timestamp'],
    ['props', 'json'],
  ],
  page_views: [
    ['id', 'int64'],
    ['user_id', 'int64'],
    ['url', 'string'],
    ['duration_s', 'float64'],
    ['is_bounce', 'boolean'],
    ['viewed_at', 'timestamp'],
    ['dt', 'date'],
  ],
  users: [
    ['id', 'int64'],
    ['name', 'string'],
    ['score', 'float64'],
    ['active', 'boolean'],
    ['signed_up_at', 'timestamp'],
    ['birthday', 'date'],
  ],
  videos: [
    ['id', 'int64'],
    ['title', 'string'],
    ['length_s', 'float64'],
    ['is_short', 'boolean'],
    ['published_at', 'timestamp'],
  ],
};

/**
 * How DuckDB reads each table from its files (`root`: the schema directory), and an expression
 * hashing a few columns of a row that gives the same value on the input and on an imported copy:
 * timestamps as microseconds, partition values as text (DuckDB reads the input's timestamps with
 * an offset in JSON as text, and the input's partitions from the path).
 */
export const SCHEMA_READERS: Record<SchemaTable, { from: (root: string) => string; hash: string }> =
  {
    clicks: {
      from: (root) =>
        `read_csv(${sqlString(`${root}/clicks/*/*.csv`)}, header = true, hive_partitioning = true)`,
      hash: 'hash(id, page_view_id, target, chunk::VARCHAR)',
    },
    events: {
      from: (root) =>
        `read_json(${sqlString(`${root}/events/**/*.jsonl*`)}, format = 'newline_delimited')`,
      hash: `hash(id, kind, value, epoch_us(occurred_at::TIMESTAMPTZ), json_extract_string(props::JSON, '$.tags[1]'))`,
    },
    page_views: {
      from: (root) =>
        `read_parquet(${sqlString(`${root}/page_views/*/*.parquet`)}, hive_partitioning = true)`,
      hash: 'hash(id, url, duration_s, epoch_us(viewed_at), dt::VARCHAR)',
    },
    users: {
      from: (root) =>
        `read_csv(${sqlString(`${root}/users/*.csv*`)}, header = true, union_by_name = true)`,
      hash: 'hash(id, name, score, epoch_us(signed_up_at::TIMESTAMPTZ), birthday::VARCHAR)',
    },
    videos: {
      from: (root) => `read_parquet(${sqlString(`${root}/videos/*.parquet`)})`,
      hash: 'hash(id, title, length_s, is_short, epoch_us(published_at))',
    },
  };

/** Runs DuckDB statements in UTC (how it writes timestamps with an offset into CSV and JSON). */
export function duck(sql: string): Promise<Record<string, unknown>[]> {
  return queryDuckDB(`SET TimeZone = 'UTC'; ${sql}`);
}

/** Where {@link copyTo} writes: `root/path`, with DuckDB's COPY options. */
export interface CopyTarget {
  readonly root: string;
  readonly path: string;
  readonly options: string;
}

/** `COPY (<select>) TO <root>/<path> (<options>)`, the parent directory created first. */
export async function copyTo(select: string, to: CopyTarget): Promise<void> {
  const target = join(to.root, to.path);
  await mkdir(dirname(target), { recursive: true });
  await duck(`COPY (${select}) TO ${sqlString(target)} (${to.options})`);
}

/** Rows of `page_views` with ids in [from, to), all on day `dt`. */
export function pageViews(from: number, to: number, dt: string): string {
  return `SELECT range AS id, range * 7919 % 500 AS user_id, 'https://example.com/p/' || range % 97 AS url,
    (range % 1000)::DOUBLE / 8 AS duration_s, range % 5 = 0 AS is_bounce,
    TIMESTAMP '2025-01-01 00:00:00' + INTERVAL (range * 37) SECOND AS viewed_at, DATE '${dt}' AS dt
    FROM range(${from}, ${to})`;
}

/** Rows of `users` with ids in [from, to), named `<name> <id>`. */
export function users(from: number, to: number, name = 'user'): string {
  return `SELECT range AS id, '${name} ' || range AS name, range * 0.5 + 0.25 AS score,
    range % 2 = 0 AS active,
    TIMESTAMPTZ '2024-01-01 00:00:00+00' + INTERVAL (range) MINUTE AS signed_up_at,
    DATE '1980-01-01' + range::INTEGER AS birthday FROM range(${from}, ${to})`;
}

/** Rows of `events` with ids in [from, to); `props` is a nested object. */
export function events(from: number, to: number): string {
  return `SELECT range AS id, ['view', 'click', 'share'][range % 3 + 1] AS kind,
    (range * 0.25 + 0.125)::DOUBLE AS value, range % 4 = 0 AS ok,
    TIMESTAMPTZ '2025-01-01 00:00:00+00' + INTERVAL (range) SECOND AS occurred_at,
    {'a': range, 'tags': ['x', 'y' || range]} AS props FROM range(${from}, ${to})`;
}

/** Rows of `videos` with ids in [from, to). */
export function videos(from: number, to: number): string {
  return `SELECT range AS id, 'video ' || range AS title,
    (range * 13 % 600)::DOUBLE + 0.5 AS length_s, range % 3 = 0 AS is_short,
    TIMESTAMP '2024-06-01 12:00:00' + INTERVAL (range) HOUR AS published_at
    FROM range(${from}, ${to})`;
}

/**
 * Writes the five tables of {@link SCHEMA_TABLES} under `root`, and `_ferry/` and `.hidden/`
 * directories holding data files that are no tables:
 * - `page_views`: Parquet partitioned by `dt=2025-01-01/` (1200 rows) and `dt=2025-01-02/` (1300);
 * - `videos`: two zstd Parquet files, not partitioned (650 rows);
 * - `users`: CSV with a header, `users-1.csv` (60 rows) and `users-2.csv.gz` (80);
 * - `events`: JSON Lines, `events-0.jsonl` (200 rows) and `2025/events-1.jsonl.gz` (300);
 * - `clicks`: 1050 CSV files of 2 rows, one per `chunk=<n>/` directory (more than a listing page).
 */
export async function writeSchema(root: string): Promise<void> {
  await copyTo(
    `SELECT * REPLACE (DATE '2025-01-01' + (id >= 1200)::INTEGER AS dt) FROM (${pageViews(0, 2500, '2025-01-01')})`,
    { root, path: 'page_views', options: 'FORMAT parquet, PARTITION_BY (dt)' },
  );
  const zstd = 'FORMAT parquet, COMPRESSION zstd';
  await copyTo(videos(0, 400), { root, path: 'videos/part-0.parquet', options: zstd });
  await copyTo(videos(400, 650), { root, path: 'videos/part-1.parquet', options: zstd });
  await copyTo(users(0, 60), { root, path: 'users/users-1.csv', options: 'FORMAT csv, HEADER' });
  await copyTo(users(60, 140), {
    root,
    path: 'users/users-2.csv.gz',
    options: 'FORMAT csv, HEADER, COMPRESSION gzip',
  });
  await copyTo(events(0, 200), { root, path: 'events/events-0.jsonl', options: 'FORMAT json' });
  await copyTo(events(200, 500), {
    root,
    path: 'events/2025/events-1.jsonl.gz',
    options: 'FORMAT json, COMPRESSION gzip',
  });
  await copyTo(
    `SELECT range AS id, range * 3 AS page_view_id, 'button-' || range % 7 AS target, range // 2 AS chunk FROM range(2100)`,
    { root, path: 'clicks', options: 'FORMAT csv, HEADER, PARTITION_BY (chunk)' },
  );
  const hidden = 'SELECT 1 AS x';
  await copyTo(hidden, { root, path: '.hidden/part-0.parquet', options: 'FORMAT parquet' });
  await copyTo(hidden, { root, path: '_ferry/runs/run.jsonl', options: 'FORMAT json' });
}

/** Rows, distinct ids and an order-independent hash of a table's rows. */
export interface Summary {
  readonly rows: bigint;
  readonly ids: bigint;
  readonly fingerprint: bigint;
}

/** DuckDB's {@link Summary} of the rows of `from` (a table function), hashed by `hash`. */
export async function summarize(from: string, hash: string): Promise<Summary> {
  const [row] = await duck(
    `SELECT count(*) AS rows, count(DISTINCT id) AS ids,
       coalesce(sum(${hash}), 0)::HUGEINT AS fingerprint FROM ${from}`,
  );
  return row as unknown as Summary;
}
