import {
  isFerryError,
  type AckMessage,
  type ConfiguredStream,
  type Destination,
  type FerryError,
  type Field,
} from '@ferry/core';
import { conformanceStream } from './data.js';
import type { DestinationSuiteOptions } from './options.js';
import { setAt } from './schema-walk.js';
import type { Script } from './script.js';
import { connectorConfig, idsOf, resolveLazy, thrownBy } from './support.js';
import { Feed, runWrite, type WriteOutput } from './write-run.js';

/** What one destination case works with. */
export interface Setup {
  readonly destination: Destination;
  readonly options: DestinationSuiteOptions;
  readonly fields: readonly Field[];
  /** The `format` the case writes, for file destinations. */
  readonly format: string | undefined;
}

/** The suite's config with the case's format, validated as the runner does. */
export async function configOf(setup: Setup): Promise<unknown> {
  const raw = await resolveLazy(setup.options.config);
  const input = setup.format === undefined ? raw : setAt(raw, '/format', setup.format);
  return connectorConfig(setup.destination, input);
}

/** The append (incremental) test stream. */
export const EVENTS = 'conformance_events';
/** The snapshot test stream: replace when the destination can, else append. */
export const SNAPSHOT = 'conformance_snapshot';

/** Both test streams, configured. */
export function streamsOf(setup: Setup): ConfiguredStream[] {
  const replace = setup.destination.capabilities.writeModes.includes('replace');
  return [
    conformanceStream(EVENTS, { fields: setup.fields, writeMode: 'append' }),
    conformanceStream(SNAPSHOT, {
      fields: setup.fields,
      writeMode: replace ? 'replace' : 'append',
    }),
  ];
}

/** Sorted ids of the rows of `stream` a plain reader sees now. */
export async function visibleIds(
  setup: Setup,
  config: unknown,
  stream: ConfiguredStream,
): Promise<string[]> {
  return idsOf(await setup.options.read(config, stream));
}

/** Runs one write of `script` to its end. */
export async function writeRun(
  setup: Setup,
  config: unknown,
  script: Script,
): Promise<WriteOutput> {
  const streams = streamsOf(setup);
  return runWrite({
    destination: setup.destination,
    config,
    streams,
    feed: new Feed(script.messages),
  });
}

/** A write that must fail. */
export interface FailingWrite {
  readonly config: unknown;
  readonly feed: Feed;
  readonly signal?: AbortSignal;
  /** What must make the write fail, for the message when it does not. */
  readonly after: string;
}

/** Runs a write that must fail with a ferry error; returns the error and the acks before it. */
export async function failedWrite(
  setup: Setup,
  input: FailingWrite,
): Promise<{ error: FerryError; acks: AckMessage[] }> {
  const acks: AckMessage[] = [];
  const onAck = (ack: AckMessage): Promise<void> => {
    acks.push(ack);
    return Promise.resolve();
  };
  const streams = streamsOf(setup);
  const { after, ...write } = input;
  const error = await thrownBy(() =>
    runWrite({ destination: setup.destination, streams, onAck, ...write }),
  );
  if (error === undefined)
    throw new Error(`write ended normally ${after}; it must throw a ferry error`);
  if (!isFerryError(error))
    throw error instanceof Error ? error : new Error('write threw a value that is not an Error');
  return { error, acks };
}
