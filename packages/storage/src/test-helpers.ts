// Helpers for this package's tests (excluded from the build).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

/** A fresh temporary directory; `cleanup` removes it. */
export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-storage-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Everything a stream yields, as one buffer. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Every file and directory under `dir`, as sorted relative paths (directories end in `/`). */
export async function treeOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .map((e) => relative(dir, join(e.parentPath, e.name)) + (e.isDirectory() ? '/' : ''))
    .sort();
}

/** A body that yields `first`, then waits until released (to observe a put in progress). */
export function gatedBody(first: Uint8Array): {
  body: AsyncIterable<Uint8Array>;
  release: (rest: Uint8Array) => void;
} {
  let release: (rest: Uint8Array) => void = () => undefined;
  const rest = new Promise<Uint8Array>((resolve) => {
    release = resolve;
  });
  async function* body() {
    yield first;
    yield await rest;
  }
  return {
    body: body(),
    release: (bytes) => {
      release(bytes);
    },
  };
}

/** A body yielding `chunks` one tick apart, like a real producer, then failing with `error`. */
export async function* bodyOf(
  chunks: readonly Uint8Array[],
  error?: Error,
): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) {
    await Promise.resolve();
    yield chunk;
  }
  if (error !== undefined) throw error;
}

/** Polls until `check` holds: synchronization with a put in progress, not a timing assertion. */
export async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await sleep(10);
  }
  throw new Error('condition not reached');
}

/** Temp files (`.*.ferry-tmp`) anywhere under `dir`. */
export async function tempFilesIn(dir: string): Promise<string[]> {
  return (await treeOf(dir)).filter((p) => p.endsWith('.ferry-tmp'));
}
