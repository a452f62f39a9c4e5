import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Row } from '@ferry/core';
import { createWriter, type FileFormat, type WriterOptions, type WriteSummary } from './writer.js';

/** A fresh temporary directory; `cleanup` removes it. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-formats-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Options of {@link writeFile}. */
export interface WriteFileOptions extends WriterOptions {
  readonly format: FileFormat;
  readonly path: string;
}

/** Writes `batches` to a file at `path` through a writer, consuming its output meanwhile. */
export async function writeFile(
  options: WriteFileOptions,
  batches: readonly (readonly Row[])[],
): Promise<WriteSummary> {
  const writer = createWriter(options.format, options);
  const stored = pipeline(writer.output, createWriteStream(options.path));
  for (const rows of batches) await writer.write(rows);
  const summary = await writer.close();
  await stored;
  return summary;
}
