import type { AckMessage, Destination } from '@ferry/core';
import { expect } from 'vitest';
import type { Cases } from './cases.js';
import { conformanceFields, conformanceRow } from './data.js';
import {
  configOf,
  EVENTS,
  failedWrite,
  SNAPSHOT,
  streamsOf,
  visibleIds,
  writeRun,
  type Setup,
} from './destination-setup.js';
import type { DestinationSuiteOptions } from './options.js';
import { Script } from './script.js';
import { abortReason } from './support.js';
import { Feed, runWrite, type WriteOutput } from './write-run.js';

/** The behaviour cases of a destination, once per format it declares. */
export function addDestinationCases(
  cases: Cases,
  destination: Destination,
  options: DestinationSuiteOptions,
): void {
  const { formats, layouts } = destination.capabilities;
  if (formats.length > 0 || layouts.length > 0) {
    cases.add('capability-keys', 'declared formats and layouts can be chosen in the config', () => {
      expect(enumOf(destination, 'format'), 'the `format` property').toEqual(
        expect.arrayContaining([...formats]),
      );
      expect(enumOf(destination, 'layout'), 'the `layout` property').toEqual(
        expect.arrayContaining([...layouts]),
      );
    });
  }
  const variants = formats.length === 0 ? [undefined] : formats;
  for (const format of variants) {
    const setup: Setup = {
      destination,
      options,
      fields: options.fields ?? conformanceFields,
      format,
    };
    const suffix = format === undefined ? '' : ` ${format}`;
    cases.add(`write${suffix}`, 'acks a checkpoint only once the rows before it are readable', () =>
      checkWrite(setup),
    );
    cases.add(`append${suffix}`, 'a second run adds its rows to the first', () =>
      checkAppend(setup),
    );
    if (destination.capabilities.writeModes.includes('replace')) {
      cases.add(`replace${suffix}`, 'a replace run leaves exactly its own rows', () =>
        checkReplace(setup),
      );
      cases.add(
        `replace-abort${suffix}`,
        'an aborted replace run leaves the previous snapshot whole',
        () => checkReplaceAbort(setup),
      );
    }
    cases.add(`write-abort${suffix}`, 'an aborted write leaves only acknowledged rows', () =>
      checkAbort(setup),
    );
    cases.add(
      `bad-record${suffix}`,
      'a row that does not match its field types is a RecordError',
      () => checkBadRecord(setup),
    );
  }
}

function enumOf(destination: Destination, key: string): readonly unknown[] {
  return destination.configSchema.properties[key]?.enum ?? [];
}

async function checkWrite(setup: Setup): Promise<void> {
  const config = await configOf(setup);
  const streams = streamsOf(setup);
  const script = new Script(setup.fields)
    .batch(EVENTS, 0, 50)
    .batch(SNAPSHOT, 0, 20)
    .batch(EVENTS, 50, 50)
    .checkpoint(EVENTS)
    .batch(EVENTS, 100, 100)
    .checkpoint(EVENTS)
    .batch(SNAPSHOT, 20, 10)
    .batch(EVENTS, 200, 30)
    .checkpoint(EVENTS)
    .checkpoint(SNAPSHOT);
  const acked: AckMessage[] = [];
  const onAck = async (ack: AckMessage, pulled: number): Promise<void> => {
    acked.push(ack);
    const point = script.checkpointOf(ack.stream, ack.state);
    if (ack.state !== undefined && point === undefined)
      throw new Error(`ack of ${ack.stream} carries a state that was never sent`);
    if (point === undefined) return;
    expect(pulled, 'acked before the checkpoint was pulled').toBeGreaterThan(point.index);
    const stream = streams.find((s) => s.name === ack.stream);
    if (stream === undefined) throw new Error(`ack names unknown stream "${ack.stream}"`);
    const visible = await visibleIds(setup, config, stream);
    expect(
      visible,
      `rows of ${ack.stream} readable at the ack of ${JSON.stringify(ack.state)}`,
    ).toEqual(expect.arrayContaining([...point.ids]));
  };
  const out = await runWrite({
    destination: setup.destination,
    config,
    streams,
    feed: new Feed(script.messages),
    onAck,
  });
  for (const stream of streams) {
    const last = acked.filter((a) => a.stream === stream.name).at(-1);
    expect(last?.state, `the final ack of ${stream.name}`).toEqual(
      script.lastCheckpoint(stream.name)?.state,
    );
    expect(
      await visibleIds(setup, config, stream),
      `rows of ${stream.name} after the write`,
    ).toEqual([...script.ids(stream.name)].sort());
  }
  checkFiles(setup, out, script);
}

function checkFiles(setup: Setup, out: WriteOutput, script: Script): void {
  if (setup.destination.capabilities.formats.length === 0) return;
  for (const name of [EVENTS, SNAPSHOT]) {
    const files = out.files.filter((f) => f.stream === name);
    const rows = files.reduce((sum, f) => sum + f.rows, 0);
    expect(rows, `rows in the file messages of ${name}`).toBe(script.ids(name).length);
    for (const f of files) expect(f.key, 'file key').not.toBe('');
  }
}

