import { readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isPlainObject } from '@ferry/core';

/** Where a connector comes from: shipped with the runner, or installed next to a transfer. */
export type ConnectorOrigin = 'builtin' | 'installed';

/** An npm package as found on disk: its name, real directory and parsed `package.json`. */
export interface FoundPackage {
  readonly name: string;
  /** Real path (symlinks resolved), so one package reached twice is recognised. */
  readonly dir: string;
  readonly manifest: Readonly<Record<string, unknown>>;
}

/**
 * A connector package (its `package.json` has a `ferry` field), read but not imported yet.
 * What it declares is kept as declared and checked by `checkDeclaration` (plugins-declaration),
 * so a broken plugin can still be listed with its problem.
 */
export interface ConnectorPackage {
  /** npm package name, e.g. `@acme/ferry-connector-x`; a transfer may name it by this. */
  readonly name: string;
  readonly version: string | undefined;
  /** Real path of the package directory. */
  readonly dir: string;
  readonly origin: ConnectorOrigin;
  /** `ferry.type`: the short type a transfer may use instead of the package name (unchecked). */
  readonly type: string | undefined;
  /** `ferry.contract` as declared: the connector contract version it was built for. */
  readonly contract: unknown;
  /** URL of the module its main export resolves to (`exports` `.`, else `main`, else index.js). */
  readonly entry: string | undefined;
}

// npm's rules for a package name, which also keeps a transfer's `type` from walking out of
// node_modules when it is joined to a path.
const PACKAGE_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** True when `name` can be an npm package name (`sample`, `@acme/ferry-connector-x`). */
export function isPackageName(name: string): boolean {
  return PACKAGE_NAME.test(name) && name.length <= 214;
}

/** How messages name a package: `@acme/x (/project/node_modules/@acme/x)`. */
export function describePackage(pkg: { readonly name: string; readonly dir: string }): string {
  return `${pkg.name} (${pkg.dir})`;
}

/**
 * The package in `dir`, or `undefined` when `dir` has no `package.json` that parses to an object
 * with a `name` (not a package, or one being installed right now).
 */
export async function readPackage(dir: string): Promise<FoundPackage | undefined> {
  let manifest: unknown;
  let real: string;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as unknown;
    real = await realpath(dir);
  } catch {
    return undefined;
  }
  if (!isPlainObject(manifest) || typeof manifest.name !== 'string') return undefined;
  return { name: manifest.name, dir: real, manifest };
}

/** The connector package `found` is, or `undefined` when it has no `ferry` field. */
export function toConnectorPackage(
  found: FoundPackage,
  origin: ConnectorOrigin,
): ConnectorPackage | undefined {
  const { manifest, dir, name } = found;
  const ferry = manifest.ferry;
  if (!isPlainObject(ferry)) return undefined;
  const target = manifest.exports === undefined ? mainOf(manifest) : exportTarget(manifest.exports);
  return {
    name,
    version: typeof manifest.version === 'string' ? manifest.version : undefined,
    dir,
    origin,
    type: typeof ferry.type === 'string' && ferry.type !== '' ? ferry.type : undefined,
    contract: ferry.contract,
    entry: target === undefined ? undefined : pathToFileURL(join(dir, target)).href,
  };
}

function mainOf(manifest: Readonly<Record<string, unknown>>): string {
  return typeof manifest.main === 'string' && manifest.main !== '' ? manifest.main : 'index.js';
}

// The conditions Node itself uses for `import()` of a package.
const CONDITIONS = new Set(['node', 'import', 'default']);

/** The file of the `.` export of an `exports` field, as Node picks it for `import()`. */
function exportTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const target = exportTarget(item);
      if (target !== undefined) return target;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  if (Object.keys(value).some((key) => key.startsWith('.'))) return exportTarget(value['.']);
  // Conditions are tried in the order the package lists them, as Node does.
  for (const [condition, target] of Object.entries(value)) {
    if (!CONDITIONS.has(condition)) continue;
    const resolved = exportTarget(target);
    if (resolved !== undefined) return resolved;
  }
  return undefined;
}
