import { readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import { isPlainObject } from '@ferry/core';
import {
  readPackage,
  toConnectorPackage,
  type ConnectorPackage,
  type FoundPackage,
} from './plugins-manifest.js';

/**
 * The runner's package directory (one level above both `src/` and `dist/`). The dependencies in
 * its package.json with a `ferry` field are the built-in connectors, so adding one there and
 * running `npm install` is all it takes to ship a new connector.
 */
export const RUNNER_DIR = fileURLToPath(new URL('..', import.meta.url));

// A large node_modules holds thousands of packages; reading every package.json at once would run
// out of file descriptors.
const READ_CONCURRENCY = 32;

/**
 * The `node_modules` directories a package is looked for in, nearest first: those of each
 * directory of `from` and of its ancestors, in that order, each once.
 */
export function nodeModulesDirs(from: readonly string[]): string[] {
  const dirs: string[] = [];
  for (const start of from) {
    let dir = resolve(start);
    for (;;) {
      const candidate = join(dir, 'node_modules');
      if (!dirs.includes(candidate)) dirs.push(candidate);
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return dirs;
}

/** Package `name` in the first of `dirs` (node_modules directories) that has it. */
export async function findPackage(
  name: string,
  dirs: readonly string[],
): Promise<FoundPackage | undefined> {
  for (const dir of dirs) {
    const found = await readPackage(join(dir, name));
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The connector packages installed in one `node_modules` directory: `node_modules/<name>` and
 * `node_modules/@scope/<name>`, sorted by name. A missing directory has none.
 */
export async function scanNodeModules(dir: string): Promise<ConnectorPackage[]> {
  const names = await packageNames(dir);
  const limit = pLimit(READ_CONCURRENCY);
  const found = await Promise.all(names.map((name) => limit(() => readPackage(join(dir, name)))));
  return found
    .map((pkg) => (pkg === undefined ? undefined : toConnectorPackage(pkg, 'installed')))
    .filter((pkg) => pkg !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function packageNames(dir: string): Promise<string[]> {
  const top = await subdirectories(dir);
  const names: string[] = [];
  for (const name of top) {
    // `.bin`, `.cache`, `.package-lock.json` and the like are npm's, not packages.
    if (name.startsWith('.')) continue;
    if (!name.startsWith('@')) names.push(name);
    else names.push(...(await subdirectories(join(dir, name))).map((inner) => `${name}/${inner}`));
  }
  return names;
}

/** Names of the directories (or links to them) in `dir`; none when `dir` cannot be read. */
async function subdirectories(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name);
  } catch {
    return [];
  }
}

/**
 * The built-in connector packages: the dependencies of the package in `packageDir` (by default
 * the runner) whose own package.json has a `ferry` field. A dependency that is not installed is
 * skipped: nothing says it is a connector.
 */
export async function builtinPackages(packageDir = RUNNER_DIR): Promise<ConnectorPackage[]> {
  const owner = await readPackage(packageDir);
  const dependencies = owner?.manifest.dependencies;
  if (!isPlainObject(dependencies)) return [];
  const dirs = nodeModulesDirs([packageDir]);
  const found = await Promise.all(Object.keys(dependencies).map((n) => findPackage(n, dirs)));
  return found
    .map((pkg) => (pkg === undefined ? undefined : toConnectorPackage(pkg, 'builtin')))
    .filter((pkg) => pkg !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}
