import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigError,
  RecordError,
  TransientError,
  type ConfiguredStream,
  type Row,
  type SourceMessage,
} from '@ferry/core';
import { describe, expect, it } from 'vitest';
import type { Config } from './config.js';
import { source } from './source.js';
import { collect, context, stream, tempConfig } from './test-support.js';

/** Writes `people` (incremental, 5 rows) and `teams` (snapshot) by hand, as another tool would. */
function fixture(batchRows: number): Config {
  const config = tempConfig(batchRows);
  const people = stream();
  const schema = { fields: people.fields, primaryKey: ['id'], cursorField: 'id' };
  writeFileSync(join(config.path, 'people.schema.json'), JSON.stringify(schema));
  const lines = [1, 2, 3, 4, 5].map((id) => JSON.stringify({ id: String(id), name: `p${id}` }));
  writeFileSync(join(config.path, 'people.jsonl'), lines.join('\n') + '\n');
  writeFileSync(join(config.path, 'teams.schema.json'), JSON.stringify({ fields: [] }));
  writeFileSync(join(config.path, 'teams.jsonl'), '{}\n');
  return config;
}

function read(config: Config, state?: unknown, only: ConfiguredStream = stream()) {
  const request = { streams: [only], state: state === undefined ? {} : { people: state as never } };
  return source.read(context(), config, request);
}

function summary(messages: SourceMessage[]): unknown[] {
  return messages.map((m) =>
    m.type === 'batch' ? m.rows.map((r: Row) => r.id) : m.type === 'checkpoint' ? m.state : m,
  );
}

describe('source', () => {
  it('discovers one stream per schema file, incremental when it has a cursor', async () => {
    const catalog = await source.discover(context(), fixture(2));
    expect(catalog.streams.map((s) => [s.name, s.defaultSyncMode, s.defaultWriteMode])).toEqual([
      ['people', 'incremental', 'append'],
      ['teams', 'full_refresh', 'replace'],
    ]);
    expect(catalog.streams[0]).toMatchObject({ primaryKey: ['id'], cursorField: 'id' });
  });

  it('reads an incremental stream in batches, with a line checkpoint after each', async () => {
    const messages = await collect(read(fixture(2)));
    expect(summary(messages)).toEqual([
      [1n, 2n],
      { line: 2 },
      [3n, 4n],
      { line: 4 },
      [5n],
      { line: 5 },
    ]);
  });

  it('resumes after the saved line, losing and repeating nothing', async () => {
    const config = fixture(2);
    expect(summary(await collect(read(config, { line: 4 })))).toEqual([[5n], { line: 5 }]);
    expect(summary(await collect(read(config, { line: 5 })))).toEqual([{ line: 5 }]);
  });

  it('reads a full refresh whole and ends with one checkpoint', async () => {
    const full = stream({ syncMode: 'full_refresh', writeMode: 'replace' });
    const messages = await collect(read(fixture(3), { line: 4 }, full));
    expect(summary(messages)).toEqual([[1n, 2n, 3n], [4n, 5n], { complete: true }]);
  });

  it('refuses an unknown stream, a damaged state and a malformed line', async () => {
    const config = fixture(10);
    await expect(collect(read(config, undefined, stream({ name: 'nope' })))).rejects.toThrow(
      ConfigError,
    );
    await expect(collect(read(config, { cursor: 'x' }))).rejects.toThrow(RecordError);
    writeFileSync(join(config.path, 'people.jsonl'), '{"id":"1"}\n{"id":\n');
    const error: unknown = await collect(read(config)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordError);
    expect((error as RecordError).position).toMatchObject({ stream: 'people', line: 2 });
  });

  it('stops between batches when aborted, with the reason', async () => {
    const controller = new AbortController();
    const reason = new TransientError('cancelled');
    const request = { streams: [stream()], state: {} };
    const seen: SourceMessage[] = [];
    const reading = (async () => {
      for await (const message of source.read(context(controller), fixture(1), request)) {
        seen.push(message);
        controller.abort(reason);
      }
    })();
    await expect(reading).rejects.toBe(reason);
    expect(summary(seen)).toEqual([[1n], { line: 1 }]);
  });

  it('checks that the directory can be read', async () => {
    const config = tempConfig();
    await expect(source.check(context(), config)).resolves.toMatchObject({ ok: true });
    const missing = { ...config, path: join(config.path, 'missing') };
    await expect(source.check(context(), missing)).resolves.toMatchObject({ ok: false });
  });
});
