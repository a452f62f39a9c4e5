import { ConfigError, type ConfigSchema } from '@ferry/core';
import { MS_PER_DAY } from './format.js';

/** The validated config of the `sample` source (every default applied). */
export interface SampleConfig {
  /** Same seed, same rows. */
  readonly seed: number;
  /** First day generated, `YYYY-MM-DD` (UTC). */
  readonly start_date: string;
  /** Number of days generated from `start_date`. */
  readonly days: number;
  /** Page views per day across all workspaces. */
  readonly events_per_day: number;
  /** Number of workspaces, `ws_1` … `ws_N`. */
  readonly workspaces: number;
  /** Secret salt of the `email_sha256` aliases. */
  readonly hash_salt: string;
}

/** JSON Schema (draft-07) of {@link SampleConfig}: the source of its validation, defaults and docs. */
export const sampleConfigSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Sample source',
  description:
    'Generates deterministic first-party web-analytics data: page views, video views, identity aliases, domains and segments.',
  type: 'object',
  additionalProperties: false,
  properties: {
    seed: {
      type: 'integer',
      title: 'Seed',
      description: 'Seed of the generator: the same seed and settings always give the same rows.',
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      default: 42,
    },
    start_date: {
      type: 'string',
      title: 'Start date',
      description: 'First day generated, as YYYY-MM-DD in UTC.',
      pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$',
      default: '2025-01-01',
      examples: ['2025-01-01', '2024-11-15'],
    },
    days: {
      type: 'integer',
      title: 'Days',
      description:
        'Number of consecutive days generated from the start date; raising it later adds the new days without changing earlier ones.',
      minimum: 1,
      maximum: 3660,
      default: 2,
    },
    events_per_day: {
      type: 'integer',
      title: 'Page views per day',
      description:
        'Exact number of page views generated per day across all workspaces; video views add about 20% of that number.',
      minimum: 0,
      default: 10000,
    },
    workspaces: {
      type: 'integer',
      title: 'Workspaces',
      description:
        'Number of workspaces (publishers), identified as ws_1 to ws_N; ws_1 has the most traffic.',
      minimum: 1,
      maximum: 100,
      default: 3,
    },
    hash_salt: {
      type: 'string',
      title: 'Email hash salt',
      description:
        'Secret prepended to e-mail addresses before they are hashed into email_sha256 aliases, so that the hashes cannot be reversed with a dictionary of addresses.',
      'x-secret': true,
      default: '',
      examples: ['${env:SAMPLE_HASH_SALT}'],
    },
  },
} as const satisfies ConfigSchema;

const LAST_MS = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * Milliseconds since the epoch of `start_date`'s midnight (UTC).
 * @throws ConfigError (`/start_date`) when the date matches the pattern but is not in the
 *   calendar, such as `2025-02-30`; (`/days`) when the last day is beyond the year 9999.
 */
export function startDateMs(config: SampleConfig): number {
  const ms = Date.parse(`${config.start_date}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== config.start_date) {
    throw new ConfigError({ pointer: '/start_date', message: 'is not a calendar date' });
  }
  if (ms + config.days * MS_PER_DAY > LAST_MS) {
    throw new ConfigError({ pointer: '/days', message: 'reaches beyond the year 9999' });
  }
  return ms;
}
