import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { queryDuckDB, sqlString } from '@ferry/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonLines, runFerry, STACK_LINE, tempDir } from '../support/cli.js';
import { installPlugins } from '../support/plugins.js';

// A project directory with connector packages in its node_modules, as `npm install` leaves them.
let tmp: { path: string; cleanup: () => Promise<void> };
let installed: Record<string, string>;
beforeEach(async () => {
  tmp = await tempDir();
  installed = await installPlugins(tmp.path, [
    'ferry-connector-greetings',
    'ferry-connector-old',
    'ferry-connector-broken',
  ]);
});
afterEach(() => tmp.cleanup());

const GREETINGS = '@acme/ferry-connector-greetings';

async function transferFile(source: object, dir = tmp.path): Promise<string> {
  const file = join(dir, 'transfer.json');
  const transfer = {
    name: 'greetings',
    source,
    destination: { type: 'filesystem', config: { path: join(tmp.path, 'lake') } },
  };
  await writeFile(file, JSON.stringify(transfer, null, 2));
  return file;
}

async function lakeRows(): Promise<Record<string, unknown>[]> {
  const files = sqlString(join(tmp.path, 'lake/greetings/*/*.parquet'));
  return queryDuckDB(`select id, language, text from read_parquet(${files}) order by id`);
}

describe('a transfer naming a connector package', () => {
  it('runs it by package name and writes its rows', async () => {
    const file = await transferFile({ type: GREETINGS, config: { name: 'ferry' } });
    const result = await runFerry(['run', file, '--json'], { cwd: tmp.path });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(0);
    const report = jsonLines(result.stdout).at(-1);
    expect(report).toMatchObject({ status: 'succeeded', streams: { greetings: { rows: 3 } } });
    expect(await lakeRows()).toEqual([
      { id: 1n, language: 'en', text: 'Hello, ferry!' },
      { id: 2n, language: 'fr', text: 'Bonjour, ferry!' },
      { id: 3n, language: 'es', text: 'Hola, ferry!' },
    ]);
  });

  it('runs it by its short type with its config defaults, resuming from the saved state', async () => {
    const file = await transferFile({ type: 'greetings' });
    expect((await runFerry(['run', file], { cwd: tmp.path })).code).toBe(0);
    expect(await lakeRows()).toEqual([
      { id: 1n, language: 'en', text: 'Hello, world!' },
      { id: 2n, language: 'fr', text: 'Bonjour, world!' },
      { id: 3n, language: 'es', text: 'Hola, world!' },
    ]);
    const again = await runFerry(['run', file, '--json'], { cwd: tmp.path });
    expect(again.code).toBe(0);
    expect(jsonLines(again.stdout).at(-1)).toMatchObject({ streams: { greetings: { rows: 0 } } });
  });

  it("finds it from the transfer file's directory, whatever the working directory", async () => {
    const project = join(tmp.path, 'project');
    await mkdir(project);
    await installPlugins(project, ['ferry-connector-greetings']);
    const file = await transferFile({ type: 'greetings' }, project);
    const elsewhere = await tempDir();
    try {
      const result = await runFerry(['validate', file], { cwd: elsewhere.path });
      expect(result.stderr).toContain('is valid: greetings (greetings → filesystem)');
      expect(result.code).toBe(0);
    } finally {
      await elsewhere.cleanup();
    }
  });
});

describe('packages installed above a transfer file', () => {
  it("lose to the working directory's, which is searched first", async () => {
    // A transfer file under a shared directory (as /tmp is), where anyone can install a package
    // of the same name: it must not run instead of the project's own.
    const shared = await tempDir();
    try {
      const planted = join(shared.path, 'node_modules', GREETINGS);
      await mkdir(planted, { recursive: true });
      const manifest = { name: GREETINGS, version: '6.6.6', type: 'module', main: 'index.js' };
      const ferry = { contract: 1, type: 'greetings' };
      await writeFile(join(planted, 'package.json'), JSON.stringify({ ...manifest, ferry }));
      await writeFile(join(planted, 'index.js'), 'throw new Error("the planted package ran");\n');
      await mkdir(join(shared.path, 'transfers'));
      const file = await transferFile({ type: 'greetings' }, join(shared.path, 'transfers'));
      const result = await runFerry(['validate', file], { cwd: tmp.path });
      expect(result.stderr).not.toContain('planted');
      expect(result.stderr).toContain('is valid: greetings (greetings → filesystem)');
      expect(result.code).toBe(0);
    } finally {
      await shared.cleanup();
    }
  });
});

