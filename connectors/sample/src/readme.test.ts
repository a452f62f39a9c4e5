import { readFileSync } from 'node:fs';
import type { SchemaNode } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { STREAMS } from './catalog.js';
import { sampleConfigSchema } from './config.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The config table as the README must show it, generated from the schema. */
function configTable(properties: Readonly<Record<string, SchemaNode>>): string {
  const lines = ['| key | type | default | description |', '| --- | --- | --- | --- |'];
  for (const [key, node] of Object.entries(properties)) {
    const secret = node['x-secret'] === true ? ' (secret)' : '';
    const range = [
      typeof node.minimum === 'number' ? `min ${String(node.minimum)}` : '',
      typeof node.maximum === 'number' && node.maximum < 1e6 ? `max ${String(node.maximum)}` : '',
    ].filter((part) => part !== '');
    const type = `${String(node.type)}${range.length > 0 ? ` (${range.join(', ')})` : ''}`;
    const defaults = `\`${JSON.stringify(node.default)}\``;
    lines.push(`| \`${key}\`${secret} | ${type} | ${defaults} | ${node.description ?? ''} |`);
  }
  return lines.join('\n');
}

describe('README', () => {
  it('shows the config table generated from the schema', () => {
    expect(readme).toContain(configTable(sampleConfigSchema.properties));
  });

  it('documents every stream and every top-level field', () => {
    for (const stream of STREAMS) {
      expect(readme).toContain(`### \`${stream.name}\``);
      for (const f of stream.fields)
        expect(readme, `${stream.name}.${f.name}`).toContain(`\`${f.name}\``);
    }
  });
});
