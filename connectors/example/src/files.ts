/**
 * The one module that talks to the "vendor", here the local file system: every failure leaves it
 * as a ferry error (through `fsCall` / `fsError` of `@ferry/storage`). A connector for a web API
 * would keep its HTTP client and its error mapping in a file like this one.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { isFerryError, RecordError, type CheckResult } from '@ferry/core';
import { errnoCode, fsCall, fsError } from '@ferry/storage';

/** Creates `dir` and its parents if missing. */
export async function makeDirectory(dir: string): Promise<void> {
  await fsCall(() => fs.mkdir(dir, { recursive: true }), 'creating directory', dir);
}

/** The names of the entries of `dir`. */
export function listDirectory(dir: string): Promise<string[]> {
  return fsCall(() => fs.readdir(dir), 'listing', dir);
}

/** The size of `file` in bytes; 0 when it does not exist. */
export async function sizeOf(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return 0;
    throw fsError(error, 'reading the size of', file);
  }
}

/** Cuts `file` back to `bytes` (rows after that point are dropped). */
export async function truncateFile(file: string, bytes: number): Promise<void> {
  await fsCall(() => fs.truncate(file, bytes), 'truncating', file);
}

/** Deletes `file`; nothing happens when it does not exist. */
export async function removeFile(file: string): Promise<void> {
  await fsCall(() => fs.rm(file, { force: true }), 'deleting', file);
}

/** Renames `from` over `to` in one step: a reader sees the old file or the new one, never half. */
export async function moveFile(from: string, to: string): Promise<void> {
  await fsCall(() => fs.rename(from, to), 'renaming', `${from} to ${to}`);
}

/**
 * The parsed JSON of `file`, or `undefined` when it does not exist.
 * @throws RecordError when it is not JSON.
 */
export async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw fsError(error, 'reading', file);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new RecordError('the file is not JSON', { position: { key: file }, cause: error });
  }
}

/** Writes `value` as JSON to `file` atomically: a temporary file, flushed, renamed over. */
export async function writeJson(file: string, value: unknown): Promise<void> {
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  const out = await AppendFile.open(temp);
  try {
    await out.append(JSON.stringify(value, null, 2) + '\n');
    await out.sync();
  } finally {
    await out.close();
  }
  await moveFile(temp, file);
}

/** The lines of `file`, without their line ends. */
export async function* readLines(file: string): AsyncGenerator<string> {
  try {
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    for await (const line of lines) yield line;
  } catch (error) {
    throw fsError(error, 'reading', file);
  }
}

/** A file opened for appending; `sync` makes what was appended durable. */
export class AppendFile {
  readonly #handle: fs.FileHandle;
  readonly path: string;

  private constructor(handle: fs.FileHandle, path: string) {
    this.#handle = handle;
    this.path = path;
  }

  /** Opens `path` for appending, creating it if missing. */
  static async open(path: string): Promise<AppendFile> {
    return new AppendFile(await fsCall(() => fs.open(path, 'a'), 'opening', path), path);
  }

  /** Appends `text` (all of it: `appendFile` loops over short writes). */
  async append(text: string): Promise<void> {
    await fsCall(() => this.#handle.appendFile(text, 'utf8'), 'writing', this.path);
  }

  /** Flushes to disk (fsync) and returns the file's size. */
  async sync(): Promise<number> {
    await fsCall(() => this.#handle.sync(), 'flushing', this.path);
    return (await fsCall(() => this.#handle.stat(), 'reading the size of', this.path)).size;
  }

  /** Closes the file; closing twice is harmless. */
  async close(): Promise<void> {
    await this.#handle.close().catch(() => undefined);
  }
}

/**
 * `check` of both roles: the directory can be read (`read`), or created and written (`write`,
 * with a probe file that is removed again). Expected failures become `{ok: false}`.
 */
export async function checkDirectory(dir: string, access: 'read' | 'write'): Promise<CheckResult> {
  try {
    if (access === 'write') {
      await makeDirectory(dir);
      const probe = join(dir, `.ferry-check-${randomBytes(4).toString('hex')}`);
      await writeJson(probe, { probe: true });
      await removeFile(probe);
      return { ok: true, details: [`wrote and deleted a probe file in ${dir}`] };
    }
    const entries = await listDirectory(dir);
    return { ok: true, details: [`${String(entries.length)} entries in ${dir}`] };
  } catch (error) {
    if (!isFerryError(error) || error.code === 'internal') throw error;
    return { ok: false, error: error.message };
  }
}
