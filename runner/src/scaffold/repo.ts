import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InternalError, isPlainObject } from '@ferry/core';
import { errnoCode, fsCall, fsError } from '@ferry/storage';
import { TEMPLATE_TYPE } from './names.js';

/**
 * The ferry repository around `from`: the nearest directory, `from` or above, whose package.json
 * lists `connectors/*` among its workspaces; `undefined` outside one.
 */
export async function findRepoRoot(from: string): Promise<string | undefined> {
  for (let dir = from; ; dir = dirname(dir)) {
    // An unreadable directory on the way up is not the repository; go on.
    const manifest = await readJson(join(dir, 'package.json')).catch(() => undefined);
    const workspaces = isPlainObject(manifest) ? manifest.workspaces : undefined;
    if (Array.isArray(workspaces) && workspaces.includes('connectors/*')) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The template package: `connectors/example` of the repository at `root` when it has one, else
 * the one next to this runner (its checkout or installed package, three levels above this file).
 */
export function templateDir(root: string | undefined): string {
  const inRepo = root === undefined ? undefined : join(root, 'connectors', TEMPLATE_TYPE);
  if (inRepo !== undefined && existsSync(join(inRepo, 'package.json'))) return inRepo;
  return fileURLToPath(new URL(`../../../connectors/${TEMPLATE_TYPE}`, import.meta.url));
}

/** Names a new connector in `connectorsDir` cannot take: every directory and declared `type`. */
export async function takenNames(connectorsDir: string): Promise<Set<string>> {
  const taken = new Set<string>();
  let entries: string[];
  try {
    entries = await readdir(connectorsDir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return taken;
    throw fsError(error, 'listing', connectorsDir);
  }
  for (const entry of entries) {
    taken.add(entry);
    const manifest = await readJson(join(connectorsDir, entry, 'package.json'));
    const declared = isPlainObject(manifest) ? manifest.ferry : undefined;
    if (isPlainObject(declared) && typeof declared.type === 'string') taken.add(declared.type);
  }
  return taken;
}

/**
 * Adds `name@version` to the dependencies of `<root>/runner/package.json`, the list the runner's
 * built-in connectors come from. Keeps the dependencies sorted as npm sorts them, and the file
 * formatted as npm writes it (two spaces, final newline).
 */
export async function addRunnerDependency(
  root: string,
  name: string,
  version: string,
): Promise<void> {
  const file = join(root, 'runner', 'package.json');
  const manifest = await readJson(file);
  if (!isPlainObject(manifest)) throw new InternalError(`${file} is missing or not a JSON object`);
  const deps = isPlainObject(manifest.dependencies) ? manifest.dependencies : {};
  const entries = Object.entries({ ...deps, [name]: version });
  entries.sort(([a], [b]) => a.localeCompare(b, 'en'));
  const updated = { ...manifest, dependencies: Object.fromEntries(entries) };
  await fsCall(() => writeFile(file, JSON.stringify(updated, null, 2) + '\n'), 'writing', file);
}

/** The parsed JSON of `file`; `undefined` when it is missing or not JSON. */
async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT' || error instanceof SyntaxError) return undefined;
    throw fsError(error, 'reading', file);
  }
}
