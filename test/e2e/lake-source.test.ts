// The filesystem source through the CLI when one table of a schema directory cannot be typed:
// `ferry discover` lists it as unavailable with the reason and still lists the others, a run that
// names only the others moves them, and a run that would read it fails before anything is written
// or recorded. Also: a partition filter on a column no table has is refused at its place.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { queryDuckDB, sqlString } from '@ferry/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFerry, STACK_LINE, tempDir } from '../support/cli.js';

let tmp: { path: string; cleanup: () => Promise<void> };
let schema: string;

beforeAll(async () => {
  tmp = await tempDir();
  schema = join(tmp.path, 'schema');
  await mkdir(join(schema, 'events/dt=2025-01-01'), { recursive: true });
  await queryDuckDB(
    `COPY (SELECT i::BIGINT AS id FROM range(100) t(i)) TO ${sqlString(join(schema, 'events/dt=2025-01-01/a.parquet'))} (FORMAT parquet)`,
  );
  await mkdir(join(schema, 'broken'), { recursive: true });
  await writeFile(join(schema, 'broken/x.parquet'), 'PAR1 not a footer PAR1');
});

afterAll(async () => {
  await tmp.cleanup();
});

async function transfer(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { source, ...rest } = extra as { source?: Record<string, unknown> };
  const file = join(tmp.path, `${name}.json`);
  const body = {
    name,
    source: { type: 'filesystem', config: { path: schema, ...source } },
    destination: { type: 'filesystem', config: { path: join(tmp.path, `out-${name}`) } },
    ...rest,
  };
  await writeFile(file, JSON.stringify(body));
  return file;
}

describe('a schema directory with a table that cannot be typed', () => {
  it('discover lists it as unavailable, with the file, and the other tables as streams', async () => {
    const result = await runFerry(['discover', await transfer('look')], { cwd: tmp.path });
    expect(result.code).toBe(0);
    const catalog = JSON.parse(result.stdout) as {
      streams: { name: string }[];
      unavailable: { name: string; problem: string }[];
    };
    expect(catalog.streams.map((s) => s.name)).toEqual(['events']);
    expect(catalog.unavailable.map((u) => u.name)).toEqual(['broken']);
    expect(catalog.unavailable[0]?.problem).toContain(join(schema, 'broken/x.parquet'));
    expect(result.stderr).toContain('a table cannot be read');
  });

  it('a run naming only the other tables moves them; one reading it fails before writing', async () => {
    const named = await transfer('named', { streams: [{ name: 'events' }] });
    const ok = await runFerry(['run', named, '--json', '--state-dir', 'st'], { cwd: tmp.path });
    expect(ok.code).toBe(0);
    const [counted] = await queryDuckDB(
      `SELECT count(*) AS n FROM read_parquet(${sqlString(join(tmp.path, 'out-named/events/**/*.parquet'))})`,
    );
    expect(counted?.n).toBe(100n);

    const all = await transfer('all');
    const failed = await runFerry(['run', all, '--state-dir', 'st'], { cwd: tmp.path });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      `error: stream "broken" cannot be read: cannot read Parquet file: its footer is longer than the file (truncated or corrupt) (stream broken, ${join(schema, 'broken/x.parquet')})`,
    );
    expect(failed.stderr).toContain('list the streams to move in "streams" to leave it out');
    expect(failed.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(join(tmp.path, 'st/all.json'))).toBe(false);
    expect(existsSync(join(tmp.path, 'out-all/events'))).toBe(false);
  });

  it('a partition filter on a column no table has is refused at its place (exit 2)', async () => {
    const typo = await transfer('typo', {
      source: {
        exclude_tables: ['broken'],
        partition_filter: [{ column: 'date', op: '>=', value: '2025-01-01' }],
      },
    });
    const result = await runFerry(['run', typo, '--state-dir', 'st'], { cwd: tmp.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/source/config/partition_filter/0/column');
    expect(result.stderr).toContain(
      `no table under ${schema} has "date=" directories (partition columns: dt)`,
    );
  });
});

describe('values', () => {
  it('integers beyond 2^53 nested in JSON Lines arrive exactly in the Parquet lake', async () => {
    const dir = join(tmp.path, 'nested');
    await mkdir(join(dir, 'props'), { recursive: true });
    await writeFile(
      join(dir, 'props/a.jsonl'),
      '{"id": 1, "props": {"hash": 18446744073709551615, "n": 1.5}}\n{"id": 2, "props": {"hash": -9007199254740993}}\n',
    );
    const file = join(tmp.path, 'nested.json');
    await writeFile(
      file,
      JSON.stringify({
        name: 'nested',
        source: { type: 'filesystem', config: { path: dir } },
        destination: { type: 'filesystem', config: { path: join(tmp.path, 'out-nested') } },
      }),
    );
    const result = await runFerry(['run', file, '--state-dir', 'st'], { cwd: tmp.path });
    expect(result.code).toBe(0);
    const rows = await queryDuckDB(
      `SELECT id, json_extract(props, '$.hash')::HUGEINT AS hash, props::VARCHAR AS text FROM read_parquet(${sqlString(join(tmp.path, 'out-nested/props/**/*.parquet'))}) ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: 1n, hash: 18446744073709551615n, text: '{"hash":18446744073709551615,"n":1.5}' },
      { id: 2n, hash: -9007199254740993n, text: '{"hash":-9007199254740993}' },
    ]);
  });
});
