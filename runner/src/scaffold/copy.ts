import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsCall } from '@ferry/storage';

// Build output, installed packages and caches belong to the template's own checkout.
const SKIPPED_DIRS = new Set(['dist', 'node_modules', '.turbo']);

/**
 * Copies the template directory `from` to `to` (created if missing), passing the text of every
 * file and every file name through `rename`. Files with a NUL byte are binary: copied unchanged.
 * @returns the paths written, relative to `to`, in the order they were written.
 */
export async function copyTemplate(
  from: string,
  to: string,
  rename: (text: string) => string,
): Promise<string[]> {
  const written: string[] = [];
  await copyDir({ from, to, rename, relative: '', written });
  return written;
}

interface CopyStep {
  readonly from: string;
  readonly to: string;
  readonly rename: (text: string) => string;
  /** Path of `from` below the template, for the list of written files. */
  readonly relative: string;
  readonly written: string[];
}

async function copyDir(step: CopyStep): Promise<void> {
  await fsCall(() => mkdir(step.to, { recursive: true }), 'creating', step.to);
  const entries = await fsCall(
    () => readdir(step.from, { withFileTypes: true }),
    'listing',
    step.from,
  );
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const name = step.rename(entry.name);
    const next = {
      ...step,
      from: join(step.from, entry.name),
      to: join(step.to, name),
      relative: step.relative === '' ? name : `${step.relative}/${name}`,
    };
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) await copyDir(next);
    else if (entry.isFile() && !entry.name.endsWith('.tsbuildinfo')) await copyFile(next);
  }
}

async function copyFile(step: CopyStep): Promise<void> {
  const bytes = await fsCall(() => readFile(step.from), 'reading', step.from);
  const out = bytes.includes(0) ? bytes : step.rename(bytes.toString('utf8'));
  await fsCall(() => writeFile(step.to, out, { flag: 'wx' }), 'writing', step.to);
  step.written.push(step.relative);
}