describe('ferry connectors and ferry spec', () => {
  it('list installed packages beside the built-ins, with their package and problems', async () => {
    const result = await runFerry(['connectors', '--json'], { cwd: tmp.path });
    expect(result.code).toBe(0);
    const all = JSON.parse(result.stdout) as Record<string, unknown>[];
    // Built-ins other than the shipped ones may exist (`ferry new connector` adds them).
    const list = all.filter(
      (c) => c.origin !== 'builtin' || c.type === 'filesystem' || c.type === 'sample',
    );
    expect(list.map((c) => [c.type, c.origin, c.package ?? ''])).toEqual([
      ['filesystem', 'builtin', '@ferry/connector-filesystem'],
      ['sample', 'builtin', '@ferry/connector-sample'],
      ['broken', 'installed', '@acme/ferry-connector-broken'],
      ['greetings', 'installed', GREETINGS],
      ['old', 'installed', '@acme/ferry-connector-old'],
    ]);
    expect(list[3]).toMatchObject({
      roles: ['source'],
      version: '1.0.0',
      path: installed[GREETINGS],
      source: { syncModes: ['full_refresh', 'incremental'] },
    });
    expect(list[4]?.error).toContain('was built for connector contract 2');
    const human = await runFerry(['connectors'], { cwd: tmp.path });
    expect(human.stdout).toMatch(/^greetings +source +@acme\/ferry-connector-greetings@1\.0\.0 /m);
  });

  it("print an installed package's config schema", async () => {
    const result = await runFerry(['spec', 'greetings'], { cwd: tmp.path });
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout) as { properties: Record<string, unknown> };
    expect(schema.properties.name).toMatchObject({ title: 'Name', default: 'world' });
  });
});

describe('a connector package that cannot be used', () => {
  async function validate(type: string): Promise<{ code: number | null; stderr: string }> {
    const file = await transferFile({ type });
    const result = await runFerry(['validate', file], { cwd: tmp.path });
    expect(result.stderr).toContain(file);
    expect(result.stderr).not.toMatch(STACK_LINE);
    return result;
  }

  it('is named with how to install it when it is missing (exit 2)', async () => {
    const result = await validate('@acme/ferry-connector-missing');
    expect(result.code).toBe(2);
    // Installed packages are listed from their package.json, not imported (one built for another
    // contract is left out): a typo must not run every plugin.
    expect(result.stderr).toMatch(
      /\/source\/type: no source connector "@acme\/ferry-connector-missing" is installed \(available: [^;]*\bsample, [^;]*\bgreetings \(@acme\/ferry-connector-greetings\)\)/,
    );
    expect(result.stderr).not.toContain('ferry-connector-old');
    expect(result.stderr).toContain('npm install @acme/ferry-connector-missing');
  });

  it('is named with its path when built for another contract (exit 2)', async () => {
    const result = await validate('old');
    expect(result.code).toBe(2);
    const dir = installed['@acme/ferry-connector-old'] ?? '';
    expect(result.stderr).toContain(
      `/source/type: @acme/ferry-connector-old (${dir}) was built for connector contract 2; this ferry supports contract 1`,
    );
  });

  it('is named with what is wrong when its export is not a connector (exit 2)', async () => {
    const result = await validate('@acme/ferry-connector-broken');
    expect(result.code).toBe(2);
    const dir = installed['@acme/ferry-connector-broken'] ?? '';
    expect(result.stderr).toContain(
      `/source/type: @acme/ferry-connector-broken (${dir}) is not a valid connector: export "source": "kind" is missing, expected "source"`,
    );
    expect(result.stderr).toContain('"read" must be a function');
  });
});
