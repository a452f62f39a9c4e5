import type { ConfiguredStream, Row } from '@ferry/core';
import type { Checkpoint, StreamRead } from './source-read.js';
import { canonical } from './support.js';

/**
 * What is wrong with the checkpoints of an incremental read (empty when nothing is): every row
 * before a checkpoint has a cursor at most every row after it, and the state changes whenever rows
 * were emitted since the previous checkpoint (else resuming would repeat them). A stream whose
 * source keeps its own state (`incrementalState: 'source'`, no cursor field) has no cursor to
 * order rows by: only the second holds, and the resume case checks the rest.
 */
export function checkpointProblems(
  stream: ConfiguredStream,
  read: StreamRead | undefined,
): string[] {
  if (read === undefined || read.checkpoints.length === 0) return ['no checkpoint was emitted'];
  const cursor = stream.cursorField;
  const values = cursor === undefined ? [] : read.rows.map((row) => cursorOf(row, cursor));
  if (values.some((v) => v === undefined)) {
    return [`a row has no comparable "${cursor ?? ''}" value`];
  }
  const problems: string[] = [];
  let previous: Checkpoint | undefined;
  for (const point of read.checkpoints) {
    const before = values.slice(0, point.rowsBefore);
    const after = values.slice(point.rowsBefore);
    const highest = before.reduce(max, undefined);
    const lowest = after.reduce(min, undefined);
    if (highest !== undefined && lowest !== undefined && compare(highest, lowest) > 0) {
      problems.push(
        `after checkpoint ${canonical(point.state)} came a row with ${cursor} ${String(lowest)}, below ${String(highest)} before it`,
      );
    }
    if (previous !== undefined && previous.rowsBefore < point.rowsBefore) {
      if (canonical(previous.state) === canonical(point.state)) {
        problems.push(
          `state ${canonical(point.state)} did not change although rows came in between`,
        );
      }
    }
    previous = point;
  }
  return problems.slice(0, 5);
}

type Cursor = string | number | bigint;

function cursorOf(row: Row, name: string): Cursor | undefined {
  const value = row[name];
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint'
    ? value
    : undefined;
}

function compare(a: Cursor | undefined, b: Cursor | undefined): number {
  if (a === undefined || b === undefined) return 0;
  if (typeof a === 'string' || typeof b === 'string') {
    const [x, y] = [String(a), String(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function max(a: Cursor | undefined, b: Cursor | undefined): Cursor | undefined {
  return a === undefined || compare(b, a) > 0 ? b : a;
}

function min(a: Cursor | undefined, b: Cursor | undefined): Cursor | undefined {
  return a === undefined || compare(b, a) < 0 ? b : a;
}

/** At most this many resumes per stream: every checkpoint of a small fixture, evenly spread beyond. */
const MAX_RESUMES = 12;

/**
 * The checkpoints a resume is tried from: every one with rows before it (at most
 * {@link MAX_RESUMES}, evenly spread, the first and the last always among them), since a state
 * can be wrong at any of them.
 * @throws Error when the read has no checkpoint with rows before and after it: the config must be
 *   big enough for a resume to mean something.
 */
export function resumePoints(name: string, read: StreamRead): Checkpoint[] {
  const points = read.checkpoints.filter((c) => c.rowsBefore > 0);
  const first = points[0];
  if (first === undefined || first.rowsBefore === read.rows.length) {
    throw new Error(
      `${name}: the read has no checkpoint with rows after it; give a config that makes at least two checkpoints`,
    );
  }
  if (points.length <= MAX_RESUMES) return points;
  const step = (points.length - 1) / (MAX_RESUMES - 1);
  return Array.from({ length: MAX_RESUMES }, (_, k) => points[Math.round(k * step)] ?? first);
}
