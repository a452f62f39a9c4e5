import { utimes } from 'node:fs/promises';
import type { LogFields, Logger, Row } from '@ferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempLake } from '../test-support.js';
import { EXTRA_COLUMN_WARNINGS } from './open-file.js';
import { SchemaDir } from './test-schema.js';
import { configured, lakeSource, sourceConfig } from './test-source.js';

let dir: SchemaDir;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  const temp = await tempLake();
  cleanup = temp.cleanup;
  dir = new SchemaDir(temp.path);
});
afterAll(() => cleanup());

const EXTRA =
  'file has columns the catalog does not; they are not imported (discover reads the columns of at most 100 files of a table)';

interface Logged {
  readonly level: string;
  readonly message: string;
  readonly fields: LogFields;
}

/** A logger that keeps every line with its level and fields. */
function recordingLogger(lines: Logged[], bound: LogFields = {}): Logger {
  const at =
    (level: string) =>
    (message: string, fields: LogFields = {}): void => {
      lines.push({ level, message, fields: { ...bound, ...fields } });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => recordingLogger(lines, { ...bound, ...fields }),
  };
}

/** Writes `files` (relative path, text) in order, each a second newer than the one before. */
async function putInOrder(files: readonly (readonly [string, string])[]): Promise<void> {
  for (const [k, [relative, text]] of files.entries()) {
    await dir.put(relative, text);
    const time = new Date(Date.now() - 100_000 + k * 1000);
    await utimes(dir.at(relative), time, time);
  }
}

/** Reads table `name` with the catalog discovered before `addFiles`; its rows and its log lines about extra columns. */
async function readAfter(
  name: string,
  addFiles: () => Promise<void>,
): Promise<{ rows: Row[]; logged: Logged[] }> {
  const stream = configured(await dir.streamOf(name));
  await addFiles();
  const lines: Logged[] = [];
  const ctx = { logger: recordingLogger(lines), signal: new AbortController().signal };
  const rows: Row[] = [];
  const request = { streams: [stream], state: {} };
  for await (const m of lakeSource.read(ctx, sourceConfig({ path: dir.path }), request)) {
    if (m.type === 'batch') rows.push(...m.rows);
  }
  return { rows, logged: lines.filter((l) => l.message === EXTRA) };
}

describe('columns of a file that the catalog does not have', () => {
  it('are logged at warn once per set per stream, then at debug; path partitions are not', async () => {
    // `dt` is in the path and in a.csv and b.csv: read from the path, on purpose.
    await putInOrder([['t/dt=2025-01-01/a.csv', 'id,dt\n1,2025-01-01\n']]);
    const { rows, logged } = await readAfter('t', async () => {
      await putInOrder([
        ['t/dt=2025-01-01/a.csv', 'id,dt\n1,2025-01-01\n'],
        ['t/dt=2025-01-02/b.csv', 'id,x,dt,y\n2,a,2025-01-02,b\n'],
        ['t/dt=2025-01-03/c.csv', 'id,x,y\n3,c,d\n'],
        ['t/dt=2025-01-04/e.jsonl', '{"id": 5, "w": true}\n'], // JSON Lines: not reported
      ]);
      await dir.copy(
        "SELECT 4::BIGINT AS id, 'z' AS z",
        't/dt=2025-01-05/d.parquet',
        'FORMAT parquet',
      );
    });
    const key = (relative: string): string => dir.at(relative);
    expect(logged).toEqual([
      {
        level: 'warn',
        message: EXTRA,
        fields: { stream: 't', key: key('t/dt=2025-01-02/b.csv'), columns: 'x, y' },
      },
      {
        level: 'debug',
        message: EXTRA,
        fields: { stream: 't', key: key('t/dt=2025-01-03/c.csv'), columns: 'x, y' },
      },
      {
        level: 'warn',
        message: EXTRA,
        fields: { stream: 't', key: key('t/dt=2025-01-05/d.parquet'), columns: 'z' },
      },
    ]);
    expect(rows).toEqual([
      { id: 1n, dt: '2025-01-01' },
      { id: 2n, dt: '2025-01-02' },
      { id: 3n, dt: '2025-01-03' },
      { id: 5n, dt: '2025-01-04' },
      { id: 4n, dt: '2025-01-05' },
    ]);
  });

  it(`warns of at most ${EXTRA_COLUMN_WARNINGS} sets per stream and read, so many files do not flood the log`, async () => {
    await putInOrder([['many/base.csv', 'id\n0\n']]);
    const files = Array.from(
      { length: EXTRA_COLUMN_WARNINGS + 2 },
      (_, k) => [`many/f${String(k).padStart(2, '0')}.csv`, `id,c${k}\n${k + 1},v\n`] as const,
    );
    const { rows, logged } = await readAfter('many', () =>
      putInOrder([['many/base.csv', 'id\n0\n'], ...files]),
    );
    expect(rows).toHaveLength(EXTRA_COLUMN_WARNINGS + 3);
    expect(logged.map((l) => `${l.level} ${String(l.fields.columns)}`)).toEqual([
      ...Array.from({ length: EXTRA_COLUMN_WARNINGS }, (_, k) => `warn c${k}`),
      `debug c${EXTRA_COLUMN_WARNINGS}`,
      `debug c${EXTRA_COLUMN_WARNINGS + 1}`,
    ]);
  });
});
