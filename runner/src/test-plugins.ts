// Helpers of plugins.test.ts: real connector packages written into real node_modules directories.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ConfigError } from '@ferry/core';

/** What {@link install} writes. */
export interface PackageSpec {
  /** `package.json` fields besides name and version. */
  readonly manifest?: object;
  /** The module's text; default: a valid source of the declared type. */
  readonly code?: string;
}

/** Writes package `name` into `<dir>/node_modules/<name>` and returns its directory. */
export async function install(dir: string, name: string, spec: PackageSpec = {}): Promise<string> {
  const pkgDir = join(dir, 'node_modules', name);
  await mkdir(pkgDir, { recursive: true });
  const manifest = { name, version: '1.2.3', type: 'module', main: 'index.js', ...spec.manifest };
  await writeFile(join(pkgDir, 'package.json'), JSON.stringify(manifest));
  const type = (manifest as { ferry?: { type?: string } }).ferry?.type ?? 'none';
  await writeFile(join(pkgDir, 'index.js'), spec.code ?? connectorCode('source', type));
  return pkgDir;
}

/** A valid connector module exporting one `role` of `type`. */
export function connectorCode(role: 'source' | 'destination', type: string, extra = ''): string {
  const methods =
    role === 'source'
      ? 'check: async () => ({ ok: true }), discover: async () => ({ streams: [] }), async *read() {},'
      : 'check: async () => ({ ok: true }), async *write() {},';
  const capabilities =
    role === 'source'
      ? "{ syncModes: ['full_refresh'] }"
      : "{ writeModes: ['append'], formats: [], layouts: [] }";
  return `export const ${role} = {
  kind: '${role}', type: '${type}', title: 'T ${type}', summary: 'About ${type}.',
  configSchema: { type: 'object', additionalProperties: false, properties: {} },
  capabilities: ${capabilities}, ${methods} ${extra}
};\n`;
}

/** The `ferry` field of a connector package's package.json. */
export const plugin = (type: string, contract: unknown = 1): object => ({
  ferry: { contract, type },
});

/**
 * A package depending on exactly the `sample` and `filesystem` connectors (linked to this
 * repository's), for `builtinsFrom`: tests that list built-ins stay right when `ferry new
 * connector` adds one to the runner.
 */
export async function twoBuiltins(root: string): Promise<string> {
  const owner = join(root, 'ferry-runner');
  const deps: Record<string, string> = {};
  for (const name of ['sample', 'filesystem']) {
    const link = join(owner, 'node_modules', '@ferry', `connector-${name}`);
    await mkdir(join(link, '..'), { recursive: true });
    await symlink(fileURLToPath(new URL(`../../connectors/${name}`, import.meta.url)), link);
    deps[`@ferry/connector-${name}`] = '0.1.0';
  }
  await writeFile(join(owner, 'package.json'), JSON.stringify({ name: 'r', dependencies: deps }));
  return owner;
}

/** The message of the ConfigError `promise` rejects with, and its pointer. */
export async function failure(
  promise: Promise<unknown>,
): Promise<{ pointer: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  const { pointer, issues } = error as ConfigError;
  return { pointer, message: issues.map((i) => i.message).join('\n') };
}
