import { ConfigError, type RunInfo } from '@ferry/core';
import type { LayoutName } from './options.js';

/** What names one data file. */
export interface FileKeyInput {
  readonly stream: string;
  readonly run: RunInfo;
  /** Counts from 0 per stream within a run. */
  readonly index: number;
  /** With the dot: `.parquet`, `.jsonl.gz`. */
  readonly extension: string;
}

/** A data file key parsed back into the run and index that wrote it. */
export interface ParsedKey {
  readonly batchId: string;
  readonly index: number;
}

/**
 * A key layout: how a destination names its data files, and how it finds them again (to recover a
 * crashed run and to replace a snapshot). Keys are relative to the store's root.
 */
export interface Layout {
  readonly name: LayoutName;
  fileKey(input: FileKeyInput): string;
  /** A prefix holding exactly the data files `run` may have written for `stream`. */
  runPrefix(stream: string, run: RunInfo): string;
  /** A prefix holding every data file of `stream`. */
  streamPrefix(stream: string): string;
  /** The run and index of a data file of `stream`, or `undefined` for a key this layout did not write. */
  parseKey(stream: string, key: string): ParsedKey | undefined;
  /** The `key=value` directories its keys have (`dt` for pontoon): readers see them as columns. */
  readonly partitionColumns: readonly string[];
}

/** `YYYY-MM-DD` of a date, in UTC. */
export function utcDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** `YYYYMMDDHHMMSS` of a date, in UTC. */
export function utcStamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

const STREAM_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Stream names become path segments; anything else could escape the prefix or clash.
 * @throws ConfigError for a name that is not a safe single segment.
 */
export function assertSafeStreamName(stream: string): void {
  if (!STREAM_NAME.test(stream)) {
    throw new ConfigError({
      pointer: '/streams',
      message: `stream name "${stream}" cannot be used in object keys (letters, digits, "_", "-", "." only)`,
    });
  }
}

const PONTOON_FILE =
  /^dt=\d{4}-\d{2}-\d{2}\/\d{14}_([a-z0-9]+)_(\d+)\.(?:parquet|jsonl\.gz|jsonl)$/;

/**
 * Pontoon's layout: `<stream>/dt=<YYYY-MM-DD>/<YYYYMMDDHHMMSS>_<batch_id>_<index><ext>`, where the
 * date and time are the run's start (UTC). Append-only: no key is ever rewritten.
 */
export const pontoonLayout: Layout = {
  name: 'pontoon',
  partitionColumns: ['dt'],
  fileKey({ stream, run, index, extension }) {
    return `${pontoonLayout.runPrefix(stream, run)}${index}${extension}`;
  },
  runPrefix(stream, run) {
    return `${stream}/dt=${utcDate(run.startedAt)}/${utcStamp(run.startedAt)}_${run.batchId}_`;
  },
  streamPrefix(stream) {
    return `${stream}/`;
  },
  parseKey(stream, key) {
    if (!key.startsWith(`${stream}/`)) return undefined;
    const match = PONTOON_FILE.exec(key.slice(stream.length + 1));
    if (match === null) return undefined;
    return { batchId: match[1] ?? '', index: Number(match[2]) };
  },
};

const layouts: Readonly<Record<LayoutName, Layout>> = { pontoon: pontoonLayout };

/** The layout of that name. */
export function layoutNamed(name: LayoutName): Layout {
  return layouts[name];
}
