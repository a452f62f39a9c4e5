import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * Lock tests need real concurrent processes. They run this source, not `dist/` (which the test
 * task does not rebuild): `lock.ts` and the local modules it imports are transpiled into a scratch
 * directory whose `node_modules` links to the workspace's, so `@ferry/core` resolves as usual.
 */
export async function compileLockModule(): Promise<string> {
  const src = dirname(fileURLToPath(import.meta.url));
  const out = await mkdtemp(join(tmpdir(), 'ferry-lock-child-'));
  await symlink(findNodeModules(src), join(out, 'node_modules'), 'dir');
  const pending = ['lock.ts'];
  const done = new Set<string>();
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (done.has(name)) continue;
    done.add(name);
    const source = await readFile(join(src, name), 'utf8');
    for (const [, local] of source.matchAll(/from '\.\/([\w-]+)\.js'/g))
      pending.push(`${local}.ts`);
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    await writeFile(join(out, name.replace(/\.ts$/, '.js')), outputText);
  }
  await writeFile(join(out, 'locker.mjs'), LOCKER);
  return join(out, 'locker.mjs');
}

function findNodeModules(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules');
    if (existsSync(join(candidate, '@ferry', 'core'))) return candidate;
  }
  throw new Error(`no node_modules with @ferry/core above ${from}`);
}

/**
 * A process that prints "ready", then on each stdin line "go" tries to lock and prints "won" or
 * the error as JSON, and on "release" releases the lock it holds and prints "released". It is
 * reused across trials so that a trial is not dominated by process start-up.
 */
const LOCKER = `
import { createInterface } from 'node:readline';
import { lockTransfer } from './lock.js';
const [dir, transfer] = process.argv.slice(2);
const say = (line) => process.stdout.write(line + '\\n');
let lock;
say('ready');
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'go') {
    try {
      lock = await lockTransfer(dir, transfer);
      say('won');
    } catch (error) {
      say(JSON.stringify({ name: error.name, message: error.message }));
    }
  } else if (line === 'release') {
    await lock?.release();
    lock = undefined;
    say('released');
  }
}
await lock?.release();
`;

/** One locker process and the lines it printed so far. */
export interface Locker {
  readonly child: ChildProcessWithoutNullStreams;
  /** Sends one command line ("go", "release"). */
  send(line: string): void;
  /** The next line the process prints. */
  next(): Promise<string>;
  /** Ends its stdin (a winner releases its lock) and waits for it to exit. */
  finish(): Promise<void>;
}

/** Starts a locker process of `script` (see {@link compileLockModule}) on `dir`/`transfer`. */
export function startLocker(script: string, dir: string, transfer: string): Locker {
  const child = spawn(process.execPath, [script, dir, transfer], { stdio: 'pipe' });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    child,
    send(line) {
      child.stdin.write(`${line}\n`);
    },
    async next() {
      const line = await lines.next();
      if (line.done === true) throw new Error(`locker exited early: ${stderr}`);
      return line.value;
    },
    async finish() {
      child.stdin.end();
      await exited;
    },
  };
}

/** The pid of a process that has exited (and is unlikely to be reused during a test). */
export function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid;
}
