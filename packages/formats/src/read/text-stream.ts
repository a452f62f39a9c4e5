import { pipeline, type Duplex, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InternalError, isFerryError, RecordError } from '@ferry/core';
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
 * The longest line the text readers take, in UTF-16 code units: V8's longest string (2^29 - 24 on
 * 64-bit, 512 MiB of ASCII), since a line is held whole to be parsed. A longer one could only fail
 * inside V8 with a `RangeError` that names neither the file nor the line.
 */
export const MAX_LINE_CHARS = 2 ** 29 - 24;

/** Stands, in a {@link LineSplitter}'s output, for a line longer than its limit. */
export const LONG_LINE: unique symbol = Symbol('line longer than the limit');

/**
 * Splits text arriving in chunks into lines: `\n` or `\r\n` ends a line; the last line needs no
 * terminator. A UTF-8 byte order mark at the very start is dropped. A line longer than
 * `maxChars` (a CR before its LF counted) comes out as {@link LONG_LINE} as soon as it passes the
 * limit, and the rest of it, up to its line break, is dropped without being held.
 */
export class LineSplitter {
  readonly #maxChars: number;
  #pending = '';
  #first = true;
  /** Inside a line already given out as {@link LONG_LINE}. */
  #dropping = false;

  constructor(maxChars: number = MAX_LINE_CHARS) {
    this.#maxChars = maxChars;
  }

  /** The lines completed by `text`, and {@link LONG_LINE} for a line that passed the limit. */
  push(text: string): (string | typeof LONG_LINE)[] {
    let chunk = text;
    if (this.#first && chunk.length > 0) {
      this.#first = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    const lines: (string | typeof LONG_LINE)[] = [];
    let start = 0;
    for (;;) {
      const end = chunk.indexOf('\n', start);
      const stop = end < 0 ? chunk.length : end;
      if (this.#dropping) {
        this.#dropping = end < 0;
      } else if (this.#pending.length + (stop - start) > this.#maxChars) {
        lines.push(LONG_LINE);
        this.#pending = '';
        this.#dropping = end < 0;
      } else if (end >= 0) {
        lines.push(trimCr(this.#pending + chunk.slice(start, end)));
        this.#pending = '';
      } else {
        this.#pending += chunk.slice(start);
      }
      if (end < 0) return lines;
      start = end + 1;
    }
  }

  /** The last line, when the text did not end with a line break. */
  end(): string[] {
    const rest = trimCr(this.#pending);
    this.#pending = '';
    this.#dropping = false;
    return rest === '' ? [] : [rest];
  }
}

/**
 * Why a line or record longer than `maxChars` is refused: `the line is longer than 512 MiB; ferry
 * reads lines up to that size`. A UTF-8 text holds at least as many bytes as UTF-16 units, so the
 * size holds in bytes too.
 */
export function tooLongReason(what: 'line' | 'record', maxChars: number): string {
  const size =
    maxChars >= 2 ** 20 ? `${Math.round(maxChars / 2 ** 20)} MiB` : `${maxChars} characters`;
  return `the ${what} is longer than ${size}; ferry reads ${what}s up to that size`;
}

/**
 * Validates an option limiting text to `least` to {@link MAX_LINE_CHARS} characters (a
 * `maxLineChars`, `maxRecordChars`: its `name` in the error), defaulting to that maximum.
 */
export function maxCharsOption(name: string, value: number | undefined, least = 1): number {
  const chars = value ?? MAX_LINE_CHARS;
  if (!Number.isSafeInteger(chars) || chars < least || chars > MAX_LINE_CHARS) {
    throw new InternalError(
      `${name} must be an integer from ${least} to ${MAX_LINE_CHARS}, got ${chars}`,
    );
  }
  return chars;
}

function trimCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
