import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ConnectionError,
  field,
  RecordError,
  t,
  TransientError,
  type AckMessage,
  type Logger,
  type DestinationMessage,
  type DataMessage,
} from '@ferry/core';
import { queryDuckDB, sqlString } from '@ferry/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Manifest } from './manifest.js';
import {
  context,
  drain,
  eventsStream,
  filesUnder,
  from,
  lake,
  options,
  rows,
  runInfo,
  tempLake,
  batch,
  checkpoint,
} from './test-support.js';

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => (dir = await tempLake()));
afterEach(() => dir.cleanup());

async function readIds(glob = 'events/*/*.parquet'): Promise<bigint[]> {
  const result = await queryDuckDB(
    `select id from read_parquet(${sqlString(join(dir.path, glob))}) order by id`,
  );
  return result.map((r) => r.id as bigint);
}

const range = (from: number, to: number): bigint[] =>
  Array.from({ length: to - from }, (_, i) => BigInt(from + i));

describe('lake destination', () => {
  it('writes a Pontoon-layout file that DuckDB reads back exactly, with a manifest', async () => {
    const config = options({ path: dir.path });
    const run = runInfo('batch1');
    const request = { streams: [eventsStream()], run };
    const out = await drain(
      lake.write(context(), config, {
        ...request,
        messages: from([batch(0, 300), checkpoint(299), batch(300, 200)]),
      }),
    );
    const key = 'events/dt=2025-06-01/20250601120000_batch1_0.parquet';
    expect(out.map((m) => m.type)).toEqual(['file', 'ack']);
    expect(out[0]).toMatchObject({ type: 'file', stream: 'events', key, rows: 500 });
    expect(out[1]).toEqual({
      type: 'ack',
      stream: 'events',
      state: { cursor: 299 },
      commit: { files: 1 },
    });
    expect(await filesUnder(dir.path)).toEqual([
      '_ferry/manifests/events/20250601120000_batch1.json',
      key,
    ]);
    const back = await queryDuckDB(
      `select id, time, label from read_parquet(${sqlString(join(dir.path, key))}) order by id`,
    );
    expect(back).toEqual(rows(0, 500));
    const manifest = JSON.parse(
      await readFile(join(dir.path, '_ferry/manifests/events/20250601120000_batch1.json'), 'utf8'),
    ) as Manifest;
    expect(manifest).toMatchObject({
      stream: 'events',
      batch_id: 'batch1',
      status: 'complete',
      rows: 500,
      state: { cursor: 299 },
      schema: 'id:int64;time:timestamp?;label:string?',
    });
    expect(manifest.files).toEqual([
      { key, rows: 500, bytes: (out[0] as { bytes: number }).bytes },
    ]);
  });

  it('embeds a state in the manifest only up to 64 KiB, else its size', async () => {
    const config = options({ path: dir.path });
    const files = Object.fromEntries(
      Array.from({ length: 2000 }, (_, i) => [`t/dt=2025-01-01/f${i}.parquet`, `"etag-${i}"`]),
    );
    const big = { files };
    const out = await drain(
      lake.write(context(), config, {
        streams: [eventsStream()],
        run: runInfo('big'),
        messages: from([batch(0, 10), { type: 'checkpoint', stream: 'events', state: big }]),
      }),
    );
    expect(out.at(-1)).toMatchObject({ type: 'ack', state: big });
    const manifest = JSON.parse(
      await readFile(join(dir.path, '_ferry/manifests/events/20250601120000_big.json'), 'utf8'),
    ) as Manifest;
    expect(manifest.state).toBeUndefined();
    expect(manifest.state_bytes).toBe(Buffer.byteLength(JSON.stringify(big)));
    expect(manifest.state_bytes).toBeGreaterThan(64 * 1024);
  });

  it('rotates files at max_rows_per_file, splitting batches exactly', async () => {
    const config = options({ path: dir.path, max_rows_per_file: 1000 });
    const request = { streams: [eventsStream()], run: runInfo('rot') };
    const out = await drain(
      lake.write(context(), config, {
        ...request,
        messages: from([batch(0, 700), batch(700, 1800)]),
      }),
    );
    const files = out.filter((m) => m.type === 'file');
    expect(files.map((f) => [f.key.split('/').pop(), f.rows])).toEqual([
      ['20250601120000_rot_0.parquet', 1000],
      ['20250601120000_rot_1.parquet', 1000],
      ['20250601120000_rot_2.parquet', 500],
    ]);
    expect(await readIds()).toEqual(range(0, 2500));
  });

  it('rotates files at about max_bytes_per_file', async () => {
    const config = options({ path: dir.path, max_bytes_per_file: 4096, format: 'jsonl' });
    const request = { streams: [eventsStream()], run: runInfo('bytes') };
    const batches = Array.from({ length: 20 }, (_, i) => batch(i * 100, 100));
    const files = (
      await drain(lake.write(context(), config, { ...request, messages: from(batches) }))
    ).filter((m) => m.type === 'file');
    expect(files.length).toBeGreaterThan(1);
    expect(files.every((f) => f.key.endsWith('.jsonl.gz'))).toBe(true);
    expect(files.reduce((sum, f) => sum + f.rows, 0)).toBe(2000);
  });

  it('acks a checkpoint only once every row before it is readable (flush_interval_s 0)', async () => {
    const config = options({ path: dir.path, flush_interval_s: 0 });
    const request = { streams: [eventsStream()], run: runInfo('acks') };
    const input = [
      batch(0, 100),
      checkpoint(99),
      batch(100, 50),
      batch(150, 50),
      checkpoint(199),
      batch(200, 10),
    ];
    const seenAtAck: bigint[][] = [];
    for await (const message of lake.write(context(), config, {
      ...request,
      messages: from(input),
    })) {
      if (message.type === 'ack') seenAtAck.push(await readIds());
    }
    expect(seenAtAck).toEqual([range(0, 100), range(0, 200), range(0, 210)]);
  });

  it('holds acks until the flush interval has passed, then commits everything at the end', async () => {
    const config = options({ path: dir.path, flush_interval_s: 3600 });
    const request = { streams: [eventsStream()], run: runInfo('held') };
    const out = await drain(
      lake.write(context(), config, {
        ...request,
        messages: from([batch(0, 10), checkpoint(9), batch(10, 10), checkpoint(19)]),
      }),
    );
    expect(out.map((m) => m.type)).toEqual(['file', 'ack']);
    expect((out[1] as AckMessage).state).toEqual({ cursor: 19 });
  });

  it('replace: the new snapshot lands before the old one goes; foreign files stay', async () => {
    const config = options({ path: dir.path });
    const first = {
      streams: [eventsStream('replace')],
      run: runInfo('old', new Date('2025-06-01T00:00:00Z')),
    };
    await drain(lake.write(context(), config, { ...first, messages: from([batch(0, 30)]) }));
    await writeFile(join(dir.path, 'events', 'README.txt'), 'not ours');
    const second = {
      streams: [eventsStream('replace')],
      run: runInfo('new', new Date('2025-06-02T00:00:00Z')),
    };
    await drain(lake.write(context(), config, { ...second, messages: from([batch(100, 5)]) }));
    expect(await readIds('events/**/*.parquet')).toEqual(range(100, 105));
    const files = await filesUnder(dir.path);
    expect(files.filter((f) => f.startsWith('events/'))).toEqual([
      'events/README.txt',
      'events/dt=2025-06-02/20250602000000_new_0.parquet',
    ]);
  });

  it('replace: keeps the old snapshot until its final ack has been handed over', async () => {
    const config = options({ path: dir.path });
    const old = {
      streams: [eventsStream('replace')],
      run: runInfo('old', new Date('2025-06-01T00:00:00Z')),
    };
    await drain(lake.write(context(), config, { ...old, messages: from([batch(0, 30)]) }));
    const next = {
      streams: [eventsStream('replace')],
      run: runInfo('new', new Date('2025-06-02T00:00:00Z')),
    };
    const seenAtAck: bigint[][] = [];
    for await (const m of lake.write(context(), config, {
      ...next,
      messages: from([batch(100, 5)]),
    })) {
      if (m.type === 'ack') seenAtAck.push(await readIds('events/**/*.parquet'));
    }
    // At the ack both snapshots are there (a crash now loses nothing); after it, only the new one.
    expect(seenAtAck).toEqual([[...range(0, 30), ...range(100, 105)]]);
    expect(await readIds('events/**/*.parquet')).toEqual(range(100, 105));
  });

  it('replace with no rows leaves one empty file with the schema, not an unreadable table', async () => {
    const config = options({ path: dir.path });
    const old = {
      streams: [eventsStream('replace')],
      run: runInfo('old', new Date('2025-06-01T00:00:00Z')),
    };
    await drain(lake.write(context(), config, { ...old, messages: from([batch(0, 30)]) }));
    const empty = {
      streams: [eventsStream('replace')],
      run: runInfo('empty', new Date('2025-06-02T00:00:00Z')),
    };
    const out = await drain(lake.write(context(), config, { ...empty, messages: from([]) }));
    expect(out).toEqual([
      {
        type: 'file',
        stream: 'events',
        key: 'events/dt=2025-06-02/20250602000000_empty_0.parquet',
        location: join(dir.path, 'events/dt=2025-06-02/20250602000000_empty_0.parquet'),
        rows: 0,
        bytes: expect.any(Number) as unknown,
      },
      { type: 'ack', stream: 'events', commit: { files: 1 } },
    ]);
    expect(await readIds('events/**/*.parquet')).toEqual([]);
    const columns = await queryDuckDB(
      `describe select * from read_parquet(${sqlString(join(dir.path, 'events/**/*.parquet'))})`,
    );
    // `dt` comes from the Hive partition directory, which DuckDB reads as a column.
    expect(columns.map((c) => c.column_name)).toEqual(['id', 'time', 'label', 'dt']);
  });

  it('a corrupt manifest of a crashed run is named in the error', async () => {
    const config = options({ path: dir.path });
    const crashed = runInfo('crashed');
    await mkdir(join(dir.path, '_ferry/manifests/events'), { recursive: true });
    await writeFile(
      join(dir.path, '_ferry/manifests/events/20250601120000_crashed.json'),
      '{"format_ver',
    );
    const request = {
      streams: [eventsStream()],
      run: runInfo('next'),
      recovery: [{ run: crashed, commits: {} }],
    };
    const error = await drain(
      lake.write(context(), config, { ...request, messages: from([batch(0, 1)]) }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordError);
    expect((error as Error).message).toBe(
      `reading a manifest: not valid JSON (${join(dir.path, '_ferry/manifests/events/20250601120000_crashed.json')})`,
    );
  });

  it('a store failure surfaces as the store error, naming the file, with nothing left behind', async () => {
    const config = options({ path: dir.path });
    await writeFile(join(dir.path, 'events'), 'a file where the stream directory should be');
    const request = { streams: [eventsStream()], run: runInfo('blocked') };
    const error = await drain(
      lake.write(context(), config, { ...request, messages: from([batch(0, 10)]) }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain(
      join(dir.path, 'events/dt=2025-06-01/20250601120000_blocked_0.parquet'),
    );
    expect(await filesUnder(dir.path)).toEqual(['events']);
  });

  it('when cancelled, throws the abort reason itself', async () => {
    const config = options({ path: dir.path });
    const controller = new AbortController();
    const reason = new TransientError('interrupted by SIGINT');
    async function* slow(): AsyncIterable<DataMessage> {
      yield batch(0, 10);
      controller.abort(reason);
      await Promise.resolve();
      yield batch(10, 10);
    }
    const request = { streams: [eventsStream()], run: runInfo('cancel'), messages: slow() };
    const error = await drain(lake.write(context(controller.signal), config, request)).catch(
      (e: unknown) => e,
    );
    expect(error).toBe(reason);
    expect(await filesUnder(dir.path)).toEqual([]);
  });

  it('on a failing source, removes the files it had not committed and rethrows', async () => {
    const config = options({ path: dir.path, max_rows_per_file: 100, flush_interval_s: 0 });
    const request = { streams: [eventsStream()], run: runInfo('fail') };
    async function* failing(): AsyncIterable<DataMessage> {
      await Promise.resolve();
      yield batch(0, 100);
      yield checkpoint(99);
      yield batch(100, 250);
      throw new RecordError('bad upstream line', { position: { line: 7 } });
    }
    const seen: DestinationMessage[] = [];
    await expect(async () => {
      for await (const m of lake.write(context(), config, { ...request, messages: failing() }))
        seen.push(m);
    }).rejects.toThrow('bad upstream line (line 7)');
    expect(seen.filter((m) => m.type === 'ack')).toHaveLength(1);
    expect(await readIds()).toEqual(range(0, 100));
    const files = await filesUnder(dir.path);
    expect(files.filter((f) => !f.startsWith('_ferry'))).toEqual([
      'events/dt=2025-06-01/20250601120000_fail_0.parquet',
    ]);
  });

  it('names the stream, file, row and field of a bad value and leaves nothing half-written', async () => {
    const config = options({ path: dir.path });
    const request = { streams: [eventsStream()], run: runInfo('bad') };
    const bad: DataMessage = {
      type: 'batch',
      stream: 'events',
      rows: [...rows(0, 3), { id: 'x' }],
    };
    const error = await drain(
      lake.write(context(), config, { ...request, messages: from([bad]) }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordError);
    const message = (error as RecordError).message;
    expect(message).toContain('stream events');
    expect(message).toContain('20250601120000_bad_0.parquet');
    expect(message).toContain('row 3');
    expect(message).toContain('field id');
    expect(await filesUnder(dir.path)).toEqual([]);
  });

  it('stops on abort without leaving uncommitted files', async () => {
    const config = options({ path: dir.path, max_rows_per_file: 50 });
    const request = { streams: [eventsStream()], run: runInfo('abort') };
    const controller = new AbortController();
    async function* endless(): AsyncIterable<DataMessage> {
      for (let i = 0; ; i += 50) {
        await Promise.resolve();
        if (i === 500) controller.abort(new Error('stop now'));
        yield batch(i, 50);
      }
    }
    const error = await drain(
      lake.write(context(controller.signal), config, { ...request, messages: endless() }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).cause).toEqual(new Error('stop now'));
    expect(await filesUnder(dir.path)).toEqual([]);
  });

  it('recovers a crashed run: files past its last saved commit are removed', async () => {
    const config = options({ path: dir.path, max_rows_per_file: 100, flush_interval_s: 0 });
    const crashed = runInfo('crashed');
    async function* stalls(): AsyncIterable<DataMessage> {
      yield batch(0, 150);
      yield checkpoint(149);
      yield batch(150, 250);
      await new Promise(() => undefined); // the process "dies" here: nothing after runs
    }
    const request = { streams: [eventsStream()], run: crashed, messages: stalls() };
    const writer = lake.write(context(), config, request)[Symbol.asyncIterator]();
    let ack: AckMessage | undefined;
    while (ack === undefined) {
      const next = await writer.next();
      if (next.done === false && next.value.type === 'ack') ack = next.value;
    }
    expect(ack.commit).toEqual({ files: 2 });
    void writer.next(); // rotates rows 150..349 into files 2 and 3, then waits forever
    let visible: bigint[] = [];
    for (let tries = 0; tries < 200 && visible.length < 350; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      visible = await readIds();
    }
    expect(visible).toEqual(range(0, 350));

    const recovery = [{ run: crashed, commits: { events: ack.commit ?? null } }];
    const next = { streams: [eventsStream()], run: runInfo('next'), recovery };
    await drain(lake.write(context(), config, { ...next, messages: from([batch(150, 260)]) }));
    expect(await readIds()).toEqual(range(0, 410));
    const manifest = JSON.parse(
      await readFile(join(dir.path, '_ferry/manifests/events/20250601120000_crashed.json'), 'utf8'),
    ) as Manifest;
    expect(manifest.files.map((f) => f.rows)).toEqual([100, 50]);
    expect(manifest.status).toBe('rolled_back');
  });

  it('recovery finishes the replace of a crashed run that had committed its whole snapshot', async () => {
    const config = options({ path: dir.path });
    const replace = (batchId: string, day: number) => ({
      streams: [eventsStream('replace')],
      run: runInfo(batchId, new Date(Date.UTC(2025, 5, day))),
    });
    await drain(
      lake.write(context(), config, { ...replace('old', 1), messages: from([batch(0, 30)]) }),
    );
    const crashed = replace('crashed', 2);
    const writer = lake.write(context(), config, { ...crashed, messages: from([batch(100, 5)]) });
    const iterator = writer[Symbol.asyncIterator]();
    let ack: AckMessage | undefined;
    while (ack === undefined) {
      const next = await iterator.next();
      if (next.done === false && next.value.type === 'ack') ack = next.value;
    }
    // The ack was saved; the process dies before the old snapshot is removed: both are visible.
    expect(await readIds('events/**/*.parquet')).toEqual([...range(0, 30), ...range(100, 105)]);

    const recovery = [{ run: crashed.run, commits: { events: ack.commit ?? null } }];
    const seenAtAck: bigint[][] = [];
    const next = { ...replace('next', 3), recovery, messages: from([batch(200, 3)]) };
    for await (const m of lake.write(context(), config, next)) {
      if (m.type === 'ack') seenAtAck.push(await readIds('events/**/*.parquet'));
    }
    expect(seenAtAck).toEqual([[...range(100, 105), ...range(200, 203)]]);
    expect(await readIds('events/**/*.parquet')).toEqual(range(200, 203));
  });

  it('refuses a damaged commit token instead of deleting committed files', async () => {
    const config = options({ path: dir.path, flush_interval_s: 0 });
    const crashed = runInfo('crashed');
    await drain(
      lake.write(context(), config, {
        streams: [eventsStream()],
        run: crashed,
        messages: from([batch(0, 10), checkpoint(9)]),
      }),
    );
    const recovery = [{ run: crashed, commits: { events: { files: '1' } } }];
    const request = {
      streams: [eventsStream()],
      run: runInfo('next'),
      recovery,
      messages: from([]),
    };
    const error = await drain(lake.write(context(), config, request)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordError);
    expect((error as Error).message).toBe(
      'the saved commit of run crashed is not {"files": <count>}, so its files cannot be told apart; the state file is damaged (stream events)',
    );
    expect(await readIds()).toEqual(range(0, 10));
  });

  it('check proves the write path and reports a directory it cannot use', async () => {
    expect(
      await lake.check(context(), options({ path: join(dir.path, 'new/lake') })),
    ).toMatchObject({ ok: true });
    await writeFile(join(dir.path, 'file'), 'x');
    const result = await lake.check(context(), options({ path: join(dir.path, 'file') }));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain('writing a probe object');
  });

  it("warns of a column named like the layout's dt= directories, which readers would show instead", async () => {
    const warnings: string[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message) => warnings.push(message),
      error: () => undefined,
      child: () => logger,
    };
    const stream = { ...eventsStream(), fields: [...eventsStream().fields, field('dt', t.date)] };
    const request = {
      streams: [stream],
      run: runInfo('dt'),
      messages: from([batch(0, 3), checkpoint(2)]),
    };
    const ctx = { logger, signal: new AbortController().signal };
    await drain(lake.write(ctx, options({ path: dir.path }), request));
    expect(warnings).toEqual([
      "column dt has the name of the pontoon layout's dt= directories, whose value Hive-style readers show instead (DuckDB: hive_partitioning = false reads the column)",
    ]);
    await drain(
      lake.write(ctx, options({ path: dir.path }), {
        ...request,
        streams: [eventsStream()],
        run: runInfo('plain'),
        messages: from([batch(3, 1), checkpoint(3)]),
      }),
    );
    expect(warnings).toHaveLength(1);
  });
});
