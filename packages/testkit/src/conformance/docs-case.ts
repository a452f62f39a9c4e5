import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Destination, Source } from '@ferry/core';
import { expect } from 'vitest';
import { CONFIG_DOCS_END, CONFIG_DOCS_START, renderConfigDocs } from '../docs.js';
import type { Cases } from './cases.js';

/**
 * The README's generated configuration section holds this connector's part exactly as
 * `npm run docs` renders it from the schema (a package with two roles has both parts there).
 */
export function addDocsCase(
  cases: Cases,
  connector: Source | Destination,
  readme: string | URL | undefined,
): void {
  cases.add('docs', 'the README documents the config as generated from the schema', async () => {
    if (readme === undefined) throw new Error('options.readme is not set: give the package README');
    const path = readme instanceof URL ? fileURLToPath(readme) : readme;
    const text = await readFile(path, 'utf8');
    const start = text.indexOf(CONFIG_DOCS_START);
    const end = text.indexOf(CONFIG_DOCS_END);
    expect(start >= 0 && end > start, `${path} has ${CONFIG_DOCS_START} … ${CONFIG_DOCS_END}`).toBe(
      true,
    );
    expect(
      text.slice(start, end).includes(renderConfigDocs(connector)),
      `${path}: the ${connector.kind} configuration section is stale; run \`npm run docs\``,
    ).toBe(true);
  });
}
