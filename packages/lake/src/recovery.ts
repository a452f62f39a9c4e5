import type { Logger, RecoveryInfo } from '@ferry/core';
import { listAll, type ObjectStore } from '@ferry/storage';
import type { Layout } from './layout.js';
import { manifestKey, readManifest, writeManifest } from './manifest.js';
import type { LakeCommit } from './stream-writer.js';

/** What {@link recoverStream} works on. */
export interface RecoverySpec {
  readonly store: ObjectStore;
  readonly layout: Layout;
  readonly stream: string;
  readonly recovery: RecoveryInfo;
  readonly logger: Logger;
}

/**
 * Undoes what a crashed run wrote to `stream` beyond its last commit the runner saved: deletes
 * those data files and rolls its manifest back to the saved commit. The source will read those
 * rows again from the saved state, so keeping the files would duplicate them.
 * @returns the number of files removed.
 */
export async function recoverStream(spec: RecoverySpec): Promise<number> {
  const { store, layout, stream, recovery } = spec;
  const keep = committedFiles(recovery.commits[stream]);
  const doomed: string[] = [];
  for await (const object of listAll(store, layout.runPrefix(stream, recovery.run))) {
    const parsed = layout.parseKey(stream, object.key);
    if (parsed?.batchId === recovery.run.batchId && parsed.index >= keep) doomed.push(object.key);
  }
  if (doomed.length > 0) await store.delete(doomed);
  await rollBackManifest(spec, keep);
  if (doomed.length > 0) {
    spec.logger.info('removed files of an unfinished run', {
      stream,
      batch_id: recovery.run.batchId,
      files: doomed.length,
    });
  }
  return doomed.length;
}

function committedFiles(commit: unknown): number {
  const files = (commit as Partial<LakeCommit> | null | undefined)?.files;
  return typeof files === 'number' && Number.isInteger(files) && files >= 0 ? files : 0;
}

async function rollBackManifest(spec: RecoverySpec, keep: number): Promise<void> {
  const key = manifestKey(spec.stream, spec.recovery.run);
  const manifest = await readManifest(spec.store, key);
  if (manifest === undefined) return;
  if (keep === 0) {
    await spec.store.delete([key]);
    return;
  }
  const files = manifest.files.filter((f) => {
    const parsed = spec.layout.parseKey(spec.stream, f.key);
    return parsed !== undefined && parsed.index < keep;
  });
  const rows = files.reduce((sum, f) => sum + f.rows, 0);
  if (files.length === manifest.files.length && manifest.status !== 'writing') return;
  await writeManifest(spec.store, { ...manifest, files, rows, status: 'rolled_back' });
}
