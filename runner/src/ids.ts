import type { RunInfo } from '@ferry/core';
import { customAlphabet, nanoid } from 'nanoid';

// Batch ids appear in file names between "_" separators: lowercase letters and digits only.
const batchId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 16);

/** A new run's identity. The worker id comes from `FERRY_WORKER_ID`, else `0`. */
export function newRun(now: Date = new Date()): RunInfo {
  const worker = process.env.FERRY_WORKER_ID;
  const workerId = worker !== undefined && /^[a-z0-9-]{1,32}$/.test(worker) ? worker : '0';
  return { runId: nanoid(), batchId: batchId(), startedAt: now, workerId };
}
