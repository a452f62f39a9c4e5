/** Helpers of the unit tests (not part of the build). */
import {
  silentLogger,
  validateConfig,
  type CatalogStream,
  type ConfiguredStream,
  type Context,
  type Field,
  type FieldType,
  type Row,
  type SourceMessage,
  type StreamState,
} from '@ferry/core';
import { STREAMS } from './catalog.js';
import { sampleConfigSchema, type SampleConfig } from './config.js';
import { source } from './source.js';

/** A context with a silent logger and the given signal. */
export function context(signal: AbortSignal = new AbortController().signal): Context {
  return { logger: silentLogger, signal };
}

/** A validated config: `overrides` over the defaults. */
export function configOf(overrides: Partial<SampleConfig> = {}): SampleConfig {
  return validateConfig<SampleConfig>(sampleConfigSchema, overrides);
}

/** The catalog stream called `name`. */
export function catalogStream(name: string): CatalogStream {
  const found = STREAMS.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no stream ${name}`);
  return found;
}

/** Configured streams with the catalog's defaults (or `syncMode`). */
export function configured(
  names: readonly string[],
  syncMode?: ConfiguredStream['syncMode'],
): ConfiguredStream[] {
  return names.map((name) => {
    const s = catalogStream(name);
    const base = { name, fields: s.fields, syncMode: syncMode ?? s.defaultSyncMode };
    const withCursor = s.cursorField === undefined ? base : { ...base, cursorField: s.cursorField };
    return { ...withCursor, writeMode: s.defaultWriteMode };
  });
}

/** Everything one read emitted. */
export interface ReadResult {
  readonly messages: SourceMessage[];
  /** Rows per stream, in order. */
  readonly rows: Record<string, Row[]>;
  /** Checkpoint states per stream, in order. */
  readonly states: Record<string, StreamState[]>;
}

/** Runs `read` to the end. */
export async function readAll(
  config: SampleConfig,
  streams: readonly ConfiguredStream[],
  state: Record<string, StreamState | undefined> = {},
): Promise<ReadResult> {
  const result: ReadResult = { messages: [], rows: {}, states: {} };
  for await (const message of source.read(context(), config, { streams, state })) {
    result.messages.push(message);
    if (message.type === 'batch') (result.rows[message.stream] ??= []).push(...message.rows);
    else if (message.type === 'checkpoint') {
      (result.states[message.stream] ??= []).push(message.state);
    }
  }
  return result;
}

/** The rows of one stream read with the catalog's defaults. */
export async function rowsOf(config: SampleConfig, name: string): Promise<Row[]> {
  return (await readAll(config, configured([name]))).rows[name] ?? [];
}

/** JSON with bigints as strings (to search rows for text). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Problems of `value` as a value of `type` (core's in-memory conventions), with their paths. */
export function typeProblems(type: FieldType, value: unknown, path: string): string[] {
  const bad = [`${path}: not a ${type.kind}: ${toJson(value)}`];
  switch (type.kind) {
    case 'string':
      return typeof value === 'string' ? [] : bad;
    case 'int32':
      return Number.isInteger(value) && Math.abs(value as number) < 2 ** 31 ? [] : bad;
    case 'int64':
      return typeof value === 'bigint' ? [] : bad;
    case 'boolean':
      return typeof value === 'boolean' ? [] : bad;
    case 'timestamp':
      return typeof value === 'string' && TIMESTAMP.test(value) ? [] : bad;
    case 'list':
      if (!Array.isArray(value)) return bad;
      return value.flatMap((item, i) => typeProblems(type.items, item, `${path}[${String(i)}]`));
    case 'struct':
      if (typeof value !== 'object' || value === null) return bad;
      return fieldProblems(type.fields, value as Row, `${path}.`);
    default:
      return [`${path}: unexpected type ${type.kind}`];
  }
}

/** Problems of `row` against `fields`: exactly their keys, in order, with values of their types. */
export function fieldProblems(fields: readonly Field[], row: Row, prefix = ''): string[] {
  const keys = Object.keys(row).join(',');
  const names = fields.map((f) => f.name).join(',');
  const problems = keys === names ? [] : [`${prefix}: keys ${keys} are not ${names}`];
  for (const f of fields) {
    const value = row[f.name];
    if (value === null) {
      if (!f.nullable) problems.push(`${prefix}${f.name}: null but not nullable`);
    } else {
      problems.push(...typeProblems(f.type, value, `${prefix}${f.name}`));
    }
  }
  return problems;
}
