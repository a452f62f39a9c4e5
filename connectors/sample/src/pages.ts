/**
 * The pages of a publisher's sites: home pages, section fronts and articles. Each site publishes
 * a fixed number of articles a day; readers mostly read the day's and the last few days' most
 * popular ones, and about a third of the articles embed a video.
 */
import { digits } from './format.js';
import { headline, slug } from './headlines.js';
import type { Publisher, Section, Site } from './publishers.js';
import { Rng } from './random.js';

/** The `properties.video` struct of a video view, less the viewer's position. */
export interface VideoInfo {
  readonly video_id: string;
  /** Null when the player reports no title (5%). */
  readonly title: string | null;
  /** Null for live streams (3%). */
  readonly duration_s: number | null;
  readonly autoplay: boolean;
}

/** A page as the events show it. */
export interface Page {
  readonly url: string;
  /** The document title on the web. */
  readonly title: string;
  /** The title reported by the apps: null on native screens (home, section fronts). */
  readonly appTitle: string | null;
  /** The video embedded in the page, if any. */
  readonly video: VideoInfo | null;
}

const ARTICLES_PER_DAY = [40, 15] as const;
const HOME_SHARE = 0.12;
const FRONT_SHARE = 0.08;

/** Inputs of {@link PageCatalog}. */
export interface PageCatalogOptions {
  readonly seedWords: readonly [number, number];
  readonly publisher: Publisher;
  /** Zero-based workspace index. */
  readonly workspace: number;
}

/** Picks the pages readers view and builds (and caches) them on demand. */
export class PageCatalog {
  readonly #options: PageCatalogOptions;
  readonly #pages = new Map<string | number, Page>();

  constructor(options: PageCatalogOptions) {
    this.#options = options;
  }

  /** The page of the next page view on `site`, on the `day` (index from start_date). */
  pick(rng: Rng, site: Site, day: number): Page {
    const kind = rng.float();
    if (kind < HOME_SHARE) return this.#home(site);
    if (kind < HOME_SHARE + FRONT_SHARE) return this.#front(site, site.sections.pick(rng));
    // Readers favour today's stories, then yesterday's; and the most popular ones of a day.
    const age = Math.floor(7 * rng.float() ** 3);
    const perDay = ARTICLES_PER_DAY[site.index === 0 ? 0 : 1];
    return this.#article(site, day - age, Math.floor(perDay * rng.float() ** 2));
  }

  #home(site: Site): Page {
    const key = `${site.index}/`;
    let page = this.#pages.get(key);
    if (page === undefined) {
      page = { url: `https://${site.domain}/`, title: site.homeTitle, appTitle: null, video: null };
      this.#pages.set(key, page);
    }
    return page;
  }

  #front(site: Site, section: Section): Page {
    const key = `${site.index}/${section.path}`;
    let page = this.#pages.get(key);
    if (page === undefined) {
      const url = `https://${site.domain}/${section.path}/`;
      page = { url, title: `${section.label} | ${site.name}`, appTitle: null, video: null };
      this.#pages.set(key, page);
    }
    return page;
  }

  #article(site: Site, publishedDay: number, rank: number): Page {
    const key = ((site.index * 65_536 + publishedDay + 32_768) * 64 + rank) * 2;
    let page = this.#pages.get(key);
    if (page === undefined) {
      page = this.#newArticle(site, publishedDay, rank);
      this.#pages.set(key, page);
    }
    return page;
  }

  #newArticle(site: Site, publishedDay: number, rank: number): Page {
    const { seedWords, workspace } = this.#options;
    const rng = Rng.derive(
      seedWords[0] ^ 0x61727469,
      seedWords[1],
      workspace * 8 + site.index,
      (publishedDay + 1_000_000) * 64 + rank,
    );
    const section = site.sections.pick(rng);
    const story = headline(rng, section.topic);
    const text = section.path === 'video' ? `Watch: ${story}` : story;
    const id = 10_000_000 + ((publishedDay + 40_000) * 4 + Math.min(site.index, 3)) * 64 + rank;
    const title = `${text} | ${site.name}`;
    return {
      url: `https://${site.domain}/${section.path}/${slug(story)}-${id}`,
      title,
      appTitle: title,
      video: rng.chance(section.videoShare) ? drawVideo(rng, story) : null,
    };
  }
}

function drawVideo(rng: Rng, story: string): VideoInfo {
  return {
    video_id: digits(rng, 13),
    title: rng.chance(0.05) ? null : story,
    duration_s: rng.chance(0.03) ? null : 30 + Math.floor(570 * rng.float() ** 2),
    autoplay: rng.chance(0.4),
  };
}
