import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { field, t, type ConfiguredStream, type Row } from '@ferry/core';
import { describeDestination, describeRoundTrip, describeSource } from '@ferry/testkit';
import { afterAll } from 'vitest';
import { destination, source } from '../src/index.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** The fixture configs are what a user writes in a transfer; each test gets its own directory. */
function fixture(role: 'source' | 'destination'): { path: string; batch_rows: number } {
  const url = new URL(`fixtures/${role}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as { path: string; batch_rows: number };
}

/** A fresh, empty directory per call, so tests do not see each other's files. */
function emptyDirectory(): { path: string; batch_rows: number } {
  const path = mkdtempSync(join(tmpdir(), 'ferry-jsonl-conformance-'));
  made.push(path);
  return { ...fixture('destination'), path };
}

/**
 * A directory written by hand, as another tool would: `events` (incremental on `at`, 45 rows, so
 * several checkpoints) and `teams` (a snapshot).
 */
function filledDirectory(): { path: string; batch_rows: number } {
  const config = emptyDirectory();
  const fields = [field('id', t.int64, { nullable: false }), field('at', t.timestamp)];
  const events = { fields, primaryKey: ['id'], cursorField: 'at' };
  writeFileSync(join(config.path, 'events.schema.json'), JSON.stringify(events));
  const lines = Array.from({ length: 45 }, (_, i) => {
    const at = `2025-01-01T00:00:${String(i).padStart(2, '0')}.000001Z`;
    return JSON.stringify({ id: String(2n ** 60n + BigInt(i)), at }) + '\n';
  });
  writeFileSync(join(config.path, 'events.jsonl'), lines.join(''));
  const teams = { fields: [field('name', t.string)] };
  writeFileSync(join(config.path, 'teams.schema.json'), JSON.stringify(teams));
  writeFileSync(join(config.path, 'teams.jsonl'), '{"name":"red"}\n{"name":null}\n');
  return config;
}

/** A regular file where the directory should be. */
function fileInTheWay(): { path: string } {
  const path = join(emptyDirectory().path, 'not-a-directory');
  writeFileSync(path, 'x');
  return { path };
}

/** The rows of a stream as a plain reader sees them: `JSON.parse`, one line at a time. */
function readBack(config: unknown, stream: ConfiguredStream): Promise<readonly Row[]> {
  const file = join((config as { path: string }).path, `${stream.name}.jsonl`);
  if (!existsSync(file)) return Promise.resolve([]);
  const lines = readFileSync(file, 'utf8').split('\n');
  return Promise.resolve(
    lines.filter((line) => line !== '').map((line) => JSON.parse(line) as Row),
  );
}

const invalidConfigs = [
  { name: 'no path', config: { batch_rows: 10 }, pointer: '/path' },
  { name: 'batch_rows is 0', config: { path: 'out', batch_rows: 0 }, pointer: '/batch_rows' },
  { name: 'an unknown key', config: { path: 'out', colour: 'red' }, pointer: '/colour' },
];
const readme = new URL('../README.md', import.meta.url);

describeSource(source, {
  config: filledDirectory,
  invalidConfigs,
  failingChecks: [
    { name: 'the path is a file', config: fileInTheWay },
    { name: 'the directory is missing', config: () => ({ path: join(tmpdir(), 'ferry-no/such') }) },
  ],
  readme,
});

describeDestination(destination, {
  config: emptyDirectory,
  invalidConfigs,
  failingChecks: [{ name: 'the path is a file', config: fileInTheWay }],
  read: readBack,
  readme,
});

describeRoundTrip(destination, source, {
  destinationConfig: emptyDirectory,
  sourceConfig: (config) => config,
});
