import { listAll, type ObjectStore } from '@ferry/storage';
import type { Layout } from './layout.js';

/** What {@link removeOlderFiles} works on. */
export interface ReplaceSpec {
  readonly store: ObjectStore;
  readonly layout: Layout;
  readonly stream: string;
  /** The run whose files make the new snapshot. */
  readonly batchId: string;
}

/**
 * After a snapshot run has committed all its files, deletes every other data file of the stream,
 * so the new snapshot is visible before the old one disappears. Only keys the layout recognises as
 * its own data files are deleted; anything else under the stream's prefix is left alone.
 * @returns the number of files removed.
 */
export async function removeOlderFiles(spec: ReplaceSpec): Promise<number> {
  const { store, layout, stream, batchId } = spec;
  const doomed: string[] = [];
  let removed = 0;
  for await (const object of listAll(store, layout.streamPrefix(stream))) {
    const parsed = layout.parseKey(stream, object.key);
    if (parsed === undefined || parsed.batchId === batchId) continue;
    doomed.push(object.key);
    // Delete in pages so a stream with many files never holds every key in memory.
    if (doomed.length >= 1000) removed += await deleteAll(store, doomed.splice(0));
  }
  return removed + (await deleteAll(store, doomed));
}

async function deleteAll(store: ObjectStore, keys: string[]): Promise<number> {
  if (keys.length > 0) await store.delete(keys);
  return keys.length;
}
