import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfig, type Destination, type Source } from '@ferry/core';
import { checkReadmeConfig } from '@ferry/testkit';
import { describe, expect, it } from 'vitest';
import { Registry } from './registry.js';

// Every connector that ships with ferry carries what a user and the next developer need: a
// README whose config section is generated from the schema, the conformance kit for each of its
// roles, and a fixture config per role that a user could paste into a transfer.
const builtins = (await new Registry().list()).filter((row) => row.origin === 'builtin');

describe('built-in connectors', () => {
  it('are the runner’s connector dependencies', () => {
    expect(builtins.map((row) => row.type)).toEqual(
      expect.arrayContaining(['filesystem', 'sample']),
    );
    for (const row of builtins) expect(row.problem, row.type).toBeUndefined();
  });
});

describe.each(builtins.map((row) => [row.type, row] as const))(
  'built-in connector "%s"',
  (type, row) => {
    const dir = row.package?.dir ?? '';
    const connectors = [row.entry?.source, row.entry?.destination].filter(
      (c): c is Source | Destination => c !== undefined,
    );

    it('has a README whose configuration section is generated from its schema', async () => {
      const readme = join(dir, 'README.md');
      expect(existsSync(readme), `${type}: ${readme} is missing`).toBe(true);
      const { current } = await checkReadmeConfig(readme, connectors);
      expect(current, `${type}: README.md config section is stale; run \`npm run docs\``).toBe(
        true,
      );
    });

    it('runs the conformance kit for each of its roles', () => {
      const file = join(dir, 'test', 'conformance.test.ts');
      expect(existsSync(file), `${type}: ${file} is missing`).toBe(true);
      const text = readFileSync(file, 'utf8');
      const suites: string[] = connectors.map((c) =>
        c.kind === 'source' ? 'describeSource(' : 'describeDestination(',
      );
      if (connectors.length === 2) suites.push('describeRoundTrip(');
      for (const suite of suites)
        expect(text, `${type}: ${file} must call ${suite}…)`).toContain(suite);
    });

    it('has a valid fixture config for each of its roles', () => {
      for (const connector of connectors) {
        const file = join(dir, 'test', 'fixtures', `${connector.kind}.json`);
        expect(existsSync(file), `${type}: ${file} is missing`).toBe(true);
        const config = validateConfig(
          connector.configSchema,
          JSON.parse(readFileSync(file, 'utf8')),
          { file },
        );
        expect(() => connector.validate?.(config), file).not.toThrow();
      }
    });
  },
);
