import { join } from 'node:path';
import {
  ConfigError,
  isPlainObject,
  RecordError,
  type ConfiguredStream,
  type Field,
  type FieldType,
} from '@ferry/core';
import { readJson, writeJson } from './files.js';
import { SCALARS } from './scalars.js';

/** Where a stream lives in the directory. */
export interface StreamFiles {
  /** `<stream>.jsonl`: the rows, one JSON object per line. */
  readonly data: string;
  /**
   * `<stream>.schema.json`: fields, primary key and cursor field, so that the source can decode
   * each value with its type (an int64 string back to a bigint).
   */
  readonly schema: string;
  /** `<stream>.run.json`: where the current run started appending (see `recovery.ts`). */
  readonly run: string;
}

/** What `<stream>.schema.json` holds. */
export interface SchemaFile {
  readonly fields: readonly Field[];
  readonly primaryKey?: readonly string[];
  readonly cursorField?: string;
}

/** Ends the name of every schema file; `discover` lists the streams by it. */
export const SCHEMA_SUFFIX = '.schema.json';

// A stream name becomes a file name: no separators, no hidden files.
const STREAM_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Whether `name` can be a stream's file name. */
export function isStreamName(name: string): boolean {
  return STREAM_NAME.test(name);
}

/**
 * The files of `stream` in `dir`.
 * @throws ConfigError when the stream name cannot be a file name.
 */
export function streamFiles(dir: string, stream: string): StreamFiles {
  if (!isStreamName(stream)) {
    throw new ConfigError({
      pointer: '/streams',
      message: `stream name "${stream}" cannot be a file name (letters, digits, "_", "-", "." only)`,
    });
  }
  return {
    data: join(dir, `${stream}.jsonl`),
    schema: join(dir, stream + SCHEMA_SUFFIX),
    run: join(dir, `${stream}.run.json`),
  };
}

/** Writes the schema file of `stream`. */
export async function writeSchemaFile(files: StreamFiles, stream: ConfiguredStream): Promise<void> {
  const { fields, primaryKey, cursorField } = stream;
  // An absent key or cursor is `undefined` here, which JSON leaves out.
  await writeJson(files.schema, { fields, primaryKey, cursorField });
}

/**
 * The schema file of a stream, or `undefined` when there is none.
 * @throws RecordError when it is not a schema file.
 */
export async function readSchemaFile(files: StreamFiles): Promise<SchemaFile | undefined> {
  const value = await readJson(files.schema);
  if (value === undefined) return undefined;
  if (isPlainObject(value) && isFieldList(value.fields)) {
    const { primaryKey, cursorField } = value;
    return {
      fields: value.fields,
      ...(Array.isArray(primaryKey) ? { primaryKey: primaryKey.map(String) } : {}),
      ...(typeof cursorField === 'string' ? { cursorField } : {}),
    };
  }
  throw new RecordError('the schema file has no valid "fields"', {
    position: { key: files.schema },
  });
}

function isFieldList(value: unknown): value is Field[] {
  return (
    Array.isArray(value) &&
    value.every(
      (f) =>
        isPlainObject(f) &&
        typeof f.name === 'string' &&
        typeof f.nullable === 'boolean' &&
        isFieldType(f.type),
    )
  );
}

function isFieldType(type: unknown): type is FieldType {
  if (!isPlainObject(type) || typeof type.kind !== 'string') return false;
  if (type.kind === 'list') return isFieldType(type.items);
  if (type.kind === 'struct') return isFieldList(type.fields);
  if (type.kind === 'decimal')
    return Number.isInteger(type.precision) && Number.isInteger(type.scale);
  return Object.hasOwn(SCALARS, type.kind);
}
