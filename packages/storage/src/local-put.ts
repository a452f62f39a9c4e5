import { InternalError, isFerryError, type FerryError } from '@ferry/core';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { abortError, errnoCode, fsCall, fsError } from './fs-errors.js';
import { pruneEmptyDirs, syncDirs } from './local-dirs.js';
import { localEtag } from './local-info.js';
import { tempNameFor } from './local-temp.js';
import type { ObjectBody, PutResult } from './object-store.js';

/** Where a local put goes. */
export interface PutTarget {
  /** The store's root directory (absolute); directories are never pruned above it. */
  readonly root: string;
  readonly key: string;
  /** The object's absolute path. */
  readonly path: string;
}

// Bytes the file sink buffers before it stops pulling from the body (backpressure).
const SINK_HIGH_WATER_MARK = 256 * 1024;
// A concurrent delete may remove a directory we just created before our temp file is in it.
const OPEN_ATTEMPTS = 3;

/**
 * Streams `body` to a temporary dotfile beside the target, fsyncs it, renames it over the target
 * and fsyncs the directories whose entries changed: the object appears whole or not at all, and
 * is durable when this resolves. On a body error, a file system error or an abort, the temporary
 * file (and directories left empty) are removed and nothing becomes visible.
 * @throws the body's own ferry error; `InternalError` for another body failure; a converted file
 * system error ({@link fsError}); on abort, {@link abortError}.
 */
export async function putLocalFile(
  target: PutTarget,
  body: ObjectBody,
  signal?: AbortSignal,
): Promise<PutResult> {
  const source = toReadable(body);
  // An error the body emits before the pipeline listens (during mkdir) must not crash the
  // process: the pipeline still sees it, as the stream is then errored.
  source.on('error', () => undefined);
  try {
    if (isAborted(signal)) throw abortError(signal, 'writing', target.path);
    return await writeThenRename(target, source, signal);
  } catch (error) {
    source.destroy(); // like pipeline: a body we will not read is not left waiting
    throw error;
  }
}

async function writeThenRename(
  target: PutTarget,
  source: Readable,
  signal: AbortSignal | undefined,
): Promise<PutResult> {
  const dir = dirname(target.path);
  const temp = join(dir, tempNameFor(basename(target.path)));
  let handle: FileHandle | undefined;
  try {
    const opened = await openTemp(dir, temp, target.path);
    handle = opened.handle;
    await streamBody(source, handle, { path: target.path, signal });
    await fsCall(() => opened.handle.sync(), 'writing', target.path);
    const stats = await fsCall(() => opened.handle.stat({ bigint: true }), 'writing', target.path);
    await fsCall(() => opened.handle.close(), 'writing', target.path);
    handle = undefined;
    if (isAborted(signal)) throw abortError(signal, 'writing', target.path);
    await fsCall(() => rename(temp, target.path), 'writing', target.path);
    await syncDirs(opened.changedDirs, target.path);
    return { key: target.key, size: Number(stats.size), etag: localEtag(stats) };
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    await pruneEmptyDirs([dir], target.root).catch(() => undefined);
    throw error;
  }
}

// A function, so that TypeScript does not narrow `aborted` to its earlier value.
function isAborted(signal: AbortSignal | undefined): signal is AbortSignal {
  return signal?.aborted === true;
}

/** The open temp file, and the directories whose entries must be fsynced after the rename. */
interface OpenedTemp {
  readonly handle: FileHandle;
  readonly changedDirs: readonly string[];
}

async function openTemp(dir: string, temp: string, path: string): Promise<OpenedTemp> {
  for (let attempt = 1; ; attempt++) {
    const created = await fsCall(() => mkdir(dir, { recursive: true }), 'writing', path);
    try {
      const handle = await open(temp, 'wx');
      return { handle, changedDirs: dirsToSync(dir, created) };
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT' || attempt === OPEN_ATTEMPTS) {
        throw fsError(error, 'writing', path);
      }
    }
  }
}

/** `dir`, and when mkdir created directories, each one's parent: every entry that changed. */
function dirsToSync(dir: string, firstCreated: string | undefined): string[] {
  const dirs = [dir];
  if (firstCreated === undefined) return dirs;
  const top = dirname(firstCreated);
  for (let d = dir; d !== top && d !== dirname(d); d = dirname(d)) dirs.push(dirname(d));
  return dirs;
}

interface StreamContext {
  readonly path: string;
  readonly signal: AbortSignal | undefined;
}

async function streamBody(source: Readable, handle: FileHandle, context: StreamContext) {
  const { path, signal } = context;
  try {
    const sink = fileSink(handle, path);
    await (signal === undefined ? pipeline(source, sink) : pipeline(source, sink, { signal }));
  } catch (error) {
    throw bodyError(error, context);
  }
}

function bodyError(error: unknown, { path, signal }: StreamContext): FerryError {
  if (isAborted(signal)) return abortError(signal, 'writing', path);
  if (isFerryError(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new InternalError(`writing ${path}: the body failed: ${detail}`, { cause: error });
}

// A raw async iterable source is not interrupted by pipeline's abort while it awaits (the put
// would hang on a stalled body); a Readable is destroyed, so every body becomes one.
function toReadable(body: ObjectBody): Readable {
  if (body instanceof Readable) return body;
  if (body instanceof Uint8Array) return Readable.from([body], { objectMode: false });
  return Readable.from(body, { objectMode: false });
}

/** A Writable over the temp file. It converts fs errors, so any other error is the body's. */
function fileSink(handle: FileHandle, path: string): Writable {
  return new Writable({
    highWaterMark: SINK_HIGH_WATER_MARK,
    write(chunk: Buffer, _encoding, callback) {
      settle(writeAll(handle, chunk, path), callback, path);
    },
    writev(chunks: { chunk: Buffer }[], callback) {
      settle(writeAll(handle, Buffer.concat(chunks.map((c) => c.chunk)), path), callback, path);
    },
  });
}

function settle(work: Promise<void>, callback: (error?: Error | null) => void, path: string) {
  work.then(
    () => {
      callback();
    },
    (error: unknown) => {
      callback(fsError(error, 'writing', path));
    },
  );
}

async function writeAll(handle: FileHandle, bytes: Uint8Array, path: string): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset);
    if (bytesWritten <= 0) {
      throw new InternalError(`writing ${path}: the file system took no bytes`);
    }
    offset += bytesWritten;
  }
}
