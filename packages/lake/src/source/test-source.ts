import {
  silentLogger,
  validateConfig,
  type CatalogStream,
  type ConfiguredStream,
  type Row,
  type SourceMessage,
  type StreamState,
} from '@ferry/core';
import { openLocalStore } from '@ferry/storage';
import { lakeSourceOptionProperties, type LakeSourceOptions } from './options.js';
import { createLakeSource } from './source.js';

/** The config of {@link lakeSource}: a directory and the lake source options. */
export type TestSourceConfig = LakeSourceOptions & { readonly path: string };

/** A lake source on a local directory, as the `filesystem` connector makes it. */
export const lakeSource = createLakeSource<TestSourceConfig>({
  type: 'testlake',
  title: 'Test lake',
  summary: 'Reads a lake in a temporary directory.',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: { path: { type: 'string' }, ...lakeSourceOptionProperties },
  },
  openStore: (config) => openLocalStore(config.path),
});

/** A config as a user writes it, validated with defaults applied. */
export function sourceConfig(input: Record<string, unknown>): TestSourceConfig {
  return validateConfig<TestSourceConfig>(lakeSource.configSchema, input);
}

/** A context that logs nothing. */
export function quiet(signal: AbortSignal = new AbortController().signal) {
  return { logger: silentLogger, signal };
}

/** A catalog stream as a transfer configures it by default (incremental, append). */
export function configured(
  stream: CatalogStream,
  syncMode: ConfiguredStream['syncMode'] = 'incremental',
): ConfiguredStream {
  return { name: stream.name, fields: stream.fields, syncMode, writeMode: 'append' };
}

/** Everything one read of one stream gave. */
export interface ReadResult {
  readonly rows: Row[];
  readonly states: StreamState[];
  readonly skipped: { records: number; example: string }[];
}

/** Reads `stream` from `state` to the end. */
export async function readStream(
  config: TestSourceConfig,
  stream: ConfiguredStream,
  state?: StreamState,
): Promise<ReadResult> {
  const result: ReadResult = { rows: [], states: [], skipped: [] };
  const request = { streams: [stream], state: state === undefined ? {} : { [stream.name]: state } };
  for await (const message of lakeSource.read(quiet(), config, request)) collect(result, message);
  return result;
}

function collect(result: ReadResult, message: SourceMessage): void {
  if (message.type === 'batch') result.rows.push(...message.rows);
  else if (message.type === 'checkpoint') result.states.push(message.state);
  else result.skipped.push({ records: message.records, example: message.example });
}
