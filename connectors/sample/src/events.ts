/**
 * The page views and video views of one day, in time order. The day's sessions start in order
 * (see `plan.ts`) and overlap; a heap of the sessions in progress yields their page views (and
 * the video views played on them) earliest first.
 */
import type { Row } from '@ferry/core';
import { dayPrefix, MICROS_PER_DAY, MS_PER_DAY, uuid } from './format.js';
import { TimeHeap, type Timed } from './heap.js';
import { PageCatalog, type VideoInfo } from './pages.js';
import { gapAfter, planDay, type Session } from './plan.js';
import {
  clientOf,
  pageviewRow,
  videoviewRow,
  type PendingVideo,
  type View,
  type Visit,
} from './rows.js';
import { segmentsAt } from './segments.js';
import { drawArrival } from './traffic.js';
import { buildUser, firstDay } from './users.js';
import type { Workspace, World } from './world.js';

/** Which of the two event streams a {@link DayEvents} yields. */
export type EventKind = 'pageview' | 'videoview';

/** After the last page view of a session, how long a video may still play. */
const LAST_PAGE_MICROS = 120_000_000;

/** Options of {@link DayEvents}. */
export interface DayEventsOptions {
  readonly kind: EventKind;
  /** Day index from start_date. */
  readonly day: number;
  /** Yield only events after this many microseconds since the day's midnight (default: all). */
  readonly afterMicros?: number;
}

/**
 * The events of one kind on one day, in ascending `time`, taken a batch at a time. Both kinds
 * make the same random draws, so a video view's page view is the one `pageview_events` has.
 */
export class DayEvents {
  readonly #kind: EventKind;
  readonly #day: number;
  readonly #after: number;
  readonly #prefix: string;
  readonly #sessions: Session[];
  readonly #seedWords: readonly [number, number];
  readonly #pages: PageCatalog[] = [];
  readonly #heap = new TimeHeap<Visit | PendingVideo>();
  readonly #view: View = { time: 0, eventId: '', viewId: '', client: EMPTY_CLIENT };
  #started = 0;
  #rows: Row[] = [];

  constructor(world: World, options: DayEventsOptions) {
    this.#kind = options.kind;
    this.#day = options.day;
    this.#after = options.afterMicros ?? -1;
    this.#prefix = dayPrefix(world.startMs + options.day * MS_PER_DAY);
    this.#sessions = planDay(world, options.day);
    this.#seedWords = world.seedWords;
  }

  /** Up to `max` further rows; an empty array once the day is done. */
  take(max: number): Row[] {
    const rows: Row[] = [];
    this.#rows = rows;
    while (rows.length < max && this.#step());
    return rows;
  }

  /** Handles the earliest pending event; false when none is left. */
  #step(): boolean {
    const top = this.#heap.peek();
    const session = this.#sessions[this.#started];
    if (session !== undefined && (top === undefined || before(session, top))) {
      // The session's first page view is the earliest event: no need to queue it.
      this.#started++;
      this.#viewPage(this.#startVisit(session));
      return true;
    }
    const item = this.#heap.pop();
    if (item === undefined) return false;
    if (item.kind === 'visit') this.#viewPage(item);
    else if (item.time > this.#after) this.#rows.push(videoviewRow(this.#prefix, item));
    return true;
  }

  #startVisit(session: Session): Visit {
    const { rng, workspace, start: time, order } = session;
    // Users are rebuilt for each session, not cached for the day: kept that long, they would
    // survive young-generation collections and cost more to promote than to rebuild.
    const user = buildUser(workspace.users, session.user);
    const age = this.#day - firstDay(workspace.population, session.user);
    const segments = Object.freeze(segmentsAt(user.membership, age, workspace.users.segmentIds));
    const site = workspace.publisher.siteWeights.pick(rng);
    const arrival = drawArrival(rng, user.device.type);
    const sessionId = uuid(rng);
    const pages = (this.#pages[workspace.index] ??= this.#newPages(workspace));
    return {
      kind: 'visit',
      time,
      order,
      session,
      user,
      segments,
      site,
      arrival,
      sessionId,
      pages,
      next: 0,
      previousUrl: null,
    };
  }

  #newPages(workspace: Workspace): PageCatalog {
    const { publisher, index } = workspace;
    return new PageCatalog({ seedWords: this.#seedWords, publisher, workspace: index });
  }

  #viewPage(visit: Visit): void {
    const rng = visit.session.rng;
    const page = visit.pages.pick(rng, visit.site, this.#day);
    const pageviews = this.#kind === 'pageview';
    const view = this.#view;
    view.time = visit.time;
    // The video stream needs no page view ids, but draws them to stay in step.
    view.eventId = pageviews ? uuid(rng) : rng.skip(4);
    view.viewId = uuid(rng);
    view.client = clientOf(visit, page);
    if (pageviews && view.time > this.#after) {
      this.#rows.push(pageviewRow(this.#prefix, visit, view));
    }
    const gap = gapAfter(visit.session, visit.next);
    if (page.video !== null) this.#play(visit, page.video, gap ?? LAST_PAGE_MICROS);
    visit.previousUrl = view.client.url;
    visit.next++;
    if (gap !== undefined) {
      visit.time += gap;
      this.#heap.push(visit);
    }
  }

  /** Maybe plays the page's video during the `gap` microseconds until the next page view. */
  #play(visit: Visit, video: VideoInfo, gap: number): void {
    const rng = visit.session.rng;
    if (!rng.chance(video.autoplay ? 0.85 : 0.65)) return;
    const videos = this.#kind === 'videoview';
    const eventId = videos ? uuid(rng) : rng.skip(4);
    const { time, viewId, client } = this.#view;
    const window = Math.min(gap, MICROS_PER_DAY - 1 - time);
    const offset = Math.floor(window * (0.1 + 0.8 * rng.float()));
    const watched = Math.floor(((window - offset) / 1_000_000) * rng.float());
    const position = Math.min(video.duration_s ?? watched, watched);
    if (!videos) return;
    const { order } = visit;
    const at = time + offset;
    this.#heap.push({
      kind: 'video',
      time: at,
      order,
      visit,
      viewId,
      client,
      eventId,
      video,
      position,
    });
  }
}

function before(session: Session, item: Timed): boolean {
  return session.start < item.time || (session.start === item.time && session.order < item.order);
}

const EMPTY_CLIENT = {
  url: '',
  referrer: null,
  user_agent: '',
  domain: '',
  title: null,
  type: 'web',
} as const;
