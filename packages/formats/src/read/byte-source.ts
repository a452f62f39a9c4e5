import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { RecordError } from '@ferry/core';

/** A byte range of an object, both ends inclusive (like HTTP `Range` and `ObjectStore.get`). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The bytes of one file, as the readers need them: its size, and a stream of all of it or of a
 * range. The lake backs it with `ObjectStore.get(key, { range })`; {@link fileByteSource} and
 * {@link bytesByteSource} serve local files and memory.
 *
 * Readers pass the errors of `read` (and of the streams it returns) through unchanged: a missing
 * or unreadable object is the source's error, not a `RecordError`.
 */
export interface ByteSource {
  /** Where the bytes come from, named in every message (`s3://bucket/key`, `/abs/path`). */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  /** The whole object, or the inclusive `range` of it. */
  read(range?: ByteRange): Promise<Readable>;
}

/** A {@link ByteSource} over a local file; `name` defaults to the path. */
export async function fileByteSource(path: string, name: string = path): Promise<ByteSource> {
  const { size } = await stat(path);
  return {
    name,
    size,
    read: async (range) => {
      const handle = await open(path, 'r');
      const options = range === undefined ? {} : { start: range.start, end: range.end };
      return handle.createReadStream(options);
    },
  };
}

/** A {@link ByteSource} over bytes in memory. */
export function bytesByteSource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.byteLength,
    read: (range) => {
      const part = range === undefined ? bytes : bytes.subarray(range.start, range.end + 1);
      return Promise.resolve(
        Readable.from([Buffer.from(part.buffer, part.byteOffset, part.length)]),
      );
    },
  };
}

/**
 * Bytes `start` (inclusive) to `end` (exclusive) of `source`, read whole.
 *
 * @throws RecordError when fewer or more bytes arrive than asked for (the object changed or is
 *   shorter than its listed size); the source's own errors unchanged.
 */
export async function readRange(
  source: ByteSource,
  start: number,
  end: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const length = end - start;
  const out = new Uint8Array(length);
  if (length <= 0) return out;
  const stream = await source.read({ start, end: end - 1 });
  let filled = 0;
  let overflow = false;
  for await (const chunk of stream as AsyncIterable<Uint8Array>) {
    if (filled + chunk.byteLength > length) {
      overflow = true;
      break; // leaving the loop destroys the stream
    }
    out.set(chunk, filled);
    filled += chunk.byteLength;
  }
  if (overflow || filled !== length) {
    const got = overflow ? 'more than that' : `${filled} bytes`;
    throw new RecordError(
      `reading bytes ${start}-${end - 1} (${length} bytes) gave ${got}: the object is not the listed ${source.size} bytes long, or changed while being read`,
      { position: { key: source.name } },
    );
  }
  return out;
}
