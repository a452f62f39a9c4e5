/**
 * The publisher behind each workspace: a news brand with a main site and one to three section
 * sites (sport, money, travel), each with its sections. Both the `domains` snapshot and the
 * events' `client.domain` / `client.url` come from here.
 */
import { timestamp } from './format.js';
import { Rng, shuffleInPlace, Weighted } from './random.js';
import type { Topic } from './headlines.js';

/** A section of a site: its URL path, its label in titles and the kind of stories it runs. */
export interface Section {
  readonly path: string;
  readonly label: string;
  readonly topic: Topic;
  /** Share of its articles that embed a video. */
  readonly videoShare: number;
}

/** One site (a row of the `domains` stream). */
export interface Site {
  /** Position in the publisher's list, 0 for the main site. */
  readonly index: number;
  /** Host name, as in `client.domain`: `www.dailycourier.co.uk`. */
  readonly domain: string;
  readonly name: string;
  readonly homeTitle: string;
  readonly sections: Weighted<Section>;
  readonly createdAt: string;
}

/** The publisher of one workspace. */
export interface Publisher {
  /** `ws_1` … `ws_N`. */
  readonly workspaceId: string;
  /** The brand, e.g. `The Daily Courier`. */
  readonly name: string;
  /** The brand as an app name in user agents, e.g. `DailyCourier`. */
  readonly appName: string;
  readonly sites: readonly Site[];
  /** Picks the site a session happens on: the main site gets most traffic. */
  readonly siteWeights: Weighted<Site>;
}

type SectionSpec = readonly [path: string, label: string, topic: Topic, weight: number];

const MAIN_SECTIONS: readonly SectionSpec[] = [
  ['news/uk', 'UK News', 'news', 18],
  ['news/world', 'World News', 'news', 10],
  ['politics', 'Politics', 'news', 8],
  ['business', 'Business', 'money', 6],
  ['money', 'Money', 'money', 5],
  ['sport', 'Sport', 'football', 14],
  ['entertainment', 'Entertainment', 'celebrity', 10],
  ['lifestyle', 'Lifestyle', 'celebrity', 6],
  ['travel', 'Travel', 'travel', 5],
  ['tech', 'Technology', 'tech', 5],
  ['opinion', 'Opinion', 'opinion', 5],
  ['video', 'Video', 'news', 4],
];

interface SiteKind {
  readonly name: string;
  readonly tagline: string;
  readonly sections: readonly SectionSpec[];
}

const SECTION_SITES: readonly SiteKind[] = [
  {
    name: 'sport',
    tagline: 'Live scores, results and fixtures',
    sections: [
      ['football', 'Football', 'football', 40],
      ['rugby-union', 'Rugby Union', 'rugby', 10],
      ['tennis', 'Tennis', 'players', 10],
      ['formula-1', 'Formula 1', 'racing', 12],
    ],
  },
  {
    name: 'money',
    tagline: 'Personal finance news and advice',
    sections: [
      ['personal-finance', 'Personal Finance', 'money', 30],
      ['property', 'Property', 'money', 20],
      ['pensions', 'Pensions', 'money', 15],
      ['markets', 'Markets', 'money', 15],
      ['consumer', 'Consumer', 'money', 20],
    ],
  },
  {
    name: 'travel',
    tagline: 'Holidays, deals and travel inspiration',
    sections: [
      ['destinations', 'Destinations', 'travel', 30],
      ['uk-holidays', 'UK Holidays', 'travel', 20],
      ['cruises', 'Cruises', 'travel', 10],
      ['deals', 'Deals', 'travel', 25],
    ],
  },
];

const PREFIXES = ['Daily', 'Evening', 'Morning', 'Metro', 'Harbour'] as const;
const MORE_PREFIXES = ['County', 'Riverside', 'Northern', 'Western', 'Capital'] as const;
const NOUNS = ['Courier', 'Gazette', 'Herald', 'Chronicle', 'Post', 'Sentinel'] as const;
const MORE_NOUNS = ['Tribune', 'Observer', 'Ledger', 'Bugle', 'Dispatch', 'Record'] as const;

