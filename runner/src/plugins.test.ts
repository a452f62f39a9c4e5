import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '@ferry/core';
import { Registry } from './registry.js';
import {
  connectorCode,
  failure,
  install,
  plugin,
  twoBuiltins,
  type PackageSpec,
} from './test-plugins.js';
import { loadTransfer } from './transfer.js';

// Real packages in real node_modules directories: what `npm install` leaves is what is read.
let root: string;
beforeEach(async () => (root = await mkdtemp(join(tmpdir(), 'ferry-plugins-'))));
afterEach(() => rm(root, { recursive: true, force: true }));

describe('built-in connectors', () => {
  it("are the runner's dependencies with a ferry field, by type or package name", async () => {
    const registry = new Registry();
    expect((await registry.source('sample')).type).toBe('sample');
    expect((await registry.destination('filesystem')).type).toBe('filesystem');
    expect((await registry.source('@ferry/connector-sample')).type).toBe('sample');
    const entry = await registry.entry('sample');
    expect([entry.origin, entry.package?.name]).toEqual(['builtin', '@ferry/connector-sample']);
  });

  it('come from any package.json: adding a dependency is enough', async () => {
    const owner = join(root, 'runner');
    await mkdir(owner);
    const deps = { '@acme/ferry-connector-a': '1.0.0', 'left-pad': '1.0.0', missing: '1.0.0' };
    await writeFile(join(owner, 'package.json'), JSON.stringify({ name: 'r', dependencies: deps }));
    await install(root, '@acme/ferry-connector-a', { manifest: plugin('a') });
    await install(root, 'left-pad', { code: 'export default 1;\n' });
    const registry = new Registry({ builtinsFrom: owner });
    expect((await registry.source('a')).title).toBe('T a');
    const listed = await registry.list();
    expect(listed.map((l) => [l.type, l.origin, l.package?.name])).toEqual([
      ['a', 'builtin', '@acme/ferry-connector-a'],
    ]);
  });

  it('keep the message for an unknown type, listing what has the role', async () => {
    const registry = new Registry({ builtinsFrom: await twoBuiltins(root) });
    const { pointer, message } = await failure(registry.source('nosuch'));
    expect(pointer).toBe('/source/type');
    expect(message).toContain(
      'no source connector "nosuch" is installed (available: filesystem, sample)',
    );
    expect(message).toContain('npm install <package>');
    const wrongRole = await failure(registry.destination('sample'));
    expect(wrongRole.message).toContain('no destination connector "sample" is installed');
  });
});

describe('installed connector packages', () => {
  it('resolve by package name or short type, from a directory or its ancestors', async () => {
    const dir = await install(root, '@acme/ferry-connector-x', { manifest: plugin('xx') });
    const nested = join(root, 'transfers', 'daily');
    await mkdir(nested, { recursive: true });
    const registry = new Registry({ searchFrom: [nested] });
    expect((await registry.source('@acme/ferry-connector-x')).type).toBe('xx');
    expect((await registry.source('xx')).summary).toBe('About xx.');
    const entry = await registry.entry('xx');
    expect([entry.origin, entry.package]).toEqual([
      'installed',
      { name: '@acme/ferry-connector-x', version: '1.2.3', dir },
    ]);
  });

  it('prefer the nearest installation, and the registry directories over the lookup ones', async () => {
    // The working directory (the registry's) is the project; the transfer file lies elsewhere,
    // below a directory anyone can install into, as /tmp is.
    const project = join(root, 'project');
    const transfers = join(root, 'shared', 'transfers');
    await mkdir(transfers, { recursive: true });
    const far = await install(root, 'ferry-connector-x', { manifest: plugin('x') });
    const near = await install(project, 'ferry-connector-x', { manifest: plugin('x') });
    const planted = await install(join(root, 'shared'), 'ferry-connector-x', {
      manifest: plugin('x'),
    });
    const other = await install(join(root, 'shared'), 'ferry-connector-y', {
      manifest: plugin('y'),
    });
    // Two copies of one package are not ambiguous: the nearest wins, by name or by type.
    expect((await new Registry({ searchFrom: [project] }).entry('x')).package?.dir).toBe(near);
    expect((await new Registry({ searchFrom: [root] }).entry('x')).package?.dir).toBe(far);
    const registry = new Registry({ searchFrom: [project] });
    for (const type of ['x', 'ferry-connector-x']) {
      const entry = await registry.entry(type, { searchFrom: [transfers] });
      expect(entry.package?.dir).not.toBe(planted);
      expect(entry.package?.dir).toBe(near);
    }
    // What only the transfer's directory has is still found there.
    const found = await registry.entry('y', { searchFrom: [transfers] });
    expect(found.package?.dir).toBe(other);
  });

  it('are shadowed by a built-in of the same type, but stay reachable by name', async () => {
    await install(root, '@acme/ferry-connector-sample', { manifest: plugin('sample') });
    const registry = new Registry({ builtinsFrom: await twoBuiltins(root), searchFrom: [root] });
    expect((await registry.entry('sample')).origin).toBe('builtin');
    const byName = await registry.entry('@acme/ferry-connector-sample');
    expect([byName.origin, byName.type]).toEqual(['installed', 'sample']);
    const listed = await registry.list();
    const row = listed.find((l) => l.package?.name === '@acme/ferry-connector-sample');
    expect(row?.shadowedBy).toBe('@ferry/connector-sample');
    expect(listed.map((l) => l.type)).toEqual(['filesystem', 'sample', 'sample']);
  });

  it('name a missing package and how to install it', async () => {
    const registry = new Registry({ builtinsFrom: await twoBuiltins(root), searchFrom: [root] });
    const { pointer, message } = await failure(registry.source('@acme/ferry-connector-nope'));
    expect(pointer).toBe('/source/type');
    expect(message).toBe(
      'no source connector "@acme/ferry-connector-nope" is installed (available: filesystem, sample); ' +
        'connector packages are found in the node_modules of the working directory and its ' +
        "ancestors, then of the transfer file's directory and its ancestors: " +
        'npm install @acme/ferry-connector-nope',
    );
  });

  it('name a package that is not a connector', async () => {
    const dir = await install(root, 'left-pad', { code: 'export default 1;\n' });
    const registry = new Registry({ searchFrom: [root] });
    const { message } = await failure(registry.destination('left-pad'));
    expect(message).toBe(
      `left-pad (${dir}) is not a ferry connector package: its package.json has no "ferry" field`,
    );
  });
});

