import { createHash } from 'node:crypto';
import { link, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TransientError } from '@ferry/core';
import { writeSynced } from './durable-fs.js';
import { errnoCode, fsCall, fsError } from '@ferry/storage';
import {
  describeHolder,
  forgetHolder,
  isStale,
  newHolder,
  parseHolder,
  type LockHolder,
} from './lock-holder.js';

/** A held lock; release it when the run ends. */
export interface Lock {
  /**
   * Removes the lock file if it is still this lock's (never another process's lock that replaced
   * it after it was deleted by hand). Releasing twice does nothing.
   * @throws a ferry error when the lock file cannot be read or removed.
   */
  release(): Promise<void>;
}

/**
 * How long to wait while another process takes over a stale lock. Time, not a count of attempts:
 * the process taking over may be stalled by a loaded machine or a slow network file system.
 */
const TAKEOVER_WAIT_MS = 10_000;
/** How deep a stale claim (a takeover that crashed) is itself taken over. */
const MAX_CLAIM_DEPTH = 2;

/**
 * Makes sure only one run of a transfer uses its state at a time: two concurrent runs would both
 * read the same state and write the same rows twice. The lock is the file `<dir>/<transfer>.lock`
 * holding `{pid, host, token, started_at}`.
 *
 * Taking it: the content is written to a temporary file, flushed, and hard-linked to the lock
 * path; `link` fails if the path exists and never exposes a partial file. If a lock file exists,
 * its holder is checked: one on another host counts as alive; one on this host is stale when its
 * pid is gone, or is our own pid but not a lock of this process (a container restarted as pid 1).
 *
 * Taking over a stale lock: whoever first links its own content to the claim file
 * `<lock>.<hash of the stale content>.takeover` checks that the lock file still holds that
 * content, removes it, drops the claim, and links again like everyone else. The lock file only
 * ever goes from absent to complete (link), from held to absent (its owner's release, after
 * checking the token), and from stale to absent (the one claimant of exactly that content; a later
 * claimant finds other content and leaves it). So a live lock is never removed, and at most one
 * process holds the lock. Others wait for the claimant, then see its lock (alive) or none.
 *
 * What this cannot tell apart (none of it happens between ferry processes on one host):
 * - a dead holder's pid reused by an unrelated process makes the lock look alive (the message
 *   says which file to delete);
 * - hosts (or containers) sharing a state directory must have distinct hostnames, else one may
 *   judge another's pid from the wrong pid namespace;
 * - a claimant that dies holding its claim leaves it; the claim is then taken over the same way
 *   (up to {@link MAX_CLAIM_DEPTH} levels), and beyond that the user is told to delete the files;
 * - two lock files of older ferry versions (no token) with identical text are indistinguishable.
 * @throws TransientError when another live run holds the lock (the message names the lock file
 *   and says when deleting it is safe); a ferry error when the directory or files fail.
 */
export async function lockTransfer(
  dir: string,
  transfer: string,
  options: LockOptions = {},
): Promise<Lock> {
  const file = join(dir, `${transfer}.lock`);
  await fsCall(() => mkdir(dir, { recursive: true }), 'locking', file);
  const me = newHolder();
  const temp = `${file}.${me.token}.tmp`;
  try {
    await fsCall(() => writeSynced(temp, JSON.stringify(me) + '\n'), 'locking', file);
    const waitMs = options.takeoverWaitMs ?? TAKEOVER_WAIT_MS;
    await acquire({ file, temp, token: me.token, transfer, waitMs });
  } catch (error) {
    forgetHolder(me.token);
    throw error;
  } finally {
    // The lock file is another name of the temp file; a temp left by a failed rm is harmless.
    await rm(temp, { force: true }).catch(() => undefined);
  }
  return { release: () => release(file, me.token) };
}

/** Options of {@link lockTransfer}. */
export interface LockOptions {
  /** How long to wait while another process takes over a stale lock (default 10 s). */
  readonly takeoverWaitMs?: number;
}

interface Attempt {
  readonly file: string;
  readonly temp: string;
  readonly token: string;
  readonly transfer: string;
  readonly waitMs: number;
}

