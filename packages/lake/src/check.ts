import { randomBytes } from 'node:crypto';
import { isFerryError, type CheckResult } from '@ferry/core';
import type { ObjectStore } from '@ferry/storage';

/**
 * Proves the write path of a lake: puts a small probe object under `_ferry/`, reads its metadata
 * back and deletes it. A failure names the step and the cause; nothing is thrown for expected
 * failures (missing bucket or directory, denied access). Stops when `signal` is aborted.
 */
export async function checkWritePath(
  store: ObjectStore,
  signal?: AbortSignal,
): Promise<CheckResult> {
  const key = `_ferry/check/${randomBytes(8).toString('hex')}`;
  let step = `writing a probe object to ${store.describe(key)}`;
  try {
    const options = signal === undefined ? {} : { signal };
    await store.put(key, Buffer.from('ferry write check\n'), {
      contentType: 'text/plain',
      ...options,
    });
    step = `reading back the probe object ${store.describe(key)}`;
    const head = await store.head(key);
    if (head === undefined) return { ok: false, error: `${step}: it is not there after writing` };
    step = `deleting the probe object ${store.describe(key)}`;
    await store.delete([key]);
    return {
      ok: true,
      details: [`wrote, read back and deleted a probe object in ${store.location}`],
    };
  } catch (error) {
    if (!isFerryError(error) || error.code === 'internal') throw error;
    return { ok: false, error: `${step}: ${error.message}` };
  }
}