describe('short types', () => {
  it('are ambiguous when two packages declare one, which a lookup names', async () => {
    const a = await install(join(root, 'project'), '@acme/a', { manifest: plugin('dup') });
    const b = await install(root, '@zeta/b', { manifest: plugin('dup') });
    const registry = new Registry({ searchFrom: [join(root, 'project')] });
    const { pointer, message } = await failure(registry.source('dup'));
    expect(pointer).toBe('/source/type');
    expect(message).toBe(
      `several installed connector packages declare the type "dup": @acme/a (${a}), @zeta/b (${b}); ` +
        'name the one to use by its package name, e.g. "type": "@acme/a"',
    );
    expect((await failure(registry.entry('dup'))).pointer).toBe('');
    // By package name there is nothing to choose.
    expect((await registry.source('@zeta/b')).type).toBe('dup');
    const rows = (await registry.list()).filter((l) => l.origin === 'installed');
    expect(rows.map((l) => [l.package?.name, l.ambiguousWith, l.shadowedBy])).toEqual([
      ['@acme/a', ['@zeta/b'], undefined],
      ['@zeta/b', ['@acme/a'], undefined],
    ]);
  });

  it('list what a typo could have meant without importing any installed package', async () => {
    // Each import would leave a mark, then never finish: listing must not wait for one.
    const marker = join(root, 'imported');
    const code = `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(marker)}, 'ran');
await new Promise(() => {});\n`;
    await install(root, '@acme/hang', { manifest: plugin('hang'), code });
    await install(root, '@acme/sample', { manifest: plugin('sample'), code });
    await install(root, '@acme/old', { manifest: plugin('old', 2), code });
    await install(root, '@acme/bad-type', { manifest: plugin('Bad Type'), code });
    await install(root, '@acme/dup-1', { manifest: plugin('dup'), code });
    await install(root, '@acme/dup-2', { manifest: plugin('dup'), code });
    const registry = new Registry({ builtinsFrom: await twoBuiltins(root), searchFrom: [root] });
    const { message } = await failure(registry.source('sampel'));
    expect(message).toContain(
      'no source connector "sampel" is installed (available: filesystem, sample, @acme/dup-1, @acme/dup-2, ' +
        'hang (@acme/hang), @acme/sample); ',
    );
    expect(existsSync(marker)).toBe(false);
  });
});

