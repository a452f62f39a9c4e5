/**
 * Crash safety. The runner saves each ack's `commit` (here `{ "bytes": <size of the data file> }`)
 * and, after a crash, hands the saved commits back through `recovery`; rows past that size were
 * never acknowledged, so the source will send them again and they must go first. A run that
 * crashed before its first ack was saved has no commit: the size it started from is then in
 * `<stream>.run.json`, written before it appended anything.
 */
import {
  isPlainObject,
  RecordError,
  type JsonValue,
  type Logger,
  type RecoveryInfo,
  type RunInfo,
} from '@ferry/core';
import { readJson, removeFile, sizeOf, truncateFile, writeJson } from './files.js';
import type { StreamFiles } from './layout.js';

/** The commit token of an ack. */
export interface Commit {
  readonly bytes: number;
}

/** Records where `run` starts appending to the data file, before it appends anything. */
export async function markRunStart(files: StreamFiles, run: RunInfo, bytes: number): Promise<void> {
  await writeJson(files.run, { batch_id: run.batchId, bytes });
}

/** Where a replace run writes its snapshot until it is complete: unique per run. */
export function snapshotFile(files: StreamFiles, run: RunInfo): string {
  return `${files.data}.${run.batchId}.tmp`;
}

/**
 * Removes what the unfinished runs in `recovery` (oldest first) wrote to the stream of `files`
 * beyond their last saved commit: an unfinished snapshot, or rows appended after it.
 * @throws RecordError when a saved commit is damaged (nothing is cut then).
 */
export async function recoverStream(
  files: StreamFiles,
  recovery: readonly RecoveryInfo[],
  at: { readonly stream: string; readonly logger: Logger },
): Promise<void> {
  for (const { run, commits } of recovery) {
    await removeFile(snapshotFile(files, run));
    const keep = committedBytes(commits[at.stream], run, at.stream) ?? (await startOf(files, run));
    if (keep !== undefined && keep < (await sizeOf(files.data))) {
      await truncateFile(files.data, keep);
      at.logger.info('removed the rows of an unfinished run', { batch_id: run.batchId });
    }
  }
}

function committedBytes(
  commit: JsonValue | undefined,
  run: RunInfo,
  stream: string,
): number | undefined {
  if (commit === undefined) return undefined;
  const bytes = isPlainObject(commit) ? commit.bytes : undefined;
  if (Number.isSafeInteger(bytes) && (bytes as number) >= 0) return bytes as number;
  throw new RecordError(
    `the saved commit of run ${run.batchId} is not {"bytes": <size>}; the state file is damaged`,
    { position: { stream } },
  );
}

/** The size the data file had when `run` started appending, if `run` got that far. */
async function startOf(files: StreamFiles, run: RunInfo): Promise<number | undefined> {
  const mark = await readJson(files.run);
  if (!isPlainObject(mark) || mark.batch_id !== run.batchId) return undefined;
  return Number.isSafeInteger(mark.bytes) ? (mark.bytes as number) : undefined;
}