/** Every brand name, `[prefix, noun]`: 120 of them, enough for the 100 workspaces allowed. */
const BRANDS = [...PREFIXES, ...MORE_PREFIXES].flatMap((prefix) =>
  [...NOUNS, ...MORE_NOUNS].map((noun) => [prefix, noun] as const),
);

const SECONDS_PER_DAY = 86_400;

function sections(specs: readonly SectionSpec[]): Weighted<Section> {
  return new Weighted(
    specs.map(([path, label, topic, weight]) => {
      const videoShare = path === 'video' ? 1 : 0.33;
      return [{ path, label, topic, videoShare }, weight] as const;
    }),
  );
}

/** A creation time `minDays` to `maxDays` days before `beforeMs`, with microseconds. */
function createdBefore(rng: Rng, beforeMs: number, range: readonly [number, number]): string {
  const seconds = rng.between(range[0] * SECONDS_PER_DAY, range[1] * SECONDS_PER_DAY);
  return timestamp((beforeMs / 1000 - seconds) * 1_000_000 + rng.int(1_000_000));
}

/** Picks the brands of `count` workspaces: a permutation of {@link BRANDS} that depends on the seed. */
function brandOrder(seedWords: readonly [number, number]): (readonly [string, string])[] {
  return shuffleInPlace(Rng.derive(seedWords[0], seedWords[1], 0x6272616e), [...BRANDS]);
}

/** Inputs of {@link publishers}. */
export interface PublisherOptions {
  readonly seedWords: readonly [number, number];
  readonly workspaces: number;
  /** Midnight of `start_date` in ms; sites were created before it. */
  readonly startMs: number;
}

/** The publishers of workspaces `ws_1` … `ws_N`, the same for a given seed. */
export function publishers(options: PublisherOptions): Publisher[] {
  const order = brandOrder(options.seedWords);
  return Array.from({ length: options.workspaces }, (_, i) => {
    const [prefix, noun] = order[i] ?? ['Daily', 'Courier'];
    const rng = Rng.derive(options.seedWords[0], options.seedWords[1], 0x70756273, i);
    const root = `${prefix}${noun}`.toLowerCase() + (rng.chance(0.65) ? '.co.uk' : '.com');
    const name = `The ${prefix} ${noun}`;
    const main: Site = {
      index: 0,
      domain: `www.${root}`,
      name,
      homeTitle: `${name} | Latest news, sport and comment`,
      sections: sections(MAIN_SECTIONS),
      createdAt: createdBefore(rng, options.startMs, [1200, 3600]),
    };
    const extra = SECTION_SITES.filter((_kind, k) => k === 0 || rng.chance(0.5));
    const startMs = options.startMs;
    const sites = [
      main,
      ...extra.map((kind, k) => sectionSite({ rng, root, name, kind, startMs }, k + 1)),
    ];
    const siteWeights = new Weighted(sites.map((s) => [s, s.index === 0 ? 6 : 1] as const));
    return { workspaceId: `ws_${i + 1}`, name, appName: `${prefix}${noun}`, sites, siteWeights };
  });
}

interface SectionSiteInput {
  readonly rng: Rng;
  readonly root: string;
  readonly name: string;
  readonly kind: SiteKind;
  readonly startMs: number;
}

function sectionSite(input: SectionSiteInput, index: number): Site {
  const siteName = `${input.name} ${capitalise(input.kind.name)}`;
  return {
    index,
    domain: `${input.kind.name}.${input.root}`,
    name: siteName,
    homeTitle: `${siteName} | ${input.kind.tagline}`,
    sections: sections(input.kind.sections),
    createdAt: createdBefore(input.rng, input.startMs, [40, 1100]),
  };
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
