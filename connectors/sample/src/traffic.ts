/**
 * When and from where readers arrive: a daily traffic curve (quiet at night, peaks at breakfast,
 * lunch and evening, UTC) and the referrers of a session's first page view.
 */
import type { ClientType } from './devices.js';
import { token } from './format.js';
import { Weighted, type Rng } from './random.js';

const MICROS_PER_HOUR = 3_600_000_000;

/** Relative traffic of each UTC hour, 00 to 23. */
const HOURLY = [
  0.9, 0.6, 0.4, 0.35, 0.4, 0.7, 1.4, 2.4, 2.9, 2.8, 2.6, 2.6, 2.9, 2.8, 2.6, 2.5, 2.6, 2.8, 3.0,
  3.3, 3.4, 3.0, 2.2, 1.5,
] as const;

const HOURS = new Weighted(HOURLY.map((weight, hour) => [hour, weight] as const));

/** A time of day, in microseconds since midnight, drawn along the daily traffic curve. */
export function drawTimeOfDay(rng: Rng): number {
  return HOURS.pick(rng) * MICROS_PER_HOUR + rng.int(MICROS_PER_HOUR);
}

/** Where a session comes from: the first page view's referrer and its URL's query string. */
export interface Arrival {
  /** Null for direct traffic, e-mail and apps. */
  readonly referrer: string | null;
  /** Campaign parameters appended to the landing page's URL (`?utm_source=…`), or `''`. */
  readonly query: string;
}

const SOCIAL_FACEBOOK = '?utm_source=facebook&utm_medium=social';
const T_CO = 'https://t.co/';

const WEB_ARRIVALS = new Weighted<Arrival>([
  [{ referrer: null, query: '' }, 26],
  [{ referrer: 'https://www.google.com/', query: '' }, 30],
  [{ referrer: 'https://www.google.co.uk/', query: '' }, 6],
  [{ referrer: 'https://news.google.com/', query: '' }, 5],
  [{ referrer: 'android-app://com.google.android.googlequicksearchbox/', query: '' }, 5],
  [{ referrer: 'https://l.facebook.com/', query: SOCIAL_FACEBOOK }, 6],
  [{ referrer: 'https://m.facebook.com/', query: SOCIAL_FACEBOOK }, 3],
  [{ referrer: T_CO, query: '?utm_source=twitter&utm_medium=social' }, 3],
  [{ referrer: 'https://www.bing.com/', query: '' }, 4],
  [{ referrer: 'https://duckduckgo.com/', query: '' }, 2],
  [{ referrer: 'https://www.reddit.com/', query: '' }, 2],
  [{ referrer: 'https://uk.search.yahoo.com/', query: '' }, 1],
  [{ referrer: 'https://flipboard.com/', query: '' }, 1],
  [
    {
      referrer: null,
      query: '?utm_source=newsletter&utm_medium=email&utm_campaign=morning-briefing',
    },
    4,
  ],
]);

const AMP_ARRIVALS = new Weighted<Arrival>([
  [{ referrer: 'https://www.google.com/', query: '' }, 85],
  [{ referrer: null, query: '' }, 15],
]);

const APP_ARRIVAL: Arrival = { referrer: null, query: '' };

/** Draws how a session on a client of type `type` arrives. */
export function drawArrival(rng: Rng, type: ClientType): Arrival {
  if (type === 'ios' || type === 'android') return APP_ARRIVAL;
  const arrival = (type === 'amp' ? AMP_ARRIVALS : WEB_ARRIVALS).pick(rng);
  // t.co links are per tweet.
  return arrival.referrer === T_CO ? { ...arrival, referrer: T_CO + token(rng, 10) } : arrival;
}
