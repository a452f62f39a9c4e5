import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonLines, runFerry, runFerryClosingStdout, STACK_LINE, tempDir } from '../support/cli.js';

let tmp: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => (tmp = await tempDir()));
afterEach(() => tmp.cleanup());

async function transferFile(name: string, transfer: unknown): Promise<string> {
  const file = join(tmp.path, name);
  await writeFile(
    file,
    typeof transfer === 'string' ? transfer : JSON.stringify(transfer, null, 2),
  );
  return file;
}

const small = (extra: object = {}): object => ({
  name: 'small',
  source: { type: 'sample', config: { events_per_day: 300, days: 1 } },
  destination: { type: 'filesystem', config: { path: 'lake' } },
  ...extra,
});

describe('ferry validate', () => {
  it('accepts a valid transfer (exit 0)', async () => {
    const file = await transferFile('ok.json', small());
    const result = await runFerry(['validate', file], { cwd: tmp.path });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('is valid: small (sample → filesystem)');
  });

  it('names every bad field by JSON Pointer, with the file, and exits 2 without a stack trace', async () => {
    const file = await transferFile('broken.json', {
      name: 'Bad Name',
      source: { type: 'sample', config: { seed: 'x', dayz: 3 } },
      destination: { type: 'filesystem', config: { format: 'csv' } },
      streams: [{ name: 'pageview_events', sync_mode: 'sometimes' }],
      extra: true,
    });
    const result = await runFerry(['validate', file], { cwd: tmp.path });
    expect(result.code).toBe(2);
    for (const expected of [
      file,
      '/name: must match pattern',
      '/extra: unknown key',
      '/streams/0/sync_mode: must be one of "full_refresh", "incremental"',
    ]) {
      expect(result.stderr).toContain(expected);
    }
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('names the bad fields of both connector configs', async () => {
    const file = await transferFile('configs.json', {
      name: 'configs',
      source: { type: 'sample', config: { seed: 'x', dayz: 3 } },
      destination: { type: 'filesystem', config: { format: 'csv' } },
    });
    const result = await runFerry(['validate', file], { cwd: tmp.path });
    expect(result.code).toBe(2);
    for (const expected of [
      '/source/config/seed: must be integer',
      '/source/config/dayz: unknown key',
      '/destination/config/path: is required',
      '/destination/config/format: must be one of "parquet", "jsonl"',
    ]) {
      expect(result.stderr).toContain(expected);
    }
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it("runs a connector's own checks too: a date the schema allows but the calendar does not", async () => {
    const file = await transferFile(
      'date.json',
      small({ source: { type: 'sample', config: { start_date: '2025-02-30' } } }),
    );
    const result = await runFerry(['validate', file], { cwd: tmp.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/source/config/start_date: is not a calendar date');
  });

  it('names an unknown connector type and an unset variable', async () => {
    const file = await transferFile('refs.json', {
      name: 'refs',
      source: { type: 'nosuch' },
      destination: { type: 'filesystem', config: { path: '${env:FERRY_E2E_UNSET}' } },
    });
    const result = await runFerry(['validate', file], { cwd: tmp.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '/destination/config/path: environment variable FERRY_E2E_UNSET is not set',
    );
    const fixed = await runFerry(['validate', file], {
      cwd: tmp.path,
      env: { FERRY_E2E_UNSET: 'lake' },
    });
    expect(fixed.code).toBe(2);
    // Other built-ins may be listed too (`ferry new connector` adds them).
    expect(fixed.stderr).toMatch(
      /\/source\/type: no source connector "nosuch" is installed \(available: [^)]*\bsample\b/,
    );
  });

  it('reports a file that is missing or not JSON', async () => {
    const missing = await runFerry(['validate', 'nope.json'], { cwd: tmp.path });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json');
    expect(missing.stderr).toContain('no such file');
    const file = await transferFile('syntax.json', '{ "name": "x", }');
    const syntax = await runFerry(['validate', file], { cwd: tmp.path });
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toContain('not valid JSON');
    expect(syntax.stderr).not.toMatch(STACK_LINE);
  });
});

describe('ferry usage', () => {
  it('exits 2 on an unknown command or option', async () => {
    expect((await runFerry(['frobnicate'], { cwd: tmp.path })).code).toBe(2);
    const option = await runFerry(['run', 'x.json', '--fast'], { cwd: tmp.path });
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option '--fast'");
  });

  it('prints help with exit 0', async () => {
    const help = await runFerry(['--help'], { cwd: tmp.path });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('run [options] <transfer>');
  });
});

describe('ferry run', () => {
  it('--json prints JSON lines, the report last, and exits 0', async () => {
    const file = await transferFile('small.json', small());
    const result = await runFerry(['run', file, '--json'], { cwd: tmp.path });
    expect(result.code).toBe(0);
    const lines = jsonLines(result.stdout);
    const report = lines.at(-1) as Record<string, unknown> & {
      streams: Record<string, { rows: number; files: number }>;
    };
    expect(report).toMatchObject({ type: 'report', status: 'succeeded', transfer: 'small' });
    expect(report.batch_id).toMatch(/^[a-z0-9]{16}$/);
    expect(Object.keys(report.streams).sort()).toEqual(
      ['aliases', 'domains', 'pageview_events', 'segment_metadata', 'videoview_events'].sort(),
    );
    expect(report.streams.pageview_events).toMatchObject({ rows: 300, files: 1 });
    const fileEvents = lines.filter((l) => l.type === 'file');
    expect(fileEvents).toHaveLength(5);
    const state = JSON.parse(await readFile(join(tmp.path, '.ferry/state/small.json'), 'utf8')) as {
      streams: Record<string, unknown>;
      unfinished: unknown[];
    };
    expect(Object.keys(state.streams)).toHaveLength(5);
    expect(state.unfinished).toEqual([]);
  });

  it('exits 1 when the run fails, reports why, and saves no state', async () => {
    await writeFile(join(tmp.path, 'lake'), 'a file where the lake directory should be');
    const file = await transferFile('fail.json', small({ streams: [{ name: 'pageview_events' }] }));
    const result = await runFerry(['run', file, '--json', '--state-dir', 'st'], { cwd: tmp.path });
    expect(result.code).toBe(1);
    const report = jsonLines(result.stdout).at(-1) as {
      status: string;
      error: { code: string; message: string };
    };
    expect(report.status).toBe('failed');
    expect(report.error.code).toBe('connection');
    expect(report.error.message).toContain(join(tmp.path, 'lake'));
    expect(result.stderr).toContain('error: ');
    expect(result.stderr).not.toMatch(STACK_LINE);
    // The destination's check failed before the run was recorded: no state file at all.
    expect(report.error.message).toMatch(/^the filesystem destination failed its check/);
    await expect(readFile(join(tmp.path, 'st/small.json'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('exits 2 for a config error found when planning streams', async () => {
    const file = await transferFile(
      'streams.json',
      small({ streams: [{ name: 'no_such_stream' }] }),
    );
    const result = await runFerry(['run', file], { cwd: tmp.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/streams/0/name: the source has no stream "no_such_stream"');
  });

  it('--json still ends with a failed report when the transfer cannot be loaded', async () => {
    const file = await transferFile('bad.json', { name: 'bad', source: { type: 'sample' } });
    const result = await runFerry(['run', file, '--json'], { cwd: tmp.path });
    expect(result.code).toBe(2);
    const report = jsonLines(result.stdout).at(-1);
    expect(report).toMatchObject({ type: 'report', status: 'failed', run_id: null });
    expect((report?.error as { code: string; message: string }).message).toContain(
      '/destination: is required',
    );
  });

  it('--dry-run plans the streams and writes nothing', async () => {
    const file = await transferFile('dry.json', small());
    const result = await runFerry(['run', file, '--dry-run', '--json'], { cwd: tmp.path });
    expect(result.code).toBe(0);
    const plan = jsonLines(result.stdout).at(-1) as {
      type: string;
      streams: { name: string; sync_mode: string }[];
    };
    expect(plan.type).toBe('plan');
    expect(plan.streams.find((s) => s.name === 'domains')).toEqual({
      name: 'domains',
      sync_mode: 'full_refresh',
      write_mode: 'replace',
    });
    expect(await readdir(tmp.path)).toEqual(['dry.json']);
  });
});

describe('secrets', () => {
  const secret = 'Sup3r-Secret-Salt-7f3a9c';

  async function everything(result: { stdout: string; stderr: string }): Promise<string> {
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (!entry.name.endsWith('.json') || !path.startsWith(join(tmp.path, 't-'))) {
          files.push((await readFile(path)).toString('latin1'));
        }
      }
    };
    await walk(tmp.path);
    return [result.stdout, result.stderr, ...files].join('\n');
  }

  it('never shows a secret config value: not in output, report, state or lake files', async () => {
    const file = await transferFile('t-secret.json', {
      name: 'secret',
      source: { type: 'sample', config: { events_per_day: 100, days: 1, hash_salt: secret } },
      destination: { type: 'filesystem', config: { path: 'lake' } },
    });
    const run = await runFerry(['run', file, '--json'], {
      cwd: tmp.path,
      env: { FERRY_LOG_LEVEL: 'debug' },
    });
    expect(run.code).toBe(0);
    expect(await everything(run)).not.toContain(secret);
  });

  it('does not quote the file when it is not valid JSON (secrets are not known yet)', async () => {
    const text = `{\n  "name": "x",\n  "source": { "type": "sample", "config": { "hash_salt": '${secret}' } }\n}\n`;
    const file = await transferFile('t-syntax.json', text);
    for (const command of ['validate', 'run']) {
      const result = await runFerry([command, file, '--json'], { cwd: tmp.path });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('not valid JSON: line 3, column');
      expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
    }
  });

  it('keeps the --json report valid JSON even with a secret that is a common digit', async () => {
    const file = await transferFile('t-short.json', {
      name: 'short',
      source: { type: 'sample', config: { events_per_day: 10, days: 1, hash_salt: '1' } },
      destination: { type: 'filesystem', config: { path: 'lake' } },
    });
    const result = await runFerry(['run', file, '--json'], { cwd: tmp.path });
    expect(result.code).toBe(0);
    const report = jsonLines(result.stdout).at(-1) as { streams: Record<string, { rows: number }> };
    expect(report.streams.pageview_events?.rows).toBe(10);
  });

  it('keeps a secret from the environment out of errors of an invalid config', async () => {
    const file = await transferFile('t-invalid.json', {
      name: 'secret',
      source: { type: 'sample', config: { hash_salt: '${env:SALT}', seed: -1 } },
      destination: { type: 'filesystem', config: { path: 'lake', max_rows_per_file: 0 } },
    });
    for (const command of ['validate', 'run', 'check']) {
      const result = await runFerry([command, file, '--json'], {
        cwd: tmp.path,
        env: { SALT: secret },
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('/source/config/seed');
      expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
    }
  });
});

describe('ferry check, discover, spec, connectors', () => {
  it('check exits 0 for usable connections and 3 with a cause for a broken one', async () => {
    const ok = await runFerry(['check', await transferFile('ok.json', small())], { cwd: tmp.path });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('destination filesystem: ok');
    await mkdir(join(tmp.path, 'blocked'));
    await writeFile(join(tmp.path, 'blocked/lake'), 'not a directory');
    const broken = small({ destination: { type: 'filesystem', config: { path: 'blocked/lake' } } });
    const result = await runFerry(['check', await transferFile('broken.json', broken)], {
      cwd: tmp.path,
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('destination filesystem: FAILED: writing a probe object');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('discover prints the catalog as JSON', async () => {
    const result = await runFerry(['discover', await transferFile('d.json', small())], {
      cwd: tmp.path,
    });
    expect(result.code).toBe(0);
    const catalog = JSON.parse(result.stdout) as {
      streams: { name: string; fields: { name: string }[] }[];
    };
    expect(catalog.streams.map((s) => s.name)).toEqual([
      'pageview_events',
      'videoview_events',
      'aliases',
      'domains',
      'segment_metadata',
    ]);
    expect(catalog.streams[0]?.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'event_id',
        'workspace_id',
        'user_id',
        'time',
        'properties',
        'segments',
      ]),
    );
  });

  it('spec prints the config schema; an unknown type exits 2', async () => {
    // filesystem has both roles: without a flag, spec prints {source, destination}.
    const both = await runFerry(['spec', 'filesystem'], { cwd: tmp.path });
    expect(Object.keys(JSON.parse(both.stdout) as object)).toEqual(['source', 'destination']);
    const source = await runFerry(['spec', 'filesystem', '--source'], { cwd: tmp.path });
    expect((JSON.parse(source.stdout) as { properties: object }).properties).toHaveProperty(
      'partition_filter',
    );
    const result = await runFerry(['spec', 'filesystem', '--destination'], { cwd: tmp.path });
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout) as {
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(schema.required).toEqual(['path']);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'path',
        'layout',
        'format',
        'max_rows_per_file',
        'max_bytes_per_file',
      ]),
    );
    const unknown = await runFerry(['spec', 'nosuch'], { cwd: tmp.path });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no connector "nosuch" is installed');
  });

  it('connectors lists the built-in connectors with their capabilities', async () => {
    const result = await runFerry(['connectors', '--json'], { cwd: tmp.path });
    expect(result.code).toBe(0);
    const list = JSON.parse(result.stdout) as {
      type: string;
      roles: string[];
      destination?: { layouts: string[] };
    }[];
    // The connectors ferry ships with; `ferry new connector` may have added more.
    const shipped = list.filter((c) => ['filesystem', 's3', 'sample'].includes(c.type));
    expect(shipped.map((c) => [c.type, c.roles])).toEqual([
      ['filesystem', ['source', 'destination']],
      ['s3', ['source', 'destination']],
      ['sample', ['source']],
    ]);
    expect(shipped[0]?.destination?.layouts).toEqual(['pontoon']);
  });
});

describe('ferry with its output closed early', () => {
  it('connectors | head -1 exits 0 without an error or a stack trace', async () => {
    // A connector whose summary alone overflows a pipe's buffer (64 KiB on Linux): ferry is
    // still writing when its reader goes away, however fast it starts.
    const pkg = join(tmp.path, 'node_modules/@acme/ferry-connector-loud');
    await mkdir(pkg, { recursive: true });
    const manifest = { name: '@acme/ferry-connector-loud', version: '1.0.0', type: 'module' };
    const ferry = { contract: 1, type: 'loud' };
    await writeFile(join(pkg, 'package.json'), JSON.stringify({ ...manifest, ferry }));
    await writeFile(
      join(pkg, 'index.js'),
      `export const source = {
  kind: 'source', type: 'loud', title: 'Loud', summary: ${JSON.stringify(`${'Loud '.repeat(100_000)}.`)},
  configSchema: { type: 'object', additionalProperties: false, properties: {} },
  capabilities: { syncModes: ['full_refresh'] },
  check: async () => ({ ok: true }), discover: async () => ({ streams: [] }), async *read() {},
};\n`,
    );
    const result = await runFerryClosingStdout(['connectors'], { cwd: tmp.path });
    expect(result.stdout).not.toBe('');
    expect(result.stderr).not.toMatch(/Error|EPIPE/);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(0);
  });
});
