import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  RecordError,
  TransientError,
  type DestinationMessage,
  type DataMessage,
} from '@ferry/core';
import { describe, expect, it } from 'vitest';
import type { Config } from './config.js';
import { destination } from './destination.js';
import { batch, collect, context, from, people, run, stream, tempConfig } from './test-support.js';

/** The ids in `<stream>.jsonl`, read as plain JSON. */
function ids(config: Config, name = 'people'): string[] {
  const text = readFileSync(join(config.path, `${name}.jsonl`), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { id: string }).id);
}

function write(config: Config, messages: DataMessage[], overrides = {}) {
  const request = { streams: [stream(overrides)], run: run(), messages: from(messages) };
  return destination.write(context(), config, request);
}

describe('destination', () => {
  it('appends rows and acknowledges a checkpoint once its rows are on disk', async () => {
    const config = tempConfig();
    const seen: string[][] = [];
    const messages = [...batch(people(1, 2), { line: 2 }), ...batch(people(3, 3), { line: 3 })];
    for await (const ack of write(config, messages)) if (ack.type === 'ack') seen.push(ids(config));
    expect(seen).toEqual([
      ['1', '2'],
      ['1', '2', '3'],
      ['1', '2', '3'],
    ]);
    await collect(write(config, batch(people(4, 4), { line: 4 })));
    expect(ids(config)).toEqual(['1', '2', '3', '4']);
    const schema: unknown = JSON.parse(
      readFileSync(join(config.path, 'people.schema.json'), 'utf8'),
    );
    expect(schema).toMatchObject({ primaryKey: ['id'], cursorField: 'id' });
  });

  it('replaces a snapshot only at the end, and acknowledges then', async () => {
    const config = tempConfig();
    const replace = { syncMode: 'full_refresh', writeMode: 'replace' } as const;
    await collect(write(config, batch(people(1, 3), { complete: true }), replace));
    const during: string[][] = [];
    async function* messages(): AsyncIterable<DataMessage> {
      yield* from(batch(people(7, 8), { complete: true }));
      during.push(ids(config));
    }
    const request = { streams: [stream(replace)], run: run(), messages: messages() };
    const acks = await collect(destination.write(context(), config, request));
    expect(during).toEqual([['1', '2', '3']]);
    expect(ids(config)).toEqual(['7', '8']);
    const bytes = statSync(join(config.path, 'people.jsonl')).size;
    const state = { complete: true };
    expect(acks).toEqual([{ type: 'ack', stream: 'people', state, commit: { bytes } }]);
    expect(readdirSync(config.path).sort()).toEqual(['people.jsonl', 'people.schema.json']);
  });

  it('cuts the file back to its last ack when the run is aborted', async () => {
    const config = tempConfig();
    const controller = new AbortController();
    const reason = new TransientError('cancelled');
    async function* messages(): AsyncIterable<DataMessage> {
      yield* batch(people(1, 2), { line: 2 });
      yield { type: 'batch', stream: 'people', rows: people(3, 4) };
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort(reason);
      yield { type: 'batch', stream: 'people', rows: people(5, 6) };
    }
    const request = { streams: [stream()], run: run(), messages: messages() };
    const output = destination.write(context(controller), config, request);
    await expect(collect(output)).rejects.toBe(reason);
    expect(ids(config)).toEqual(['1', '2']);
  });

  it('refuses a row that does not fit, before writing any row of its batch', async () => {
    const config = tempConfig();
    const bad = [...people(3, 4), { id: 'five', name: 'x' }];
    const messages = [...batch(people(1, 2), { line: 2 }), ...batch(bad, { line: 5 })];
    const error: unknown = await collect(write(config, messages)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordError);
    expect((error as RecordError).position).toMatchObject({
      stream: 'people',
      row: 2,
      field: 'id',
    });
    expect(ids(config)).toEqual(['1', '2']);
  });

  it('removes what a crashed run wrote after its last saved ack', async () => {
    const config = tempConfig();
    const crashed = run('crashed');
    const messages = [...batch(people(1, 2), { line: 2 }), ...batch(people(3, 4), { line: 4 })];
    const request = { streams: [stream()], run: crashed, messages: from(messages) };
    const output = destination.write(context(), config, request)[Symbol.asyncIterator]();
    const first = (await output.next()) as IteratorYieldResult<DestinationMessage>;
    await output.next(); // wrote rows 3 and 4 and acked them, but that ack was never saved
    // The process dies here: no return(), no clean-up. The runner saved only the first commit.
    const commit = first.value.type === 'ack' ? first.value.commit : undefined;
    const recovery = [{ run: crashed, commits: { people: commit } }];
    const next = {
      streams: [stream()],
      run: run(),
      recovery,
      messages: from(batch(people(3, 3), { line: 3 })),
    };
    await collect(destination.write(context(), config, next));
    expect(ids(config)).toEqual(['1', '2', '3']);
  });

  it('removes the rows of a run that crashed before its first ack was saved', async () => {
    const config = tempConfig();
    await collect(write(config, batch(people(1, 1), { line: 1 })));
    const crashed = run('early');
    const request = {
      streams: [stream()],
      run: crashed,
      messages: from(batch(people(2, 3), { line: 3 })),
    };
    await destination.write(context(), config, request)[Symbol.asyncIterator]().next();
    expect(ids(config)).toEqual(['1', '2', '3']);
    const recovery = [{ run: crashed, commits: {} }];
    await collect(
      destination.write(context(), config, {
        ...request,
        run: run(),
        recovery,
        messages: from([]),
      }),
    );
    expect(ids(config)).toEqual(['1']);
  });

  it('checks that the directory can be written', async () => {
    const config = tempConfig();
    await expect(
      destination.check(context(), { ...config, path: join(config.path, 'new') }),
    ).resolves.toMatchObject({ ok: true });
    writeFileSync(join(config.path, 'file'), 'x');
    const result = await destination.check(context(), {
      ...config,
      path: join(config.path, 'file'),
    });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('file') as unknown });
  });
});
