import { isPlainObject, RecordError, type Logger, type RecoveryInfo } from '@ferry/core';
import { listAll, type ObjectStore } from '@ferry/storage';
import type { Layout } from './layout.js';
import { manifestKey, readManifest, writeManifest, type Manifest } from './manifest.js';

/** What {@link recoverStream} works on. */
export interface RecoverySpec {
  readonly store: ObjectStore;
  readonly layout: Layout;
  readonly stream: string;
  readonly recovery: RecoveryInfo;
  readonly logger: Logger;
}

/** What {@link recoverStream} found and did. */
export interface Recovered {
  /** Data files removed (written past the saved commit). */
  readonly removed: number;
  /**
   * The crashed run had written and committed a whole snapshot (replace mode) whose ack was saved:
   * only the removal of the older snapshot was left to do.
   */
  readonly completeSnapshot: boolean;
}

/**
 * Undoes what a crashed run wrote to `stream` beyond its last commit the runner saved: deletes
 * those data files and rolls its manifest back to the saved commit. The source will read those
 * rows again from the saved state, so keeping the files would duplicate them.
 * @throws RecordError when the saved commit is damaged (nothing is deleted then).
 */
export async function recoverStream(spec: RecoverySpec): Promise<Recovered> {
  const { store, layout, stream, recovery } = spec;
  const keep = committedFiles(spec);
  const doomed: string[] = [];
  for await (const object of listAll(store, layout.runPrefix(stream, recovery.run))) {
    const parsed = layout.parseKey(stream, object.key);
    if (parsed?.batchId === recovery.run.batchId && parsed.index >= keep) doomed.push(object.key);
  }
  if (doomed.length > 0) await store.delete(doomed);
  const manifest = await rollBackManifest(spec, keep);
  if (doomed.length > 0) {
    const fields = { stream, batch_id: recovery.run.batchId, files: doomed.length };
    spec.logger.info('removed files of an unfinished run', fields);
  }
  const completeSnapshot =
    manifest?.status === 'complete' &&
    manifest.write_mode === 'replace' &&
    keep === manifest.files.length;
  return { removed: doomed.length, completeSnapshot };
}

/** How many files of the crashed run are committed: the `files` of its saved commit, or 0. */
function committedFiles({ recovery, stream }: RecoverySpec): number {
  const commit = recovery.commits[stream];
  if (commit === undefined) return 0;
  const files = isPlainObject(commit) ? commit.files : undefined;
  if (typeof files === 'number' && Number.isInteger(files) && files >= 0) return files;
  throw new RecordError(
    `the saved commit of run ${recovery.run.batchId} is not {"files": <count>}, so its files cannot be told apart; the state file is damaged`,
    { position: { stream } },
  );
}

/** Rolls the manifest back to the first `keep` files; returns it as it stands afterwards. */
async function rollBackManifest(spec: RecoverySpec, keep: number): Promise<Manifest | undefined> {
  const key = manifestKey(spec.stream, spec.recovery.run);
  const manifest = await readManifest(spec.store, key);
  if (manifest === undefined) return undefined;
  if (keep === 0) {
    await spec.store.delete([key]);
    return undefined;
  }
  const files = manifest.files.filter((f) => {
    const parsed = spec.layout.parseKey(spec.stream, f.key);
    return parsed !== undefined && parsed.index < keep;
  });
  if (files.length === manifest.files.length && manifest.status !== 'writing') return manifest;
  const rows = files.reduce((sum, f) => sum + f.rows, 0);
  const rolledBack: Manifest = { ...manifest, files, rows, status: 'rolled_back' };
  await writeManifest(spec.store, rolledBack);
  return rolledBack;
}
