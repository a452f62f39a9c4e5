import { pipeline, type Duplex, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isFerryError, RecordError } from '@ferry/core';
import type { ByteSource } from './byte-source.js';

/** Whether a file is gzip-compressed, judged by its name (`.gz`, any case). */
export function isGzipped(name: string): boolean {
  return name.toLowerCase().endsWith('.gz');
}

/**
 * Streams the whole of `source`, gunzipped when its name ends in `.gz`, through `tail` when given
 * (a parser). Aborting `signal` destroys the streams with its reason. Map errors of the returned
 * stream with {@link streamError}.
 */
export async function openStream(
  source: ByteSource,
  signal: AbortSignal | undefined,
  tail?: Duplex,
): Promise<Readable> {
  signal?.throwIfAborted();
  const raw = await source.read();
  const stages: Duplex[] = [];
  if (isGzipped(source.name)) stages.push(createGunzip());
  if (tail !== undefined) stages.push(tail);
  const last = stages.at(-1) ?? raw;
  // pipeline destroys every stage when one fails or the last is destroyed (early exit, abort).
  if (stages.length > 0) pipeline([raw, ...stages], () => undefined);
  if (signal !== undefined) {
    const onAbort = (): void => {
      last.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    last.once('close', () => {
      signal.removeEventListener('abort', onAbort);
    });
  }
  return last;
}

/**
 * The error to throw for a failure while streaming `source`: ferry errors (the source's, the
 * abort reason) unchanged; a gzip failure as a `RecordError` naming the file; anything else (the
 * source's own stream errors) unchanged.
 */
export function streamError(error: unknown, source: ByteSource): unknown {
  if (isFerryError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    const detail = error instanceof Error ? error.message : String(error);
    return new RecordError(`cannot decompress the file: not valid gzip data (${detail})`, {
      position: { key: source.name },
      cause: error,
    });
  }
  return error;
}

/**
 * Splits text arriving in chunks into lines, of any length: `\n` or `\r\n` ends a line; the
 * last line needs no terminator. A UTF-8 byte order mark at the very start is dropped.
 */
export class LineSplitter {
  #pending = '';
  #first = true;

  /** The lines completed by `text`. */
  push(text: string): string[] {
    let chunk = text;
    if (this.#first && chunk.length > 0) {
      this.#first = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    const lines: string[] = [];
    let start = 0;
    let end = chunk.indexOf('\n');
    while (end >= 0) {
      lines.push(trimCr(this.#pending + chunk.slice(start, end)));
      this.#pending = '';
      start = end + 1;
      end = chunk.indexOf('\n', start);
    }
    this.#pending += chunk.slice(start);
    return lines;
  }

  /** The last line, when the text did not end with a line break. */
  end(): string[] {
    const rest = trimCr(this.#pending);
    this.#pending = '';
    return rest === '' ? [] : [rest];
  }
}

function trimCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
