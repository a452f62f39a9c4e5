import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { isPlainObject } from '@ferry/core';

/** Who holds a run lock: the content of a lock file. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** Unique per lock taken; absent in lock files of older ferry versions. */
  readonly token?: string;
  readonly started_at?: string;
}

/**
 * Tokens of the locks this process holds or is taking. A lock file with our pid and host is
 * stale (a previous process with our pid, e.g. pid 1 before a container restart) unless its
 * token is here: then another call in this very process holds it.
 */
const ours = new Set<string>();

/** A holder record for a lock this process is about to take, registered as ours. */
export function newHolder(): LockHolder & { readonly token: string } {
  const holder = {
    pid: process.pid,
    host: hostname(),
    token: randomBytes(16).toString('hex'),
    started_at: new Date().toISOString(),
  };
  ours.add(holder.token);
  return holder;
}

/** Forgets a token of {@link newHolder} once its lock is released or was not taken. */
export function forgetHolder(token: string): void {
  ours.delete(token);
}

/** The holder written in a lock file, or undefined when the text is not a ferry lock. */
export function parseHolder(text: string): LockHolder | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(parsed)) return undefined;
  const { pid, host, token, started_at } = parsed;
  // pid 0 and negative pids would make the liveness check signal process groups.
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  if (typeof host !== 'string' || host === '') return undefined;
  return {
    pid,
    host,
    ...(typeof token === 'string' ? { token } : {}),
    ...(typeof started_at === 'string' ? { started_at } : {}),
  };
}

/**
 * Whether a holder certainly no longer runs: it is on this host and its pid is gone, or its pid
 * is ours but the lock is not one this process holds. A holder on another host cannot be checked
 * from here and counts as alive. A live pid counts as the holder even if the pid was reused by an
 * unrelated process after the holder died: the user is told which file to delete.
 */
export function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return holder.token === undefined || !ours.has(holder.token);
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

/** "pid 42 on host-a since 2024-05-01T12:00:00.000Z", for messages. */
export function describeHolder(holder: LockHolder): string {
  const since = holder.started_at === undefined ? '' : ` since ${holder.started_at}`;
  return `pid ${holder.pid} on ${holder.host}${since}`;
}