async function checkAppend(setup: Setup): Promise<void> {
  const config = await configOf(setup);
  const [events] = streamsOf(setup);
  if (events === undefined) return;
  await writeRun(setup, config, new Script(setup.fields).batch(EVENTS, 0, 100).checkpoint(EVENTS));
  await writeRun(setup, config, new Script(setup.fields).batch(EVENTS, 100, 50).checkpoint(EVENTS));
  const both = new Script(setup.fields).batch(EVENTS, 0, 150);
  expect(await visibleIds(setup, config, events)).toEqual([...both.ids(EVENTS)].sort());
}

async function checkReplace(setup: Setup): Promise<void> {
  const config = await configOf(setup);
  const snapshot = streamsOf(setup)[1];
  if (snapshot === undefined) return;
  await writeRun(
    setup,
    config,
    new Script(setup.fields).batch(SNAPSHOT, 0, 50).checkpoint(SNAPSHOT),
  );
  const second = new Script(setup.fields).batch(SNAPSHOT, 100, 30).checkpoint(SNAPSHOT);
  await writeRun(setup, config, second);
  expect(await visibleIds(setup, config, snapshot), 'after the second snapshot').toEqual(
    [...second.ids(SNAPSHOT)].sort(),
  );
  await writeRun(setup, config, new Script(setup.fields).checkpoint(SNAPSHOT));
  expect(await visibleIds(setup, config, snapshot), 'after an empty snapshot').toEqual([]);
}

async function checkReplaceAbort(setup: Setup): Promise<void> {
  const config = await configOf(setup);
  const snapshot = streamsOf(setup)[1];
  if (snapshot === undefined) return;
  const first = new Script(setup.fields).batch(SNAPSHOT, 0, 50).checkpoint(SNAPSHOT);
  await writeRun(setup, config, first);
  const second = new Script(setup.fields).batch(SNAPSHOT, 100, 30).batch(SNAPSHOT, 130, 30);
  const controller = new AbortController();
  const feed = new Feed(second.messages, controller.signal);
  void feed.exhausted.then(() => {
    controller.abort(abortReason());
  });
  await failedWrite(setup, { config, feed, signal: controller.signal, after: 'although aborted' });
  expect(
    await visibleIds(setup, config, snapshot),
    'rows of the snapshot after a replace run was aborted (the previous snapshot, whole)',
  ).toEqual([...first.ids(SNAPSHOT)].sort());
}

async function checkAbort(setup: Setup): Promise<void> {
  const config = await configOf(setup);
  const script = new Script(setup.fields)
    .batch(EVENTS, 0, 100)
    .checkpoint(EVENTS)
    .batch(EVENTS, 100, 100);
  const controller = new AbortController();
  const feed = new Feed(script.messages, controller.signal);
  void feed.exhausted.then(() => {
    controller.abort(abortReason());
  });
  const failed = await failedWrite(setup, {
    config,
    feed,
    signal: controller.signal,
    after: 'although the run was aborted',
  });
  await expectAcknowledgedOnly(setup, { config, script, acks: failed.acks });
}

async function checkBadRecord(setup: Setup): Promise<void> {
  const config = await configOf(setup);
  const script = new Script(setup.fields).batch(EVENTS, 0, 100).checkpoint(EVENTS);
  const bad = { ...conformanceRow(100, setup.fields), id: 'not an int64' };
  script.rawBatch(EVENTS, [bad]).checkpoint(EVENTS);
  const failed = await failedWrite(setup, {
    config,
    feed: new Feed(script.messages),
    after: `after a row of ${EVENTS} whose int64 id is the string "not an int64"`,
  });
  expect(failed.error.code, `error code of: ${failed.error.message}`).toBe('record');
  await expectAcknowledgedOnly(setup, { config, script, acks: failed.acks });
}

interface Outcome {
  readonly config: unknown;
  readonly script: Script;
  readonly acks: readonly AckMessage[];
}

/** After a failed write, exactly the rows covered by the acks received are readable. */
async function expectAcknowledgedOnly(
  setup: Setup,
  { config, script, acks }: Outcome,
): Promise<void> {
  const [events] = streamsOf(setup);
  if (events === undefined) return;
  const acked = acks.filter((a) => a.stream === EVENTS).at(-1);
  const covered = script.checkpointOf(EVENTS, acked?.state)?.ids ?? [];
  const last = acked === undefined ? 'no ack' : `the last ack, ${JSON.stringify(acked.state)},`;
  expect(
    await visibleIds(setup, config, events),
    `rows of ${EVENTS} readable after the failed write (${last} covers ${String(covered.length)})`,
  ).toEqual([...covered].sort());
}
