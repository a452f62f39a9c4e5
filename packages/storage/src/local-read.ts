import { ConnectionError, InternalError, type TransientError } from '@ferry/core';
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { abortError, errnoCode, fsCall, fsError } from './fs-errors.js';
import { localEtag } from './local-info.js';
import type { GetOptions } from './object-store.js';
import { objectChanged, objectDeleted } from './object-version.js';

// Bytes per read(2); also the stream's buffer, so a slow consumer holds about this much.
const CHUNK_BYTES = 64 * 1024;

/** Bytes `[start, end)` of a file. */
interface ByteSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * Opens the file at `path` and streams it (or the inclusive `range` of it, clamped to its size).
 * The file is opened before this resolves, so a missing object fails here, and a put replacing it
 * meanwhile does not change what the stream returns (it reads the file it opened). Errors while
 * streaming are ferry errors too; aborting destroys the stream with {@link abortError}. With
 * `etag`, the opened file's etag must be that one, so the stream returns that version or fails.
 * @throws ConnectionError when no file exists at `path` (without `etag`); TransientError when it
 * was deleted or rewritten since it had `etag`; InternalError for an invalid range or one
 * starting at or beyond the end of the object (like S3's 416).
 */
export async function readLocalFile(path: string, options: GetOptions = {}): Promise<Readable> {
  const { signal, etag } = options;
  if (signal?.aborted === true) throw abortError(signal, 'reading', path);
  const handle = await openFile(path, etag);
  try {
    const stats = await fsCall(() => handle.stat({ bigint: true }), 'reading', path);
    if (!stats.isFile()) throw noSuchObject(path, etag);
    if (etag !== undefined && localEtag(stats) !== etag) throw objectChanged(path);
    const span = byteSpan(options.range, Number(stats.size), path);
    const stream = Readable.from(readChunks(handle, span, { path, etag }), {
      objectMode: false,
      highWaterMark: CHUNK_BYTES,
    });
    // Also when the stream is destroyed before its first read (the generator never ran).
    stream.once('close', () => void handle.close().catch(() => undefined));
    if (signal !== undefined) destroyOnAbort(stream, signal, path);
    return stream;
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

// Non-blocking, so that opening a FIFO found at a key's path returns (to be refused as no object)
// instead of waiting for a writer; it changes nothing for regular files.
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

async function openFile(path: string, etag: string | undefined): Promise<FileHandle> {
  try {
    return await open(path, READ_FLAGS);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw noSuchObject(path, etag, error);
    throw fsError(error, 'reading', path);
  }
}

/** No object at `path`: deleted since it was listed when the read expected the version `etag`. */
function noSuchObject(
  path: string,
  etag: string | undefined,
  cause?: unknown,
): ConnectionError | TransientError {
  if (etag !== undefined) return objectDeleted(path, cause);
  return new ConnectionError(`reading ${path}: no such object`, { cause });
}

function byteSpan(range: GetOptions['range'], size: number, path: string): ByteSpan {
  if (range === undefined) return { start: 0, end: size };
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new InternalError(`reading ${path}: invalid byte range ${start}-${end}`);
  }
  if (start >= size) {
    throw new InternalError(
      `reading ${path}: byte range ${start}-${end} starts beyond its ${size} bytes`,
    );
  }
  return { start, end: Math.min(end + 1, size) };
}

/**
 * The bytes of `span`. With `etag`, the file is checked again once they are read: a file
 * rewritten in place (truncated and written through the same inode) while it was read ends the
 * stream with the "changed" error instead of a mix of two versions.
 */
async function* readChunks(
  handle: FileHandle,
  span: ByteSpan,
  file: { readonly path: string; readonly etag: string | undefined },
) {
  const { path, etag } = file;
  try {
    for (let position = span.start; position < span.end;) {
      const length = Math.min(CHUNK_BYTES, span.end - position);
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      if (bytesRead === 0) break; // truncated meanwhile: end where the file ends now
      position += bytesRead;
      yield bytesRead === length ? buffer : buffer.subarray(0, bytesRead);
    }
  } catch (error) {
    throw fsError(error, 'reading', path);
  }
  if (etag === undefined) return;
  const stats = await fsCall(() => handle.stat({ bigint: true }), 'reading', path);
  if (localEtag(stats) !== etag) throw objectChanged(path);
}

function destroyOnAbort(stream: Readable, signal: AbortSignal, path: string): void {
  const onAbort = () => stream.destroy(abortError(signal, 'reading', path));
  signal.addEventListener('abort', onAbort, { once: true });
  stream.once('close', () => {
    signal.removeEventListener('abort', onAbort);
  });
}