/** A lock or claim file as read; its text identifies that very file (it holds a token). */
interface Seen {
  readonly path: string;
  readonly text: string;
  readonly holder: LockHolder | undefined;
}

async function acquire(a: Attempt): Promise<void> {
  let stale: Seen | undefined;
  const deadline = performance.now() + a.waitMs;
  for (let attempt = 0; attempt === 0 || performance.now() < deadline; attempt++) {
    if (await linkNew(a.temp, a.file, a.file)) return;
    const seen = await readLock(a.file, 'locking', a.file);
    if (seen !== undefined) {
      // NFS may answer EEXIST to a link that succeeded when its first reply was lost.
      if (seen.holder?.token === a.token) return;
      if (seen.holder === undefined) throw notALock(a);
      if (!isStale(seen.holder)) throw alreadyRunning(a, seen.holder);
      stale = seen;
      // Removed (then the next link should win), or another process holds the claim.
      if (await removeStale(a, seen, 0)) continue;
    }
    // Gone between link and read, or being taken over: back off.
    await sleep(Math.min(5 * (attempt + 1), 50));
  }
  throw beingTakenOver(a, stale?.holder);
}

/**
 * Removes the stale lock or claim file `stale.path` if it still holds `stale.text`, as the one
 * process holding its claim. Returns false when another live process holds the claim.
 */
async function removeStale(a: Attempt, stale: Seen, depth: number): Promise<boolean> {
  const claim = `${stale.path}.${digest(stale.text)}.takeover`;
  if (!(await linkNew(a.temp, claim, a.file))) {
    const claimant = await readLock(claim, 'locking', a.file);
    if (claimant === undefined) return true;
    if (claimant.holder === undefined || !isStale(claimant.holder)) return false;
    return depth < MAX_CLAIM_DEPTH && removeStale(a, claimant, depth + 1);
  }
  try {
    const current = await readLock(stale.path, 'locking', a.file);
    if (current?.text === stale.text) {
      await fsCall(() => rm(stale.path, { force: true }), 'locking', a.file);
    }
  } finally {
    // A claim left behind only delays others until it is judged stale; not worth failing for.
    await rm(claim, { force: true }).catch(() => undefined);
  }
  return true;
}

/** Links `from` to `to`; false when `to` exists. */
async function linkNew(from: string, to: string, lockFile: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw fsError(error, 'locking', lockFile);
  }
}

/** The content of a lock or claim file, or undefined when there is none. */
async function readLock(path: string, action: string, lockFile: string): Promise<Seen | undefined> {
  try {
    const text = await readFile(path, 'utf8');
    return { path, text, holder: parseHolder(text) };
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw fsError(error, action, lockFile);
  }
}

async function release(file: string, token: string): Promise<void> {
  try {
    const seen = await readLock(file, 'releasing lock', file);
    if (seen?.holder?.token === token) {
      await fsCall(() => rm(file, { force: true }), 'releasing lock', file);
    }
  } finally {
    forgetHolder(token);
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function recovery(a: Attempt, files: string): string {
  return `If no ferry run of transfer "${a.transfer}" is active, delete ${files} and try again.`;
}

function alreadyRunning(a: Attempt, holder: LockHolder): TransientError {
  return new TransientError(
    `transfer "${a.transfer}" is already running (${describeHolder(holder)}): its lock file ` +
      `${a.file} exists. ${recovery(a, a.file)}`,
  );
}

function notALock(a: Attempt): TransientError {
  return new TransientError(
    `cannot lock transfer "${a.transfer}": ${a.file} is not a ferry lock file (or one that an ` +
      `older ferry is still writing). ${recovery(a, a.file)}`,
  );
}

function beingTakenOver(a: Attempt, holder: LockHolder | undefined): TransientError {
  const left =
    holder === undefined ? '' : ` (left by ${describeHolder(holder)}, no longer running)`;
  return new TransientError(
    `cannot lock transfer "${a.transfer}": another process is taking over the stale lock file ` +
      `${a.file}${left}. ${recovery(a, `${a.file} and any ${a.file}.*.takeover file`)}`,
  );
}
