/**
 * Audience segments: each workspace defines 20 to 200 of them (the `segment_metadata` snapshot),
 * and users join segments as they keep reading (the events' `segments`).
 */
import { timestamp } from './format.js';
import { Rng, shuffleInPlace } from './random.js';

/** One segment of a workspace. */
export interface Segment {
  readonly id: bigint;
  readonly name: string;
  readonly tags: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

type Base = readonly [name: string, tags: readonly string[]];

const BASES: readonly Base[] = [
  ['Sports Enthusiasts', ['interest', 'sport']],
  ['Football Fans', ['interest', 'sport']],
  ['Cricket Followers', ['interest', 'sport']],
  ['Formula 1 Fans', ['interest', 'sport']],
  ['Rugby Fans', ['interest', 'sport']],
  ['Golfers', ['interest', 'sport']],
  ['Runners & Fitness', ['interest', 'health']],
  ['Foodies', ['interest', 'food']],
  ['Home Cooks', ['interest', 'food']],
  ['Wine Lovers', ['interest', 'food']],
  ['Frequent Travellers', ['interest', 'travel']],
  ['Luxury Travel Intenders', ['intent', 'travel']],
  ['Family Holiday Planners', ['intent', 'travel']],
  ['Car Buyers - In Market', ['intent', 'auto']],
  ['Electric Vehicle Intenders', ['intent', 'auto']],
  ['Home Movers', ['intent', 'property']],
  ['First-Time Buyers', ['intent', 'property', 'finance']],
  ['Mortgage Seekers', ['intent', 'finance']],
  ['Savers & Investors', ['interest', 'finance']],
  ['Crypto Curious', ['interest', 'finance']],
  ['Business Decision Makers', ['b2b', 'demographic']],
  ['Small Business Owners', ['b2b']],
  ['Tech Early Adopters', ['interest', 'tech']],
  ['Gamers', ['interest', 'gaming']],
  ['Smartphone Upgraders', ['intent', 'tech']],
  ['Parents of Young Children', ['demographic', 'family']],
  ['Students', ['demographic']],
  ['Retirees', ['demographic']],
  ['Fashion Shoppers', ['interest', 'retail']],
  ['Beauty Enthusiasts', ['interest', 'retail']],
  ['DIY & Gardening', ['interest', 'home']],
  ['Pet Owners', ['interest', 'pets']],
  ['Politics Readers', ['behavioural', 'news']],
  ['Breaking News Readers', ['behavioural', 'news']],
  ['Loyal Readers', ['behavioural', 'engagement']],
  ['Newsletter Subscribers', ['first-party', 'crm']],
  ['Registered Users', ['first-party', 'crm']],
  ['Video Viewers', ['behavioural', 'video']],
  ['London Residents', ['geo']],
  ['Commuters', ['behavioural', 'geo']],
];

/** Variants of a base segment, used once every base name is taken. */
const VARIANTS: readonly Base[] = [
  ['Lookalike', ['lookalike']],
  ['High Engagement', ['engagement']],
  ['Last 30 Days', ['recency']],
  ['Retargeting', ['retargeting']],
];

const SECONDS_PER_DAY = 86_400;

/** Inputs of {@link segmentCatalog}. */
export interface SegmentCatalogOptions {
  readonly seedWords: readonly [number, number];
  /** Zero-based workspace index. */
  readonly workspace: number;
  /** Midnight of `start_date` in ms; segments were created and last updated before it. */
  readonly startMs: number;
}

/** The segments of one workspace, by ascending id, the same for a given seed. */
export function segmentCatalog(options: SegmentCatalogOptions): Segment[] {
  const rng = Rng.derive(
    options.seedWords[0] ^ 0x7365676d,
    options.seedWords[1],
    options.workspace,
  );
  const count = rng.between(20, 200);
  const bases = shuffleInPlace(rng, [...BASES]);
  const startSeconds = options.startMs / 1000;
  let id = rng.between(1000, 9000);
  return Array.from({ length: count }, (_, i) => {
    // Ids mostly follow each other; gaps are segments deleted since.
    id += 1 + Math.floor(40 * rng.float() ** 6);
    const [baseName, baseTags] = bases[i % bases.length] ?? BASES[0] ?? ['Readers', []];
    const variant = VARIANTS[Math.floor(i / bases.length) - 1];
    const created = startSeconds - rng.between(10 * SECONDS_PER_DAY, 1500 * SECONDS_PER_DAY);
    const updated = created + Math.floor((startSeconds - 60 - created) * rng.float());
    const tags = rng.chance(0.08) ? [] : [...baseTags, ...(variant?.[1] ?? [])];
    return {
      id: BigInt(id),
      name: variant === undefined ? baseName : `${baseName} - ${variant[0]}`,
      tags: Object.freeze(tags),
      createdAt: timestamp(created * 1_000_000 + rng.int(1_000_000)),
      updatedAt: timestamp(updated * 1_000_000 + rng.int(1_000_000)),
    };
  });
}

/** Which segments a user joins over time; see {@link segmentsAt}. */
export interface Membership {
  /** Draws the segments in the order the user joins them (a copy is used each time). */
  readonly rng: Rng;
  /** How many segments the user ends up in. */
  readonly target: number;
  /** How many the user is in on the day they first visit. */
  readonly initial: number;
}

/**
 * Draws a user's memberships: 2 to 15 segments (fewer when the workspace has fewer), joined over
 * the user's first weeks; the segments themselves are drawn by {@link segmentsAt}.
 */
export function drawMembership(rng: Rng, catalogSize: number): Membership {
  const target = Math.min(catalogSize, rng.between(2, 15));
  return { target, initial: rng.int(3), rng };
}

/**
 * The ids of the segments a user is in `age` days after their first visit, ascending: one more
 * every three days until all of them. Popular (low-index) segments are joined more often; the
 * segments joined by a given age are always the first ones of the same sequence.
 */
export function segmentsAt(membership: Membership, age: number, ids: readonly bigint[]): bigint[] {
  const rng = membership.rng.clone();
  const count = Math.min(membership.target, membership.initial + Math.floor(age / 3));
  // Picked indices, kept ascending (ids ascend with the index): insertion into a scratch array,
  // as at most 15 are picked and arrays that grow would be the costliest part.
  let picked = 0;
  for (let attempt = 0; picked < count && attempt < 4 * membership.target; attempt++) {
    const index = Math.floor(ids.length * rng.float() ** 2);
    let at = picked;
    while (at > 0 && (chosen[at - 1] ?? 0) > index) at--;
    if (at > 0 && chosen[at - 1] === index) continue;
    chosen.copyWithin(at + 1, at, picked);
    chosen[at] = index;
    picked++;
  }
  const out = new Array<bigint>(picked);
  for (let i = 0; i < picked; i++) out[i] = ids[chosen[i] ?? 0] ?? 0n;
  return out;
}

const chosen = new Int32Array(16);
