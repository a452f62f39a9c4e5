/**
 * Everything derived from the config that every stream shares: the seed's words, the dates, and
 * per workspace its publisher, segments, daily traffic and user population.
 */
import { startDateMs, type SampleConfig } from './config.js';
import { deviceTable } from './devices.js';
import { publishers, type Publisher } from './publishers.js';
import { seedWords } from './random.js';
import { segmentCatalog, type Segment } from './segments.js';
import { userContext, type Population, type UserContext } from './users.js';

/** New users per day as a share of a workspace's daily page views. */
const NEW_USERS_PER_PAGEVIEW = 0.08;

/** One workspace of the generated world. */
export interface Workspace {
  /** Zero-based. */
  readonly index: number;
  /** `ws_1` … `ws_N`. */
  readonly id: string;
  readonly publisher: Publisher;
  readonly segments: readonly Segment[];
  /** Exact page views per day. */
  readonly pageviews: number;
  readonly population: Population;
  readonly users: UserContext;
}

/** The generated world of one config. */
export interface World {
  readonly seedWords: readonly [number, number];
  /** Midnight of start_date, ms since the epoch. */
  readonly startMs: number;
  readonly days: number;
  readonly hashSalt: string;
  readonly workspaces: readonly Workspace[];
}

/**
 * Splits `total` page views between `count` workspaces in proportion to 1/k^0.7 (ws_1 is the
 * biggest publisher), exactly (largest remainder).
 */
export function splitTraffic(total: number, count: number): number[] {
  const weights = Array.from({ length: count }, (_, k) => (k + 1) ** -0.7);
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const shares = exact.map((x) => Math.floor(x));
  let left = total - shares.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((x, k) => [x - Math.floor(x), k] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, k] of byRemainder) {
    if (left-- <= 0) break;
    shares[k] = (shares[k] ?? 0) + 1;
  }
  return shares;
}

/**
 * Builds the world of a validated config.
 * @throws ConfigError when `start_date` is not a calendar date.
 */
export function createWorld(config: SampleConfig): World {
  const words = seedWords(config.seed);
  const startMs = startDateMs(config);
  const traffic = splitTraffic(config.events_per_day, config.workspaces);
  const pubs = publishers({ seedWords: words, workspaces: config.workspaces, startMs });
  const workspaces = pubs.map((publisher, index): Workspace => {
    const segments = segmentCatalog({ seedWords: words, workspace: index, startMs });
    const pageviews = traffic[index] ?? 0;
    return {
      index,
      id: publisher.workspaceId,
      publisher,
      segments,
      pageviews,
      population: { newPerDay: Math.max(1, Math.round(pageviews * NEW_USERS_PER_PAGEVIEW)) },
      users: userContext({
        seedWords: words,
        workspace: index,
        devices: deviceTable(publisher.appName),
        segmentIds: segments.map((s) => s.id),
      }),
    };
  });
  return { seedWords: words, startMs, days: config.days, hashSalt: config.hash_salt, workspaces };
}
