import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The `ferry` executable as users run it. */
export const ferryBin = join(repoRoot, 'runner/bin/ferry.js');

/** What a finished CLI process left. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runFerry}. */
export interface RunFerryOptions {
  readonly cwd: string;
  readonly env?: Record<string, string | undefined>;
}

/** Runs `ferry <args>` as a separate process and waits for it to exit. */
export function runFerry(args: readonly string[], options: RunFerryOptions): Promise<CliResult> {
  return collect(args, options, 'all');
}

/**
 * Runs `ferry <args>` and closes the read end of its stdout as soon as the first chunk arrives, as
 * `ferry … | head -1` does; waits for it to exit. `stdout` is that first chunk.
 */
export function runFerryClosingStdout(
  args: readonly string[],
  options: RunFerryOptions,
): Promise<CliResult> {
  return collect(args, options, 'first chunk');
}

function collect(
  args: readonly string[],
  options: RunFerryOptions,
  read: 'all' | 'first chunk',
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [ferryBin, ...args], {
      cwd: options.cwd,
      env: { ...process.env, FERRY_LOG_LEVEL: undefined, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    if (read === 'all') child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    else {
      child.stdout.setEncoding('utf8').once('data', (chunk: string) => {
        stdout = chunk;
        child.stdout.destroy();
      });
    }
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => {
      done({ code, stdout, stderr });
    });
  });
}

/** The JSON objects printed one per line on stdout. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A fresh temporary directory, removed by the returned cleanup. */
export async function tempDir(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'ferry-e2e-'));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** A stack trace line, which expected errors must never print. */
export const STACK_LINE = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;
