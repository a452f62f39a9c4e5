import { hostname } from 'node:os';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TransientError } from '@ferry/core';

/** A held lock; release it when the run ends. */
export interface Lock {
  release(): Promise<void>;
}

/**
 * Makes sure only one run of a transfer uses its state at a time: two concurrent runs would both
 * read the same state and write the same rows twice. A lock left by a dead process on this host
 * is taken over.
 * @throws TransientError when another live run holds the lock (retrying later may succeed).
 */
export async function lockTransfer(dir: string, transfer: string): Promise<Lock> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${transfer}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname() }) + '\n');
      await handle.close();
      return { release: () => rm(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readHolder(file);
      if (holder !== undefined && isAlive(holder)) {
        throw new TransientError(
          `transfer "${transfer}" is already running (pid ${holder.pid} on ${holder.host}); lock file ${file}`,
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new TransientError(`could not lock transfer "${transfer}" (${file})`);
}

interface Holder {
  readonly pid: number;
  readonly host: string;
}

async function readHolder(file: string): Promise<Holder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<Holder>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string'
      ? { pid: parsed.pid, host: parsed.host }
      : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(holder: Holder): boolean {
  // A lock from another host cannot be checked from here: treat it as held.
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
