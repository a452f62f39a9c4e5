// The s3 source through the CLI: `ferry discover` and `ferry run` of examples/s3-to-lake.json
// pointed at an in-process S3 server (s3rver), on a schema prefix whose files DuckDB wrote. DuckDB
// also reads both sides: the local copies of the uploaded files and the imported lake. s3rver
// accepts any secret for its key id, so a made-up secret can be checked for leaks.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { listAll, S3Store } from '@ferry/storage';
import { sqlString, startS3Server, type S3Server } from '@ferry/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  jsonLines,
  repoRoot,
  runFerry,
  STACK_LINE,
  tempDir,
  type CliResult,
} from '../support/cli.js';
import { listFiles } from '../support/lake.js';
import {
  copyTo,
  duck,
  pageViews,
  SCHEMA_COLUMNS,
  SCHEMA_READERS,
  SCHEMA_TABLES,
  summarize,
  users,
  videos,
  writeSchema,
  type SchemaTable,
  type Summary,
} from '../support/source-schema.js';

const BUCKET = 'ferry-e2e-source';
const SECRET = 'e2e-secret-Hy7pK2';
/** The example's name: its state is `<state dir>/s3-to-lake.json`. */
const TRANSFER = 's3-to-lake';

/** What `ferry run --json` reports. */
interface Report {
  status: string;
  streams: Record<string, { status: string; rows: number; skipped: number }>;
  error?: { code: string; message: string };
}

/** The runner's state file of a transfer. */
interface StateFile {
  streams: Record<string, { state: { files: Record<string, string> } }>;
}

let server: S3Server;
let tmp: { path: string; cleanup: () => Promise<void> };
/** The local copy of the bucket: the file at `<input>/<key>` is uploaded as `<key>`. */
let input: string;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startS3Server({ buckets: [BUCKET] });
  tmp = await tempDir();
  input = join(tmp.path, 'input');
  env = {
    FERRY_S3_BUCKET: BUCKET,
    AWS_REGION: server.region,
    AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SECRET,
  };
  await writeSchema(join(input, 'exports'));
  await upload(await listFiles(input));
});

afterAll(async () => {
  await server.close();
  await tmp.cleanup();
});

function store(): S3Store {
  return new S3Store({
    bucket: BUCKET,
    region: server.region,
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: server.credentials.accessKeyId, secretAccessKey: SECRET },
  });
}

