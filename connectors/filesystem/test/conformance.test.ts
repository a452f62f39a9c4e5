import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfiguredStream } from '@ferry/core';
import { describeDestination, queryDuckDB, sqlString } from '@ferry/testkit';
import { destination } from '../src/index.js';

// The fixture is a config as a user writes it; each case gets its own directory.
const fixture = JSON.parse(
  readFileSync(new URL('fixtures/destination.json', import.meta.url), 'utf8'),
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
