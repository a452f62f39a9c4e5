import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STREAMS } from './catalog.js';

const readmeUrl = new URL('../README.md', import.meta.url);

// The configuration section is checked by the conformance kit (test/conformance.test.ts).
describe('README', () => {
  it('documents every stream and every top-level field', () => {
    const readme = readFileSync(readmeUrl, 'utf8');
    for (const stream of STREAMS) {
      expect(readme).toContain(`### \`${stream.name}\``);
      for (const f of stream.fields)
        expect(readme, `${stream.name}.${f.name}`).toContain(`\`${f.name}\``);
    }
  });
});
