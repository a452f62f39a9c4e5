import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectionError, TransientError } from '@ferry/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lockTransfer } from './lock.js';
import { compileLockModule, deadPid, startLocker, type Locker } from './test-lock-child.js';

let dir: string;
let lockFile: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-lock-'));
  lockFile = join(dir, 't.lock');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const recovery = (file: string): string =>
  `If no ferry run of transfer "t" is active, delete ${file} and try again.`;

function alreadyRunning(holder: { pid: number; host: string; started_at: string }): string {
  return (
    `transfer "t" is already running (pid ${holder.pid} on ${holder.host} since ` +
    `${holder.started_at}): its lock file ${lockFile} exists. ${recovery(lockFile)}`
  );
}

async function holderOf(file: string): Promise<{ pid: number; host: string; started_at: string }> {
  return JSON.parse(await readFile(file, 'utf8')) as {
    pid: number;
    host: string;
    started_at: string;
  };
}

/** Writes a lock file as another process would have, returning its exact text. */
async function writeLock(content: object, file = lockFile): Promise<string> {
  const text = JSON.stringify(content) + '\n';
  await writeFile(file, text);
  return text;
}

const later = { started_at: '2024-05-01T12:00:00.000Z' };

describe('lockTransfer in one process', () => {
  it('writes pid, host, token and start time, and leaves no other file', async () => {
    const lock = await lockTransfer(dir, 't');
    const holder = JSON.parse(await readFile(lockFile, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(holder).sort()).toEqual(['host', 'pid', 'started_at', 'token']);
    expect(holder).toMatchObject({ pid: process.pid, host: hostname() });
    expect(await readdir(dir)).toEqual(['t.lock']);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
    await lock.release();
  });

  it('refuses a second lock while the first is held, naming the lock file', async () => {
    const lock = await lockTransfer(dir, 't');
    const error = await lockTransfer(dir, 't').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toBe(alreadyRunning(await holderOf(lockFile)));
    await lock.release();
    await (await lockTransfer(dir, 't')).release();
  });

  it('does not remove a lock that replaced its own when released', async () => {
    const first = await lockTransfer(dir, 't');
    await rm(lockFile);
    const second = await lockTransfer(dir, 't');
    const text = await readFile(lockFile, 'utf8');
    await first.release();
    expect(await readFile(lockFile, 'utf8')).toBe(text);
    await second.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over a lock of a dead process on this host', async () => {
    await writeLock({ pid: deadPid(), host: hostname(), token: 'old', ...later });
    const lock = await lockTransfer(dir, 't');
    expect((await holderOf(lockFile)).pid).toBe(process.pid);
    expect(await readdir(dir)).toEqual(['t.lock']);
    await lock.release();
  });

  it('takes over a lock with our own pid that this process does not hold (restarted as pid 1)', async () => {
    await writeLock({ pid: process.pid, host: hostname(), token: 'before-restart', ...later });
    const lock = await lockTransfer(dir, 't');
    expect(await readFile(lockFile, 'utf8')).not.toContain('before-restart');
    await lock.release();
  });

  it('respects a lock from another host', async () => {
    const holder = { pid: 1, host: 'elsewhere.example', token: 'x', ...later };
    const text = await writeLock(holder);
    const error = await lockTransfer(dir, 't').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toBe(alreadyRunning(holder));
    expect(await readFile(lockFile, 'utf8')).toBe(text);
    expect(await readdir(dir)).toEqual(['t.lock']);
  });

  it('refuses a lock file that is not a ferry lock', async () => {
    await writeFile(lockFile, '');
    const error = await lockTransfer(dir, 't').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toBe(
      `cannot lock transfer "t": ${lockFile} is not a ferry lock file (or one that an older ` +
        `ferry is still writing). ${recovery(lockFile)}`,
    );
  });

  it('takes over a stale lock whose takeover claim was left by a dead process', async () => {
    const stale = await writeLock({ pid: deadPid(), host: hostname(), token: 'a', ...later });
    const digest = createHash('sha256').update(stale).digest('hex').slice(0, 16);
    const claim = `${lockFile}.${digest}.takeover`;
    await writeLock({ pid: deadPid(), host: hostname(), token: 'b', ...later }, claim);
    const lock = await lockTransfer(dir, 't');
    expect(await readdir(dir)).toEqual(['t.lock']);
    await lock.release();
  });

  it('waits for a live takeover claim, then reports it with the files to delete', async () => {
    const stale = await writeLock({ pid: deadPid(), host: hostname(), token: 'a', ...later });
    const digest = createHash('sha256').update(stale).digest('hex').slice(0, 16);
    await writeLock(
      { pid: 1, host: 'elsewhere.example', token: 'b' },
      `${lockFile}.${digest}.takeover`,
    );
    const error = await lockTransfer(dir, 't', { takeoverWaitMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    const { pid } = await holderOf(lockFile);
    expect((error as Error).message).toBe(
      `cannot lock transfer "t": another process is taking over the stale lock file ${lockFile} ` +
        `(left by pid ${pid} on ${hostname()} since ${later.started_at}, no longer running). ` +
        recovery(`${lockFile} and any ${lockFile}.*.takeover file`),
    );
  });

  it('takes the lock once a slow takeover by another process ends (seconds, not attempts)', async () => {
    const stale = await writeLock({ pid: deadPid(), host: hostname(), token: 'a', ...later });
    const digest = createHash('sha256').update(stale).digest('hex').slice(0, 16);
    const claim = `${lockFile}.${digest}.takeover`;
    await writeLock({ pid: 1, host: 'elsewhere.example', token: 'b' }, claim);
    // The other process removes the stale lock and its claim after 2 s (the old limit was 1.3 s).
    const finished = (async () => {
      await sleep(2000);
      await rm(lockFile);
      await rm(claim);
    })();
    const lock = await lockTransfer(dir, 't');
    await finished;
    expect((await holderOf(lockFile)).pid).toBe(process.pid);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('says what failed when the state directory cannot be created', async () => {
    await writeFile(join(dir, 'afile'), '');
    const stateDir = join(dir, 'afile', 'state');
    const error = await lockTransfer(stateDir, 't').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe(
      `locking ${join(stateDir, 't.lock')}: a file is in the way of a directory ` +
        `(ENOTDIR, mkdir ${stateDir})`,
    );
    expect((error as Error).cause).toMatchObject({ code: 'ENOTDIR' });
  });

  it('says what failed when a directory is where the lock file should be', async () => {
    await mkdir(lockFile);
    const error = await lockTransfer(dir, 't').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe(
      `locking ${lockFile}: a directory is in the way of a file (EISDIR, read)`,
    );
  });
});

describe('lockTransfer across processes', () => {
  let script: string;
  beforeAll(async () => (script = await compileLockModule()));
  afterAll(() => rm(join(script, '..'), { recursive: true, force: true }));

  /** Starts `count` locker processes and waits until each is ready. */
  async function lockers(count: number): Promise<Locker[]> {
    const started = Array.from({ length: count }, () => startLocker(script, dir, 't'));
    for (const locker of started) expect(await locker.next()).toBe('ready');
    return started;
  }

  /** Lets `racers` try to lock at the same time; returns what each printed. */
  async function race(racers: readonly Locker[]): Promise<string[]> {
    for (const locker of racers) locker.send('go');
    return Promise.all(racers.map((locker) => locker.next()));
  }

  it('respects a live process, then takes over once it was killed', async () => {
    const [holder] = await lockers(1);
    expect(await race([holder!])).toEqual(['won']);
    const error = await lockTransfer(dir, 't').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    const content = await holderOf(lockFile);
    expect(content.pid).toBe(holder!.child.pid);
    expect((error as Error).message).toBe(alreadyRunning(content));
    holder!.child.kill('SIGKILL');
    await holder!.finish();
    const lock = await lockTransfer(dir, 't');
    expect((await holderOf(lockFile)).pid).toBe(process.pid);
    await lock.release();
  });

  it.each(['no lock', 'a stale lock'])(
    'lets exactly one of 10 racing processes win over %s, every time',
    async (start) => {
      const racers = await lockers(10);
      const dead = deadPid();
      try {
        for (let trial = 0; trial < 20; trial++) {
          if (start === 'a stale lock') {
            await writeLock({ pid: dead, host: hostname(), token: `t${trial}`, ...later });
          }
          const results = await race(racers);
          const winners = racers.filter((_, i) => results[i] === 'won');
          expect(winners.map((w) => w.child.pid)).toEqual([(await holderOf(lockFile)).pid]);
          for (const result of results.filter((r) => r !== 'won')) {
            expect(JSON.parse(result)).toMatchObject({ name: 'TransientError' });
            expect(result).toContain(`its lock file ${lockFile} exists`);
          }
          for (const locker of racers) locker.send('release');
          for (const locker of racers) expect(await locker.next()).toBe('released');
          expect(await readdir(dir)).toEqual([]);
        }
      } finally {
        await Promise.all(racers.map((locker) => locker.finish()));
      }
    },
    60_000,
  );
});
