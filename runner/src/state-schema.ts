import type { SchemaNode } from '@ferry/core';

/** A batch id: lowercase letters and digits (it appears in file names, see `ids.ts`). */
const BATCH_ID = '^[a-z0-9]+$';

/**
 * An ISO 8601 date-time with seconds and an offset, as `Date#toISOString` writes it. The pattern
 * bounds each field; whether the day exists in its month is checked in code (`isDateTime`).
 */
const DATE_TIME =
  '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,9})?(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d)$';

/** The message for a date-time field that {@link isDateTime} rejects. */
export const dateTimeMessage = 'must be an ISO 8601 date-time such as "2024-05-01T12:00:00.000Z"';

/** What a value that fails one of the schema's patterns must be, by pattern, for messages. */
export const patternMessages: Readonly<Record<string, string>> = {
  [BATCH_ID]: 'must be lowercase letters and digits',
  [DATE_TIME]: dateTimeMessage,
};

const dateTime = (title: string, description: string): SchemaNode => ({
  type: 'string',
  pattern: DATE_TIME,
  title,
  description,
  examples: ['2024-05-01T12:00:00.000Z'],
});

const text = (title: string, description: string, example: string): SchemaNode => ({
  type: 'string',
  minLength: 1,
  title,
  description,
  examples: [example],
});

const streamEntry: SchemaNode = {
  type: 'object',
  title: 'Stream state',
  description: 'The last state of a stream the destination acknowledged as durably written.',
  additionalProperties: false,
  required: ['state', 'updated_at'],
  properties: {
    state: {
      title: 'Source state',
      description: "The source connector's state (its own format), where the next run resumes.",
    },
    updated_at: dateTime('Updated at', 'When the state was acknowledged.'),
  },
};

const journal: SchemaNode = {
  type: 'object',
  title: 'Unfinished run',
  description: 'A run that started and has not finished; the next run cleans up what it left.',
  additionalProperties: false,
  required: ['run_id', 'batch_id', 'started_at', 'worker_id', 'streams', 'commits'],
  properties: {
    run_id: text('Run id', 'Identifies the run.', 'V1StGXR8_Z5jdHi6B-myT'),
    batch_id: {
      type: 'string',
      pattern: BATCH_ID,
      title: 'Batch id',
      description: 'Names the files the run wrote.',
      examples: ['0k3q9z7x2m1c4b8a'],
    },
    started_at: dateTime('Started at', 'When the run started.'),
    worker_id: text('Worker id', 'The worker that ran it (FERRY_WORKER_ID).', '0'),
    streams: {
      type: 'array',
      title: 'Streams',
      description: 'The streams the run set out to write, which a later run must clean up.',
      items: { type: 'string', minLength: 1 },
    },
    commits: {
      type: 'object',
      title: 'Commits',
      description: "Per stream, the destination's commit token of the last acknowledged write.",
    },
  },
};

/**
 * JSON Schema of a transfer's state file (`<state dir>/<transfer>.json`, version 1). Checked on
 * every load, so that a damaged file stops the run instead of silently restarting the transfer.
 */
export const stateSchema: SchemaNode = {
  type: 'object',
  title: 'ferry transfer state',
  description: 'Everything the runner remembers about one transfer between runs.',
  additionalProperties: false,
  required: ['version', 'transfer', 'streams', 'unfinished'],
  properties: {
    version: {
      type: 'integer',
      enum: [1],
      title: 'Version',
      description: 'The format version of the state file.',
    },
    transfer: text('Transfer', 'The name of the transfer this state belongs to.', 'events-to-s3'),
    streams: {
      type: 'object',
      title: 'Streams',
      description: 'Per stream name, the last acknowledged source state.',
      additionalProperties: streamEntry,
    },
    unfinished: {
      type: 'array',
      title: 'Unfinished runs',
      description: 'Runs that started and have not finished, oldest first.',
      items: journal,
    },
  },
};

/**
 * Whether `value` is a date-time matching the schema's pattern whose date exists (the pattern
 * lets `2024-02-30` through, and `Date.parse` would quietly turn it into March 1st).
 */
export function isDateTime(value: string): boolean {
  const match = new RegExp(DATE_TIME, 'u').exec(value);
  if (match === null || Number.isNaN(Date.parse(value))) return false;
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  if (year === undefined || month === undefined || day === undefined) return false;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
