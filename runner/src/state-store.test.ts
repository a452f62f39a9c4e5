import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AuthError, ConfigError, ConnectionError, InternalError } from '@ferry/core';
import { asUnprivileged } from '@ferry/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyState, FileStateStore, type RunJournal, type TransferState } from './state-store.js';

let dir: string;
let stateDir: string;
let file: string;
let store: FileStateStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-state-'));
  stateDir = join(dir, 'state');
  file = join(stateDir, 't.json');
  store = new FileStateStore(stateDir);
});
afterEach(async () => {
  await chmod(dir, 0o700);
  await rm(dir, { recursive: true, force: true });
});

const journal: RunJournal = {
  run_id: 'V1StGXR8_Z5jdHi6B-myT',
  batch_id: '0k3q9z7x2m1c4b8a',
  started_at: '2024-05-01T12:00:00.000Z',
  worker_id: '0',
  streams: ['pageview_events'],
  commits: { pageview_events: { files: ['a.parquet'] } },
};

const state: TransferState = {
  version: 1,
  transfer: 't',
  streams: {
    pageview_events: { state: { cursor: '2024-05-01' }, updated_at: '2024-05-01T12:00:01.000Z' },
    reset: { state: null, updated_at: '2024-05-01T12:00:02.000+02:00' },
  },
  unfinished: [journal],
};

const advice =
  'The file records how far transfer "t" got: repair it, or restore it from a backup. ' +
  'Deleting it makes the next run start over and re-export everything (duplicates in an ' +
  'append-only destination).';

async function loadError(content: unknown): Promise<ConfigError> {
  await mkdir(stateDir, { recursive: true });
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  const error = await store.load('t').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).file).toBe(file);
  return error as ConfigError;
}

