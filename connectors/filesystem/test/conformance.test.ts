import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { field, t, type ConfiguredStream } from '@ferry/core';
import {
  describeDestination,
  describeRoundTrip,
  describeSource,
  queryDuckDB,
  sqlString,
  writeSampleTables,
} from '@ferry/testkit';
import { destination, source } from '../src/index.js';

// The fixture is a config as a user writes it; each case gets its own directory.
const fixture = JSON.parse(
  readFileSync(new URL('fixtures/destination.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const sourceFixture = JSON.parse(
  readFileSync(new URL('fixtures/source.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

function freshPath(): string {
  return mkdtempSync(join(tmpdir(), 'ferry-filesystem-conformance-'));
}

/** What DuckDB, a plain reader, sees of a stream: every data file under its directory. */
async function read(config: unknown, stream: ConfiguredStream): Promise<Record<string, unknown>[]> {
  const { path, format } = config as { path: string; format: string };
  const extension = format === 'parquet' ? '.parquet' : '.jsonl.gz';
  const dir = join(path, stream.name);
  const files = existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }) : [];
  if (!files.some((f) => f.endsWith(extension))) return [];
  const glob = sqlString(join(dir, `**/*${extension}`));
  const from =
    format === 'parquet'
      ? `read_parquet(${glob})`
      : `read_json(${glob}, format = 'newline_delimited', columns = {id: 'VARCHAR'})`;
  return queryDuckDB(`select id::VARCHAR as id from ${from}`);
}

describeDestination(destination, {
  // flush_interval_s 0 commits at every checkpoint, so the kit sees intermediate acks too.
  config: () => ({ ...fixture, path: freshPath() }),
  read,
  invalidConfigs: [
    { name: 'no path', config: {}, pointer: '/path' },
    { name: 'an unknown format', config: { path: 'x', format: 'csv' }, pointer: '/format' },
    {
      name: 'Snappy for JSONL',
      config: { path: 'x', format: 'jsonl', compression: 'snappy' },
      pointer: '/compression',
    },
    { name: 'an unknown key', config: { path: 'x', bucket: 'b' }, pointer: '/bucket' },
  ],
  failingChecks: [
    {
      name: 'the path is a regular file',
      config: () => {
        const file = join(freshPath(), 'not-a-directory');
        writeFileSync(file, 'x');
        return { path: file };
      },
    },
  ],
  readme: new URL('../README.md', import.meta.url),
});

/** A schema directory written by DuckDB, as another tool would (see `writeSampleTables`). */
async function filledLake(): Promise<Record<string, unknown>> {
  const path = freshPath();
  await writeSampleTables(path);
  return { ...sourceFixture, path };
}

describeSource(source, {
  config: filledLake,
  invalidConfigs: [
    { name: 'no path', config: {}, pointer: '/path' },
    { name: 'an unknown format', config: { path: 'x', format: 'avro' }, pointer: '/format' },
    {
      name: 'an unknown operator in a partition filter',
      config: { path: 'x', partition_filter: [{ column: 'dt', op: '~', value: '1' }] },
      pointer: '/partition_filter/0/op',
    },
    { name: 'an unknown key', config: { path: 'x', bucket: 'b' }, pointer: '/bucket' },
  ],
  failingChecks: [
    { name: 'the directory is missing', config: () => ({ path: join(freshPath(), 'no', 'such') }) },
    {
      name: 'the path is a regular file',
      config: () => {
        const file = join(freshPath(), 'not-a-directory');
        writeFileSync(file, 'x');
        return { path: file };
      },
    },
  ],
  readme: new URL('../README.md', import.meta.url),
});

describeRoundTrip(destination, source, {
  destinationConfig: () => ({ ...fixture, path: freshPath() }),
  sourceConfig: (config) => ({ path: (config as { path: string }).path }),
  // The Pontoon layout writes <stream>/dt=<date>/...: the source reads dt back as a date column.
  addedFields: [field('dt', t.date)],
  exempt: {
    'round-trip jsonl':
      'JSON Lines carries no types: the source infers them from values, so int32, decimal and binary columns come back as int64, float64 and string',
  },
});
