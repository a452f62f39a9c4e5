import {
  ConfigError,
  InternalError,
  isPlainObject,
  joinPointer,
  validateConfig,
  type ConfigIssue,
} from '@ferry/core';
import { dateTimeMessage, isDateTime, patternMessages, stateSchema } from './state-schema.js';
import type { TransferState } from './state-store.js';

/** Where a state file is and whose state it should hold. */
export interface StateFileRef {
  readonly file: string;
  readonly transfer: string;
}

/**
 * A transfer's state file is damaged: not JSON, not a version 1 ferry state, another transfer's,
 * or with a field of the wrong shape. `file` is the state file and every issue carries a JSON
 * Pointer into it. The message warns that deleting the file is not a harmless fix.
 */
export class StateFileError extends ConfigError {
  constructor(issues: readonly ConfigIssue[], ref: StateFileRef, cause?: unknown) {
    super(issues, cause === undefined ? { file: ref.file } : { file: ref.file, cause });
    this.message = stateFileMessage(issues, ref);
  }
}

function stateFileMessage(issues: readonly ConfigIssue[], ref: StateFileRef): string {
  const lines = issueLines(issues);
  const list = lines.length === 1 ? ` ${lines[0] ?? ''}` : `\n  ${lines.join('\n  ')}`;
  return (
    `invalid state file ${ref.file}:${list}\n` +
    `The file records how far transfer "${ref.transfer}" got: repair it, or restore it from a ` +
    'backup. Deleting it makes the next run start over and re-export everything (duplicates in ' +
    'an append-only destination).'
  );
}

function issueLines(issues: readonly ConfigIssue[]): string[] {
  return issues.map((i) => (i.pointer === '' ? i.message : `${i.pointer}: ${i.message}`));
}

/**
 * Parses and checks the text of a state file against {@link stateSchema}, plus what a schema
 * cannot say: the file belongs to `ref.transfer` and its dates exist.
 * @throws StateFileError (a ConfigError) listing every problem found.
 */
export function parseState(text: string, ref: StateFileRef): TransferState {
  if (text.trim() === '')
    throw new StateFileError([{ pointer: '', message: 'the file is empty' }], ref);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const issue = { pointer: '', message: `the file is not valid JSON (${detail})` };
    throw new StateFileError([issue], ref, error);
  }
  const issues = stateIssues(parsed, ref.transfer);
  if (issues.length > 0) throw new StateFileError(issues, ref);
  return parsed as TransferState;
}

/**
 * The text to write for `state`, after checking that {@link parseState} will accept it: a state
 * the runner cannot read back must not replace a good file.
 * @throws InternalError when the state is invalid (a bug in the runner); nothing is written.
 */
export function stateText(state: TransferState, file: string): string {
  const text = JSON.stringify(state, null, 2) + '\n';
  const issues = stateIssues(JSON.parse(text), state.transfer);
  if (issues.length > 0) {
    throw new InternalError(
      `saving state ${file}: the state to save is invalid (${issueLines(issues).join('; ')}); ` +
        'the file was left as it was',
    );
  }
  return text;
}

function stateIssues(value: unknown, transfer: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  try {
    validateConfig(stateSchema, value);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues.map(refine));
  }
  issues.push(...meaningIssues(value, transfer));
  const seen = new Set<string>();
  return issues.filter((i) => {
    const id = `${i.pointer}\n${i.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Says what a pattern or the version means instead of ajv's "must match pattern ...". */
function refine(issue: ConfigIssue): ConfigIssue {
  for (const [pattern, message] of Object.entries(patternMessages)) {
    if (issue.message === `must match pattern "${pattern}"`) return { ...issue, message };
  }
  if (issue.pointer === '' && issue.message === 'must be object') {
    return { ...issue, message: 'the file must hold a JSON object' };
  }
  if (issue.pointer === '/version' && issue.message.startsWith('must be one of')) {
    const message =
      'must be 1, the only state version this ferry reads (was the file written by a newer ferry?)';
    return { ...issue, message };
  }
  return issue;
}

/** The transfer name and the dates, checked wherever the shape allows even if it is wrong. */
function meaningIssues(value: unknown, transfer: string): ConfigIssue[] {
  if (!isPlainObject(value)) return [];
  const issues: ConfigIssue[] = [];
  if (typeof value.transfer === 'string' && value.transfer !== transfer) {
    const message = `is "${value.transfer}", but this file should hold the state of transfer "${transfer}"`;
    issues.push({ pointer: '/transfer', message });
  }
  const checkDate = (date: unknown, pointer: string): void => {
    if (typeof date === 'string' && !isDateTime(date))
      issues.push({ pointer, message: dateTimeMessage });
  };
  if (isPlainObject(value.streams)) {
    for (const [name, entry] of Object.entries(value.streams)) {
      if (isPlainObject(entry))
        checkDate(entry.updated_at, joinPointer('/streams', name, 'updated_at'));
    }
  }
  if (Array.isArray(value.unfinished)) {
    value.unfinished.forEach((journal: unknown, index) => {
      if (isPlainObject(journal))
        checkDate(journal.started_at, joinPointer('/unfinished', index, 'started_at'));
    });
  }
  return issues;
}
