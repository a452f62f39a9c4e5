/**
 * The rows of the event streams, built from a session in progress. Every row of a stream is an
 * object literal of the same shape; nested structs that do not change within a session (the
 * user's location, ISP and segments) are shared, frozen, by its rows.
 */
import type { Row } from '@ferry/core';
import { timeOfDay } from './format.js';
import type { Page, PageCatalog, VideoInfo } from './pages.js';
import type { Session } from './plan.js';
import type { Site } from './publishers.js';
import type { Arrival } from './traffic.js';
import type { User } from './users.js';

/** The `properties.client` struct of an event. */
export interface Client {
  readonly url: string;
  readonly referrer: string | null;
  readonly user_agent: string;
  readonly domain: string;
  readonly title: string | null;
  readonly type: string;
}

/** A session in progress. */
export interface Visit {
  readonly kind: 'visit';
  /** Microseconds since midnight of the next page view. */
  time: number;
  readonly order: number;
  readonly session: Session;
  readonly user: User;
  /** Ids of the segments the user is in today. */
  readonly segments: readonly bigint[];
  readonly site: Site;
  readonly arrival: Arrival;
  readonly sessionId: string;
  readonly pages: PageCatalog;
  /** Index of the next page view. */
  next: number;
  previousUrl: string | null;
}

/** The page view being generated (one object, reused). */
export interface View {
  time: number;
  eventId: string;
  viewId: string;
  client: Client;
}

/** A video view waiting for its time to come. */
export interface PendingVideo {
  readonly kind: 'video';
  readonly time: number;
  readonly order: number;
  readonly visit: Visit;
  readonly viewId: string;
  readonly client: Client;
  readonly eventId: string;
  readonly video: VideoInfo;
  /** `position_s`. */
  readonly position: number;
}

/** The `client` struct of the visit's next page view, on `page`. */
export function clientOf(visit: Visit, page: Page): Client {
  const type = visit.user.device.type;
  const app = type === 'ios' || type === 'android';
  const first = visit.next === 0;
  let url = first ? page.url + visit.arrival.query : page.url;
  if (type === 'amp') url += url.endsWith('/') ? 'amp' : '/amp';
  return {
    url,
    referrer: first ? visit.arrival.referrer : app ? null : visit.previousUrl,
    user_agent: visit.user.device.userAgent,
    domain: visit.site.domain,
    title: app ? page.appTitle : page.title,
    type,
  };
}

/** A `pageview_events` row; `prefix` is the day's `YYYY-MM-DDT`. */
export function pageviewRow(prefix: string, visit: Visit, view: View): Row {
  const { user } = visit;
  return {
    event_id: view.eventId,
    workspace_id: visit.session.workspace.id,
    user_id: user.id,
    session_id: visit.sessionId,
    view_id: view.viewId,
    time: timeOfDay(prefix, view.time),
    name: 'Pageview',
    properties: { client: view.client, geo_info: user.geo, isp_info: user.isp },
    segments: visit.segments,
  };
}

/** A `videoview_events` row; `prefix` is the day's `YYYY-MM-DDT`. */
export function videoviewRow(prefix: string, pending: PendingVideo): Row {
  const { visit, video } = pending;
  const { user } = visit;
  return {
    event_id: pending.eventId,
    workspace_id: visit.session.workspace.id,
    user_id: user.id,
    session_id: visit.sessionId,
    view_id: pending.viewId,
    time: timeOfDay(prefix, pending.time),
    name: 'Videoview',
    properties: {
      client: pending.client,
      geo_info: user.geo,
      isp_info: user.isp,
      video: {
        video_id: video.video_id,
        title: video.title,
        duration_s: video.duration_s,
        position_s: pending.position,
        autoplay: video.autoplay,
      },
    },
    segments: visit.segments,
  };
}