describe('FileStateStore', () => {
  it('loads what it saved, leaving only the state file', async () => {
    await store.save(state);
    expect(await store.load('t')).toEqual(state);
    expect(await readFile(file, 'utf8')).toBe(JSON.stringify(state, null, 2) + '\n');
    expect(await readdir(stateDir)).toEqual(['t.json']);
  });

  it('loads an empty state for a transfer never run', async () => {
    expect(await store.load('t')).toEqual(emptyState('t'));
  });

  const valid = { version: 1, transfer: 't', streams: {}, unfinished: [] };
  const cases: [string, unknown, [string, string][]][] = [
    [
      'a null stream entry and missing keys',
      { streams: { pageview_events: null } },
      [
        ['/version', 'is required'],
        ['/transfer', 'is required'],
        ['/unfinished', 'is required'],
        ['/streams/pageview_events', 'must be object'],
      ],
    ],
    [
      'a stream entry without state',
      { ...valid, streams: { pageview_events: { updated_at: '2024-05-01T12:00:00.000Z' } } },
      [['/streams/pageview_events/state', 'is required']],
    ],
    [
      'a journal missing fields',
      { ...valid, unfinished: [{ run_id: 'x' }] },
      ['batch_id', 'started_at', 'worker_id', 'streams', 'commits'].map((key) => [
        `/unfinished/0/${key}`,
        'is required',
      ]),
    ],
    [
      'a start time that is no date',
      { ...valid, unfinished: [{ ...journal, started_at: 'yesterday' }] },
      [
        [
          '/unfinished/0/started_at',
          'must be an ISO 8601 date-time such as "2024-05-01T12:00:00.000Z"',
        ],
      ],
    ],
    [
      'a day that does not exist and a bad batch id',
      {
        ...valid,
        unfinished: [{ ...journal, started_at: '2024-02-30T00:00:00Z', batch_id: 'B-1' }],
      },
      [
        ['/unfinished/0/batch_id', 'must be lowercase letters and digits'],
        [
          '/unfinished/0/started_at',
          'must be an ISO 8601 date-time such as "2024-05-01T12:00:00.000Z"',
        ],
      ],
    ],
    [
      'streams of a journal that are not strings, and an unknown key',
      { ...valid, unfinished: [{ ...journal, streams: [1] }], extra: true },
      [
        ['/extra', 'unknown key'],
        ['/unfinished/0/streams/0', 'must be string'],
      ],
    ],
    [
      "another transfer's state",
      { ...valid, transfer: 'other' },
      [['/transfer', 'is "other", but this file should hold the state of transfer "t"']],
    ],
    [
      'a newer version',
      { ...valid, version: 2 },
      [
        [
          '/version',
          'must be 1, the only state version this ferry reads (was the file written by a newer ferry?)',
        ],
      ],
    ],
    ['an array', [], [['', 'the file must hold a JSON object']]],
    ['an empty file', '', [['', 'the file is empty']]],
  ];

  it.each(cases)('refuses %s, naming the file and the pointers', async (_, content, expected) => {
    const error = await loadError(content);
    expect(error.issues).toEqual(expected.map(([pointer, message]) => ({ pointer, message })));
    const lines = expected.map(([pointer, message]) =>
      pointer === '' ? message : `${pointer}: ${message}`,
    );
    const list = lines.length === 1 ? ` ${lines[0]!}` : `\n  ${lines.join('\n  ')}`;
    expect(error.message).toBe(`invalid state file ${file}:${list}\n${advice}`);
  });

  it('refuses a file that is not JSON, keeping the parser error', async () => {
    const error = await loadError('{"version":');
    expect(error.issues).toHaveLength(1);
    expect(error.message).toMatch(/^invalid state file .*: the file is not valid JSON \(.+\)\n/);
    expect(error.message.endsWith(advice)).toBe(true);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('does not save a state it could not load back', async () => {
    await store.save(state);
    const bad = { ...state, unfinished: [{ ...journal, batch_id: 'Not-A-Batch' }] };
    const error = await store.save(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalError);
    expect((error as Error).message).toBe(
      `saving state ${file}: the state to save is invalid (/unfinished/0/batch_id: must be ` +
        'lowercase letters and digits); the file was left as it was',
    );
    expect(await store.load('t')).toEqual(state);
  });
});

describe('FileStateStore file system errors', () => {
  it('names the file and says a file is in the way of the state directory', async () => {
    await writeFile(join(dir, 'afile'), '');
    const under = new FileStateStore(join(dir, 'afile', 'state'));
    const at = join(dir, 'afile', 'state', 't.json');
    const loading = await under.load('t').catch((e: unknown) => e);
    expect(loading).toBeInstanceOf(ConnectionError);
    expect((loading as Error).message).toBe(
      `reading state ${at}: a file is in the way of a directory (ENOTDIR, open)`,
    );
    expect((loading as Error).cause).toMatchObject({ code: 'ENOTDIR' });
    const saving = await under.save(state).catch((e: unknown) => e);
    expect(saving).toBeInstanceOf(ConnectionError);
    expect((saving as Error).message).toBe(
      `saving state ${at}: a file is in the way of a directory (ENOTDIR, mkdir ${join(dir, 'afile', 'state')})`,
    );
  });

  it('names the file and says a directory is in the way of the state file', async () => {
    await mkdir(file, { recursive: true });
    const loading = await store.load('t').catch((e: unknown) => e);
    expect(loading).toBeInstanceOf(ConnectionError);
    expect((loading as Error).message).toBe(
      `reading state ${file}: a directory is in the way of a file (EISDIR, read)`,
    );
    const saving = await store.save(state).catch((e: unknown) => e);
    expect(saving).toBeInstanceOf(ConnectionError);
    expect((saving as Error).message).toMatch(
      new RegExp(
        `^saving state ${file}: a directory is in the way of a file \\(EISDIR, rename ${file}\\.[0-9a-f]{12}\\.tmp\\)$`,
      ),
    );
    expect(await readdir(stateDir)).toEqual(['t.json']);
  });

  it('reports a read-only state directory as an AuthError', async () => {
    await mkdir(stateDir);
    await chmod(stateDir, 0o500);
    const error = await asUnprivileged([dir, stateDir], async () => {
      // Writable next to it: what fails below is the read-only directory, not the path to it.
      await writeFile(join(dir, 'probe'), 'x');
      return store.save(state).catch((e: unknown) => e);
    });
    await chmod(stateDir, 0o700);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(
      new RegExp(`^saving state ${file}: permission denied \\(EACCES, open `),
    );
  });
});

/** Reads the state file in a loop until it says `done`, counting reads that are not valid JSON. */
const READER = `
const { readFileSync } = require('node:fs');
let reads = 0, torn = 0;
process.stdout.write('ready\\n');
for (;;) {
  const text = readFileSync(process.argv[1], 'utf8');
  reads++;
  try {
    if (JSON.parse(text).streams.s.state.done) break;
  } catch {
    torn++;
  }
}
process.stdout.write(JSON.stringify({ reads, torn }) + '\\n');
`;

describe('FileStateStore.save', () => {
  it('never lets a concurrent reader see a partial file', async () => {
    const at = (n: number, done = false): TransferState => ({
      ...emptyState('t'),
      streams: {
        s: {
          state: { n, done, pad: 'x'.repeat((n * 7919) % 20_000) },
          updated_at: journal.started_at,
        },
      },
    });
    await store.save(at(0));
    const reader = spawn(process.execPath, ['-e', READER, file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: reader.stdout })[Symbol.asyncIterator]();
    expect((await lines.next()).value).toBe('ready');
    for (let n = 1; n <= 200; n++) await store.save(at(n));
    await store.save(at(201, true));
    const result = JSON.parse(String((await lines.next()).value)) as {
      reads: number;
      torn: number;
    };
    expect(result.torn).toBe(0);
    expect(result.reads).toBeGreaterThan(0);
    expect(await readdir(stateDir)).toEqual(['t.json']);
  });
});
