import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@ferry/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nameProblem, renameText, titleCase, upperSnake } from '../scaffold/names.js';
import { nextSteps, scaffoldConnector, type ScaffoldOptions } from './new-connector.js';

const TEMPLATE = fileURLToPath(new URL('../../../connectors/example', import.meta.url));
const RUNNER_MANIFEST = {
  name: '@ferry/runner',
  version: '0.1.0',
  dependencies: { '@ferry/connector-sample': '0.1.0', '@ferry/core': '0.1.0', commander: '14.0.3' },
};

let repo: string;

/** A scratch ferry repository: root manifest, runner manifest, `sample` and the template. */
beforeEach(async () => {
  repo = await mkdtemp(join(tmpdir(), 'ferry-scaffold-'));
  const workspaces = ['packages/*', 'connectors/*', 'runner', 'test'];
  await writeFile(join(repo, 'package.json'), JSON.stringify({ name: 'ferry', workspaces }));
  await mkdir(join(repo, 'runner'));
  await writeFile(
    join(repo, 'runner/package.json'),
    JSON.stringify(RUNNER_MANIFEST, null, 2) + '\n',
  );
  await mkdir(join(repo, 'connectors/sample'), { recursive: true });
  const sample = { name: '@ferry/connector-sample', ferry: { contract: 1, type: 'sample' } };
  await writeFile(join(repo, 'connectors/sample/package.json'), JSON.stringify(sample));
  const skip = /[\\/](node_modules|dist|\.turbo)$/;
  await cp(TEMPLATE, join(repo, 'connectors/example'), {
    recursive: true,
    filter: (source) => !skip.test(source),
  });
  // Build output of the template's checkout, which must not be copied.
  await mkdir(join(repo, 'connectors/example/dist'));
  await writeFile(join(repo, 'connectors/example/dist/index.js'), 'export {};\n');
  await writeFile(join(repo, 'connectors/example/tsconfig.tsbuildinfo'), '{}');
});

afterEach(async () => {
  await rm(repo, { recursive: true, force: true });
});

interface Recorded {
  readonly options: ScaffoldOptions;
  readonly lines: string[];
  readonly ran: string[];
}