/** Uploads `<input>/<key>` as `<key>` for each key, 16 at a time. */
async function upload(keys: readonly string[]): Promise<void> {
  const s3 = store();
  const queue = [...keys];
  const worker = async (): Promise<void> => {
    for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
      await s3.put(key, await readFile(join(input, key)));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/** Writes `<input>/<key>` and uploads it. */
async function put(key: string, body: string | Uint8Array): Promise<void> {
  await mkdir(dirname(join(input, key)), { recursive: true });
  await writeFile(join(input, key), body);
  await upload([key]);
}

/** The objects under `<root>/<prefix>` with their ETags, keyed relative to `root`. */
async function etags(root: string, prefix: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const o of listAll(store(), `${root}/${prefix}`)) {
    out[o.key.slice(root.length + 1)] = o.etag;
  }
  return out;
}

/** A working directory with a copy of the example pointed at the server. */
interface Scenario {
  readonly dir: string;
  /** The example's destination, `out/imported` under the working directory. */
  readonly lake: string;
  readonly stateFile: string;
}

/** A scenario whose source config is the example's with `config` added. */
async function scenario(name: string, config: Record<string, unknown> = {}): Promise<Scenario> {
  const dir = join(tmp.path, name);
  await mkdir(dir, { recursive: true });
  const example = JSON.parse(
    await readFile(join(repoRoot, 'examples/s3-to-lake.json'), 'utf8'),
  ) as { source: { config: Record<string, unknown> } };
  Object.assign(example.source.config, {
    endpoint: server.endpoint,
    force_path_style: true,
    ...config,
  });
  await writeFile(join(dir, 'transfer.json'), JSON.stringify(example, null, 2));
  return {
    dir,
    lake: join(dir, 'out/imported'),
    stateFile: join(dir, 'state', `${TRANSFER}.json`),
  };
}

/** `ferry <command> transfer.json [...rest]` in the scenario: never a secret nor a stack trace. */
async function ferry(at: Scenario, [command, ...rest]: readonly string[]): Promise<CliResult> {
  const result = await runFerry([command ?? 'run', 'transfer.json', ...rest], {
    cwd: at.dir,
    env,
  });
  expect(result.stdout + result.stderr).not.toContain(SECRET);
  expect(result.stderr).not.toMatch(STACK_LINE);
  return result;
}

/** `ferry run --json` with the scenario's state directory; the report is stdout's last line. */
async function run(at: Scenario): Promise<CliResult & { report: Report }> {
  const result = await ferry(at, ['run', '--json', '--state-dir', 'state']);
  return { ...result, report: jsonLines(result.stdout).at(-1) as unknown as Report };
}

function rowsOf(report: Report): Record<string, number> {
  return Object.fromEntries(Object.entries(report.streams).map(([name, s]) => [name, s.rows]));
}

/** The saved state of every stream (none without a state file). */
async function savedStates(at: Scenario): Promise<StateFile['streams']> {
  if (!existsSync(at.stateFile)) return {};
  return (JSON.parse(await readFile(at.stateFile, 'utf8')) as StateFile).streams;
}

/** DuckDB's reading of the local copies of a table's files under the prefix `exports`. */
function inputSummary(table: SchemaTable): Promise<Summary> {
  return summarize(SCHEMA_READERS[table].from(join(input, 'exports')), SCHEMA_READERS[table].hash);
}

function lakeFiles(lake: string, stream: string): string {
  return `read_parquet(${sqlString(join(lake, stream, '**', '*.parquet'))}, hive_partitioning = false)`;
}

/** DuckDB's reading of a stream of the imported lake (its own `dt` column, not the path's). */
function lakeSummary(lake: string, table: SchemaTable): Promise<Summary> {
  return summarize(lakeFiles(lake, table), SCHEMA_READERS[table].hash);
}

async function lakeCount(lake: string, stream: string): Promise<bigint> {
  if ((await listFiles(join(lake, stream))).length === 0) return 0n;
  const [row] = await duck(`SELECT count(*) AS n FROM ${lakeFiles(lake, stream)}`);
  return row?.n as bigint;
}

describe('the s3 source on a schema prefix written by DuckDB', () => {
  // One transfer, run after run: each test starts from the state the one before left.
  let main: Scenario;
  beforeAll(async () => {
    main = await scenario('main');
  });

  it('discover lists exactly the five tables with their typed columns', async () => {
    const result = await ferry(main, ['discover']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const catalog = JSON.parse(result.stdout) as {
      streams: { name: string; fields: { name: string; type: { kind: string } }[] }[];
    };
    expect(catalog.streams.map((s) => s.name)).toEqual([...SCHEMA_TABLES]);
    expect(
      Object.fromEntries(
        catalog.streams.map((s) => [s.name, s.fields.map((f) => [f.name, f.type.kind])]),
      ),
    ).toEqual(SCHEMA_COLUMNS);
  });

  it('run imports every table: reported rows, counts and values are DuckDB’s reading of the files', async () => {
    const { code, report } = await run(main);
    expect(report.error).toBeUndefined();
    expect(code).toBe(0);
    expect(report.status).toBe('succeeded');
    expect(Object.keys(report.streams).sort()).toEqual([...SCHEMA_TABLES]);
    const states = await savedStates(main);
    for (const table of SCHEMA_TABLES) {
      const expected = await inputSummary(table);
      expect(expected.ids, table).toBe(expected.rows);
      expect(BigInt(report.streams[table]?.rows ?? -1), table).toBe(expected.rows);
      expect(await lakeSummary(main.lake, table), table).toEqual(expected);
      // The state holds every file of the table, with the ETag it had when read.
      expect(states[table]?.state.files, table).toEqual(await etags('exports', `${table}/`));
    }
    expect(report.streams.clicks?.rows).toBe(2100);
    const [dt] = await duck(
      `SELECT any_value(typeof(dt)) AS type, min(dt) AS first, max(dt) AS last
       FROM ${lakeFiles(main.lake, 'page_views')}`,
    );
    expect(dt).toEqual({ type: 'DATE', first: '2025-01-01', last: '2025-01-02' });
  });

  it('a second run imports nothing, a new file just its rows, a rewritten file its new rows', async () => {
    const before: Record<string, bigint> = {};
    for (const table of SCHEMA_TABLES) before[table] = await lakeCount(main.lake, table);
    const none = Object.fromEntries(SCHEMA_TABLES.map((t) => [t, 0]));
    const second = await run(main);
    expect(second.code).toBe(0);
    expect(rowsOf(second.report)).toEqual(none);
    for (const table of SCHEMA_TABLES) {
      expect(await lakeCount(main.lake, table), table).toBe(before[table]);
    }

    const added = 'exports/page_views/dt=2025-01-03/data_0.parquet';
    await copyTo(`SELECT * EXCLUDE (dt) FROM (${pageViews(2500, 2821, '2025-01-03')})`, {
      root: input,
      path: added,
      options: 'FORMAT parquet',
    });
    await upload([added]);
    const third = await run(main);
    expect(third.code).toBe(0);
    expect(rowsOf(third.report)).toEqual({ ...none, page_views: 321 });
    // Nothing twice: the lake holds exactly the three days of input.
    expect(await lakeSummary(main.lake, 'page_views')).toEqual(await inputSummary('page_views'));

    const rewritten = 'exports/users/users-1.csv';
    await copyTo(users(1000, 1007, 'renamed'), {
      root: input,
      path: rewritten,
      options: 'FORMAT csv, HEADER',
    });
    await upload([rewritten]);
    const fourth = await run(main);
    expect(fourth.code).toBe(0);
    expect(rowsOf(fourth.report)).toEqual({ ...none, users: 7 });
    const [renamed] = await duck(
      `SELECT count(*) AS n, min(id) AS first FROM ${lakeFiles(main.lake, 'users')}
       WHERE name LIKE 'renamed %'`,
    );
    expect(renamed).toEqual({ n: 7n, first: 1000n });
    expect(await lakeCount(main.lake, 'users')).toBe((before.users ?? 0n) + 7n);
  });

  it('the state file is what the runs resume from: without it, a run imports everything again', async () => {
    await rm(main.stateFile);
    const { code, report } = await run(main);
    expect(code).toBe(0);
    for (const table of SCHEMA_TABLES) {
      const expected = await inputSummary(table);
      expect(BigInt(report.streams[table]?.rows ?? -1), table).toBe(expected.rows);
    }
  });
});

/** JSON lines `{"id": <id>, ...}` for ids in [from, to); the lines numbered in `bad` malformed. */
function jsonl(from: number, to: number, bad: readonly number[] = []): string {
  let text = '';
  for (let id = from; id < to; id++) {
    const line = id - from + 1;
    text += `{"id": ${id}, "name": "n${id}"${bad.includes(line) ? '' : '}'}\n`;
  }
  return text;
}

/** A run that failed with a record error: exit 1, and the report's message, also on stderr. */
function failure(result: CliResult & { report: Report }): string {
  expect(result.code).toBe(1);
  expect(result.report.status).toBe('failed');
  expect(result.report.error?.code).toBe('record');
  const message = result.report.error?.message ?? '';
  expect(result.stderr).toContain(`error: ${message}`);
  return message;
}

/** `ferry run` succeeded; the rows it reports per stream. */
async function succeeded(at: Scenario): Promise<Record<string, number>> {
  const { code, report } = await run(at);
  expect(report.error).toBeUndefined();
  expect(code).toBe(0);
  return rowsOf(report);
}

describe('bad input: the error names the table, the object and the line or row group', () => {
  const s3 = (key: string): string => `s3://${BUCKET}/${key}`;

  it('a corrupt Parquet file fails the run before it starts; without it, the next run imports the rest', async () => {
    const at = await scenario('bad-parquet', { s3_prefix: 'bad-parquet' });
    await copyTo(videos(0, 100), {
      root: input,
      path: 'bad-parquet/videos/a.parquet',
      options: 'FORMAT parquet',
    });
    await upload(['bad-parquet/videos/a.parquet']);
    await put('bad-parquet/videos/b.parquet', randomBytes(2000));
    const failed = await run(at);
    expect(failure(failed)).toBe(
      `stream "videos" cannot be read: cannot read Parquet file: it does not end with the Parquet magic bytes (truncated, or not Parquet) (stream videos, ${s3('bad-parquet/videos/b.parquet')}); list the streams to move in "streams" to leave it out`,
    );
    expect(await savedStates(at)).toEqual({});

    await store().delete(['bad-parquet/videos/b.parquet']);
    expect(await succeeded(at)).toEqual({ videos: 100 });
    expect(await lakeCount(at.lake, 'videos')).toBe(100n);
  });

  it('a damaged row group fails the read at that row group; the repaired file is imported once', async () => {
    const at = await scenario('bad-row-group', { s3_prefix: 'bad-row-group' });
    const [good, damaged] = ['bad-row-group/videos/a.parquet', 'bad-row-group/videos/b.parquet'];
    await copyTo(videos(0, 100), { root: input, path: good, options: 'FORMAT parquet' });
    // Three row groups of 2048 rows or fewer; the second one's `title` pages overwritten.
    const options = 'FORMAT parquet, ROW_GROUP_SIZE 2048';
    await copyTo(videos(100, 6100), { root: input, path: damaged, options });
    const intact = await readFile(join(input, damaged));
    const [chunk] = await duck(
      `SELECT data_page_offset AS start, total_compressed_size AS size
       FROM parquet_metadata(${sqlString(join(input, damaged))})
       WHERE row_group_id = 1 AND path_in_schema = 'title'`,
    );
    const start = Number(chunk?.start);
    await upload([good]);
    await put(damaged, Buffer.from(intact).fill(0xff, start, start + Number(chunk?.size)));

    const message = failure(await run(at));
    expect(message).toMatch(/^cannot read Parquet row group 1 \(rows 2048-4095\): corrupt data/);
    expect(message).toContain(`(stream videos, ${s3(damaged)}, row 2048)`);
    // The rows before it (a.parquet, row group 0) were read, but none was kept.
    expect(await savedStates(at)).toEqual({});
    expect((await listFiles(at.lake)).filter((f) => f.endsWith('.parquet'))).toEqual([]);

    await put(damaged, intact);
    expect(await succeeded(at)).toEqual({ videos: 6100 });
    const [lake] = await duck(
      `SELECT count(*) AS n, count(DISTINCT id) AS ids FROM ${lakeFiles(at.lake, 'videos')}`,
    );
    expect(lake).toEqual({ n: 6100n, ids: 6100n });
  });

  it('a malformed JSON line past the sampled lines fails the read at that line; the fixed file is imported once', async () => {
    const at = await scenario('bad-jsonl', { s3_prefix: 'bad-jsonl' });
    await put('bad-jsonl/events/a.jsonl', jsonl(0, 20));
    // discover infers the columns from the first 1000 lines: line 1200 is met by the read.
    await put('bad-jsonl/events/b.jsonl', jsonl(20, 1520, [1200]));
    const failed = await run(at);
    expect(failure(failed)).toBe(
      `cannot read JSON line: expected valid JSON, got text that ends before the JSON value does (stream events, ${s3('bad-jsonl/events/b.jsonl')}, line 1200)`,
    );
    expect(failed.report.streams.events).toMatchObject({ status: 'failed', rows: 0 });
    expect(await savedStates(at)).toEqual({});

    await put('bad-jsonl/events/b.jsonl', jsonl(20, 1520));
    expect(await succeeded(at)).toEqual({ events: 1520 });
    const [lake] = await duck(
      `SELECT count(*) AS n, count(DISTINCT id) AS ids FROM ${lakeFiles(at.lake, 'events')}`,
    );
    expect(lake).toEqual({ n: 1520n, ids: 1520n });
    expect(await succeeded(at)).toEqual({ events: 0 });
  });

  it('a CSV row with the wrong number of fields makes the table unavailable and fails the run; the fixed file is imported', async () => {
    const at = await scenario('bad-csv', { s3_prefix: 'bad-csv' });
    await put('bad-csv/users/a.csv', 'id,name\n1,ann\n2,bob,extra\n3,cy\n');
    const expected = `cannot read CSV record: expected 2 fields, got 3 (stream users, ${s3('bad-csv/users/a.csv')}, line 3)`;
    const discover = await ferry(at, ['discover']);
    expect(discover.code).toBe(0);
    expect(JSON.parse(discover.stdout)).toEqual({
      streams: [],
      unavailable: [{ name: 'users', problem: expected }],
    });
    expect(failure(await run(at))).toBe(
      `stream "users" cannot be read: ${expected}; list the streams to move in "streams" to leave it out`,
    );
    expect(await savedStates(at)).toEqual({});

    await put('bad-csv/users/a.csv', 'id,name\n1,ann\n2,bob\n3,cy\n');
    expect(await succeeded(at)).toEqual({ users: 3 });
    expect(await lakeCount(at.lake, 'users')).toBe(3n);
  });

  it('on_bad_record skip: the run succeeds, counts the skipped records, and imports the good rows', async () => {
    const at = await scenario('bad-skip', { s3_prefix: 'bad-skip', on_bad_record: 'skip' });
    // Line 2 is in discover's sample, line 1200 past it.
    await put('bad-skip/events/a.jsonl', jsonl(0, 1500, [2, 1200]));
    const csv = ['id,name', ...Array.from({ length: 10 }, (_, i) => `${i},n${i}`)];
    csv[3] = '2,n2,extra';
    await put('bad-skip/users/a.csv', `${csv.join('\n')}\n`);
    const { code, report, stderr } = await run(at);
    expect(report.error).toBeUndefined();
    expect(code).toBe(0);
    expect(report.streams.events).toMatchObject({ status: 'succeeded', rows: 1498, skipped: 2 });
    expect(report.streams.users).toMatchObject({ status: 'succeeded', rows: 9, skipped: 1 });
    expect(stderr).toMatch(/^ {2}events +succeeded +1,498 rows .* 2 bad records skipped$/m);
    expect(stderr).toMatch(/^ {2}users +succeeded +9 rows .* 1 bad record skipped$/m);

    const good = (stream: string) =>
      duck(`SELECT count(*) AS n, sum(id) AS ids FROM ${lakeFiles(at.lake, stream)}`);
    // ids 0-1499 less those on lines 2 and 1200 (ids 1 and 1199); 0-9 less 2.
    expect(await good('events')).toEqual([{ n: 1498n, ids: 1499n * 750n - 1n - 1199n }]);
    expect(await good('users')).toEqual([{ n: 9n, ids: 45n - 2n }]);
    // The files were read: the next run reads nothing, and skips nothing.
    const again = await run(at);
    expect(rowsOf(again.report)).toEqual({ events: 0, users: 0 });
    expect(again.report.streams.events?.skipped).toBe(0);
  });
});
