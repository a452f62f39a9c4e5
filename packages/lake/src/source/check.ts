import { isFerryError, type CheckResult } from '@ferry/core';
import type { ObjectStore } from '@ferry/storage';
import { listTables } from './table-files.js';

/**
 * Proves the read path of a lake source: opens the store (for a directory, that it exists) and
 * lists the tables under its root. A failure names the location and the cause; nothing is thrown
 * for expected failures (missing directory or bucket, denied access).
 */
export async function checkReadPath(
  open: () => ObjectStore | Promise<ObjectStore>,
): Promise<CheckResult> {
  let step = 'opening the store';
  try {
    const store = await open();
    step = `listing the tables of ${store.location}`;
    const tables = await listTables(store);
    return {
      ok: true,
      details: [
        `listed ${store.location}: ${tables.length} table${tables.length === 1 ? '' : 's'}${tables.length > 0 ? ` (${tables.slice(0, 10).join(', ')}${tables.length > 10 ? ', ...' : ''})` : ''}`,
      ],
    };
  } catch (error) {
    if (!isFerryError(error) || error.code === 'internal') throw error;
    return { ok: false, error: `${step}: ${error.message}` };
  }
}