describe('loading a connector package', () => {
  const load = async (
    name: string,
    spec: PackageSpec,
    role: 'source' | 'destination' = 'source',
  ) => {
    const dir = await install(root, name, spec);
    const registry = new Registry({ searchFrom: [root] });
    const lookup = role === 'source' ? registry.source(name) : registry.destination(name);
    return { dir, ...(await failure(lookup)) };
  };

  it('checks the contract version before importing anything', async () => {
    const code = 'throw new Error("must not run");\n';
    const old = await load('@acme/old', { manifest: plugin('old', 2), code });
    expect(old.pointer).toBe('/source/type');
    expect(old.message).toBe(
      `@acme/old (${old.dir}) was built for connector contract 2; this ferry supports contract 1 ` +
        '(install a version of @acme/old built for it, or a newer ferry)',
    );
    const none = await load('@acme/none', { manifest: { ferry: { type: 'none' } }, code });
    expect(none.message).toContain('declares no connector contract in its package.json');
  });

  it('says which package failed to import and why, keeping the cause', async () => {
    const dir = await install(root, '@acme/boom', {
      manifest: plugin('boom'),
      code: 'throw new TypeError("no config dir");\n',
    });
    const registry = new Registry({ searchFrom: [root] });
    const error = await registry.source('boom').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      {
        pointer: '/source/type',
        message: `@acme/boom (${dir}) cannot be imported: no config dir`,
      },
    ]);
    let cause: unknown = error;
    while (cause instanceof ConfigError) cause = cause.cause;
    expect(cause).toBeInstanceOf(TypeError);
  });

  it('rejects a module without connectors, and one of the wrong shape', async () => {
    const empty = await load('@acme/empty', {
      manifest: plugin('empty'),
      code: 'export const x = 1;\n',
    });
    expect(empty.message).toBe(
      `@acme/empty (${empty.dir}) exports neither "source" nor "destination" (objects made with defineSource / defineDestination from @ferry/core)`,
    );
    const code = connectorCode(
      'source',
      'other',
      "title: 3, read: 'no', configSchema: { type: 'nonsense' },",
    );
    const bad = await load('@acme/bad', { manifest: plugin('bad'), code });
    expect(bad.message).toContain(`@acme/bad (${bad.dir}) is not a valid connector: `);
    for (const problem of [
      'export "source": "type" is "other", but package.json declares "type": "bad"',
      '"title" must be a non-empty string',
      '"configSchema" does not compile',
      '"read" must be a function',
    ]) {
      expect(bad.message).toContain(problem);
    }
  });

  it('checks the declared type before importing, and that the export has it', async () => {
    const code = 'throw new Error("must not run");\n';
    const spaced = await load('@acme/spaced', { manifest: plugin('My Conn'), code });
    expect(spaced.message).toBe(
      `@acme/spaced (${spaced.dir}) declares type "My Conn", which is not a valid connector type: ` +
        'use lowercase letters and digits, starting with a letter, words joined by "-" (e.g. acme-crm)',
    );
    // Named by its declared type, it fails the same way; listed, it shows the same problem.
    const registry = new Registry({ searchFrom: [root] });
    expect((await failure(registry.source('My Conn'))).message).toBe(spaced.message);
    const row = (await registry.list()).find((l) => l.package?.name === '@acme/spaced');
    expect([row?.type, row?.entry, row?.problem]).toEqual(['My Conn', undefined, spaced.message]);
    const other = await load('@acme/other', {
      manifest: plugin('declared'),
      code: connectorCode('source', 'exported'),
    });
    expect(other.message).toBe(
      `@acme/other (${other.dir}) is not a valid connector: ` +
        'export "source": "type" is "exported", but package.json declares "type": "declared"',
    );
  });

  it('says which role a package provides when the other is wanted', async () => {
    const only = await load('@acme/only-source', { manifest: plugin('only') }, 'destination');
    expect(only.pointer).toBe('/destination/type');
    expect(only.message).toBe(
      `@acme/only-source (${only.dir}) provides a source, not a destination`,
    );
  });

  it('lists a broken package with its problem instead of failing the list', async () => {
    await install(root, '@acme/old', { manifest: plugin('old', 2) });
    await install(root, '@acme/good', {
      manifest: plugin('good'),
      code: connectorCode('destination', 'good'),
    });
    const registry = new Registry({ builtinsFrom: await twoBuiltins(root), searchFrom: [root] });
    const rows = (await registry.list()).map((l) => [
      l.type,
      l.origin,
      l.entry === undefined,
      l.problem ?? '',
    ]);
    expect(rows).toEqual([
      ['filesystem', 'builtin', false, ''],
      ['sample', 'builtin', false, ''],
      ['good', 'installed', false, ''],
      ['old', 'installed', true, expect.stringContaining('was built for connector contract 2')],
    ]);
  });
});

describe('a transfer naming a connector package', () => {
  it("resolves it from the transfer file's directory and runs its own config checks", async () => {
    const project = join(root, 'project');
    // The config error class of another copy of @ferry/core: only the brand says what it is.
    const validate = `validate(config) {
      class OtherCopyConfigError extends Error {
        code = 'config'; retryable = false; [Symbol.for('ferry.error')] = true;
        issues = [{ pointer: '/greeting', message: 'must not be empty' }];
      }
      if (config.greeting === '') throw new OtherCopyConfigError('invalid');
    },`;
    const code = connectorCode('source', 'hello', validate).replace(
      'properties: {}',
      "properties: { greeting: { type: 'string', default: 'hi' } }",
    );
    await install(project, '@acme/ferry-connector-hello', { manifest: plugin('hello'), code });
    const file = join(project, 'transfer.json');
    const transfer = (greeting: string): object => ({
      name: 'hello',
      source: { type: 'hello', config: { greeting } },
      destination: { type: 'filesystem', config: { path: join(root, 'lake') } },
    });
    // The registry itself searches nowhere: only the transfer's directory finds the package.
    const registry = new Registry();
    await writeFile(file, JSON.stringify(transfer('hey')));
    const loaded = await loadTransfer(file, { registry });
    expect([loaded.source.type, loaded.sourceConfig]).toEqual(['hello', { greeting: 'hey' }]);
    await writeFile(file, JSON.stringify(transfer('')));
    const error = await loadTransfer(file, { registry }).catch((e: unknown) => e);
    expect((error as ConfigError).issues).toEqual([
      { pointer: '/source/config/greeting', message: 'must not be empty' },
    ]);
  });
});