/** Options for a scaffold in the scratch repository; install and format only record their call. */
function scaffold(name: string, overrides: Partial<ScaffoldOptions> = {}): Recorded {
  const lines: string[] = [];
  const ran: string[] = [];
  const options: ScaffoldOptions = {
    name,
    cwd: join(repo, 'runner'),
    install: (root) => Promise.resolve(ran.push(`install ${relative(repo, root) || '.'}`) > 0),
    format: (root, target) => Promise.resolve(ran.push(`format ${relative(root, target)}`) > 0),
    log: (line) => lines.push(line),
    ...overrides,
  };
  return { options, lines, ran };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

describe('connector names', () => {
  it.each(['acme', 'acme-crm', 's3', 'x2-y3'])('accepts %s', (name) => {
    expect(nameProblem(name, new Set())).toBeUndefined();
  });

  it.each(['Acme', '1acme', 'acme_crm', 'acme--crm', '-acme', 'acme-', 'acme crm', ''])(
    'refuses %j',
    (name) => {
      expect(nameProblem(name, new Set())).toMatch(/not a valid connector name.*acme-crm/);
    },
  );

  it('refuses a name longer than 50 characters, which file names could not hold', () => {
    expect(nameProblem('a'.repeat(50), new Set())).toBeUndefined();
    expect(nameProblem(`acme-${'x'.repeat(46)}`, new Set())).toBe(
      '"acme-xxxxxxxxxxxxxxx…" is too long for a connector name: 51 characters, at most 50',
    );
  });

  it('refuses the template name and the names of existing connectors', () => {
    expect(nameProblem('example', new Set())).toMatch(/template/);
    expect(nameProblem('sample', new Set(['sample']))).toMatch(/exists already/);
  });

  it('replaces every spelling of the template name, as whole words', () => {
    expect(titleCase('acme-crm')).toBe('Acme Crm');
    expect(upperSnake('acme-crm')).toBe('ACME_CRM');
    const text =
      "type: 'example', title: 'Example x', EXAMPLE_DIR, examples: [], @ferry/connector-example";
    expect(renameText(text, 'acme-crm')).toBe(
      "type: 'acme-crm', title: 'Acme Crm x', ACME_CRM_DIR, examples: [], @ferry/connector-acme-crm",
    );
  });
});

describe('scaffoldConnector', () => {
  it('copies the template under connectors/, renamed, and registers it with the runner', async () => {
    const { options, ran } = scaffold('acme-crm');
    const result = await scaffoldConnector(options);
    const target = join(repo, 'connectors/acme-crm');
    expect(result).toMatchObject({
      target,
      packageName: '@ferry/connector-acme-crm',
      installed: true,
    });
    expect(ran).toEqual(['install .', 'format connectors/acme-crm']);
    const files = await filesUnder(target);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'src/index.ts', 'README.md']));
    expect(files).toContain('test/conformance.test.ts');
    expect(files.filter((f) => /dist|node_modules|tsbuildinfo/.test(f))).toEqual([]);
    for (const file of files) {
      const text = await readFile(join(target, file), 'utf8');
      // Only JSON Schema's `examples` keyword (and "Examples:" in the docs) may remain.
      expect(text.replace(/examples/gi, ''), file).not.toMatch(/example/i);
    }
    const manifest = JSON.parse(await readFile(join(target, 'package.json'), 'utf8')) as unknown;
    expect(manifest).toMatchObject({
      name: '@ferry/connector-acme-crm',
      ferry: { contract: 1, type: 'acme-crm' },
    });
    const source = await readFile(join(target, 'src/source.ts'), 'utf8');
    expect(source).toContain("type: 'acme-crm'");
    expect(source).toContain("title: 'Acme Crm JSON Lines directory'");
  });

  it('adds the dependency to runner/package.json, sorted, formatted as npm does', async () => {
    await scaffoldConnector(scaffold('zeta').options);
    await scaffoldConnector(scaffold('acme').options);
    const text = await readFile(join(repo, 'runner/package.json'), 'utf8');
    const dependencies = {
      '@ferry/connector-acme': '0.1.0',
      '@ferry/connector-sample': '0.1.0',
      '@ferry/connector-zeta': '0.1.0',
      '@ferry/core': '0.1.0',
      commander: '14.0.3',
    };
    expect(text).toBe(JSON.stringify({ ...RUNNER_MANIFEST, dependencies }, null, 2) + '\n');
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['name', 'version', 'dependencies']);
  });

  it('creates an external package with --dir outside connectors/, without registering it', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'ferry-plugin-'));
    try {
      const { options, ran } = scaffold('acme', { dir: join(outside, 'pkg') });
      const result = await scaffoldConnector(options);
      expect(result).toMatchObject({ target: join(outside, 'pkg'), root: undefined });
      expect(ran).toEqual([]);
      const runner = await readFile(join(repo, 'runner/package.json'), 'utf8');
      expect(runner).not.toContain('connector-acme');
      expect(nextSteps(result).join('\n')).toMatch(/peerDependencies[\s\S]*npm install/);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it.each(['../packages/foo', '../connectors/group/bar', '..', '../connectors'])(
    'refuses --dir %s, in the repository but not directly under connectors/',
    async (dir) => {
      const { options } = scaffold('acme', { dir });
      const error = await scaffoldConnector(options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues[0]?.message).toBe(
        `--dir ${dir} is inside the ferry repository; there, a connector package goes directly under connectors/: ` +
          'use --dir ../connectors/acme or a directory outside the repository',
      );
      expect(await readdir(repo)).toEqual(['connectors', 'package.json', 'runner']);
      expect(await readdir(join(repo, 'connectors'))).toEqual(['example', 'sample']);
    },
  );

  it('judges --dir by the repository around it, wherever the command runs', async () => {
    // The scratch repository's template: its neighbours, not this checkout's, are the taken names.
    const elsewhere = { cwd: tmpdir(), template: join(repo, 'connectors/example') };
    const inPackages = scaffold('acme', { ...elsewhere, dir: join(repo, 'packages/foo') });
    const error = await scaffoldConnector(inPackages.options).catch((e: unknown) => e);
    expect((error as ConfigError).issues[0]?.message).toMatch(
      /inside the ferry repository; there, a connector package goes directly under connectors\//,
    );
    expect(await readdir(repo)).toEqual(['connectors', 'package.json', 'runner']);
    const inConnectors = scaffold('acme', { ...elsewhere, dir: join(repo, 'connectors/acme') });
    const result = await scaffoldConnector(inConnectors.options);
    expect(result).toMatchObject({ root: repo, installed: true });
    expect(inConnectors.ran).toEqual(['install .', 'format connectors/acme']);
  });

  it('reports a failed npm install with the command to run, and still formats', async () => {
    const { options, lines, ran } = scaffold('acme', { install: () => Promise.resolve(false) });
    const result = await scaffoldConnector(options);
    expect(result.installed).toBe(false);
    expect(lines.join('\n')).toMatch(/npm install failed; run it by hand in .*npm install/);
    expect(ran).toEqual(['format connectors/acme']);
  });

  it.each([
    { what: 'an invalid name', name: 'Acme', message: /not a valid connector name/ },
    { what: 'the template name', name: 'example', message: /template/ },
    { what: 'a name taken by a connector', name: 'sample', message: /exists already/ },
    { what: 'a --dir that is not empty', dir: '../connectors/sample', message: /not empty/ },
    { what: 'a 300-character name', name: 'a'.repeat(300), message: /too long.*at most 50/ },
    { what: 'no repository and no --dir', cwd: tmpdir(), message: /--dir/ },
  ])('refuses $what with a ConfigError', async ({ name = 'acme', message, ...overrides }) => {
    const { options } = scaffold(name, overrides);
    const error = await scaffoldConnector(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(message);
    expect(await readdir(join(repo, 'connectors'))).toEqual(['example', 'sample']);
  });
});
