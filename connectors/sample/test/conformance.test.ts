import { readFileSync } from 'node:fs';
import { describeSource } from '@ferry/testkit';
import { source } from '../src/index.js';

// Small but long enough for the kit: three days give each incremental stream three checkpoints.
const config: unknown = JSON.parse(
  readFileSync(new URL('fixtures/source.json', import.meta.url), 'utf8'),
);

describeSource(source, {
  config,
  invalidConfigs: [
    {
      name: 'an impossible start date',
      config: { start_date: '2025-02-30' },
      pointer: '/start_date',
    },
    { name: 'zero days', config: { days: 0 }, pointer: '/days' },
    { name: 'a negative seed', config: { seed: -1 }, pointer: '/seed' },
    { name: 'an unknown key', config: { colour: 'blue' }, pointer: '/colour' },
  ],
  failingChecks: [],
  readme: new URL('../README.md', import.meta.url),
  exempt: {
    'check-fails': 'the sample reaches no system: every config that validates can be generated',
  },
});
