/**
 * Users of a workspace. Each day brings a cohort of new users of the same size; a user's index
 * fixes their cohort (the day of their first visit) and, through a seeded generator, everything
 * else about them, so any user can be rebuilt on any day without history.
 */
import { drawDevice, type Device, type DeviceTable } from './devices.js';
import { uuid } from './format.js';
import { drawConnection, type GeoInfo, type IspInfo } from './geo.js';
import { hasher, Rng } from './random.js';
import { drawMembership, type Membership } from './segments.js';

/**
 * Days of cohorts before `start_date`: users who first visited up to this long before the first
 * generated day return during it.
 */
export const HISTORY_DAYS = 90;

/** How a workspace's user indices map onto cohorts. */
export interface Population {
  /** Users whose first visit is on each day (at least 1 when the workspace has traffic). */
  readonly newPerDay: number;
}

/** The first user index of the cohort of `day` (a day index from start_date, may be negative). */
export function cohortStart(population: Population, day: number): number {
  return (day + HISTORY_DAYS) * population.newPerDay;
}

/** The day of a user's first visit (a day index from start_date, negative before it). */
export function firstDay(population: Population, user: number): number {
  return Math.floor(user / population.newPerDay) - HISTORY_DAYS;
}

/** What stays the same for a user across days and streams. */
export interface User {
  readonly index: number;
  /** `user_id`, a UUID. */
  readonly id: string;
  readonly device: Device;
  /** `properties.geo_info` (frozen, shared). */
  readonly geo: GeoInfo;
  /** `properties.isp_info` (frozen, shared). */
  readonly isp: IspInfo;
  readonly membership: Membership;
}

/** What is the same for every user of a workspace. */
export interface UserContext {
  /** The devices of the publisher's users. */
  readonly devices: DeviceTable;
  /** The workspace's segment ids, ascending. */
  readonly segmentIds: readonly bigint[];
  /** The generator of user `index`'s attributes. */
  readonly attributes: (index: number) => Rng;
  /** The hash of user `index`'s identity flags. */
  readonly identity: (index: number) => number;
}

/** Inputs of {@link userContext}. */
export interface UserContextOptions {
  readonly seedWords: readonly [number, number];
  /** Zero-based workspace index. */
  readonly workspace: number;
  readonly devices: DeviceTable;
  readonly segmentIds: readonly bigint[];
}

/** The user context of a workspace. */
export function userContext(options: UserContextOptions): UserContext {
  const [lo, hi] = options.seedWords;
  return {
    devices: options.devices,
    segmentIds: options.segmentIds,
    attributes: Rng.deriver(lo ^ 0x75736572, hi, options.workspace),
    identity: hasher(lo ^ 0x666c6167, hi, options.workspace),
  };
}

/** Rebuilds user `index` of a workspace. */
export function buildUser(context: UserContext, index: number): User {
  const rng = context.attributes(index);
  const id = uuid(rng);
  const device = drawDevice(rng, context.devices);
  const { geo, isp } = drawConnection(rng);
  const membership = drawMembership(rng, context.segmentIds.length);
  return { index, id, device, geo, isp, membership };
}

/** Which identities a user has, from a cheap hash (cheap enough to scan whole cohorts). */
export interface IdentityFlags {
  /** Logs in (and so gets `email_sha256` and `default` aliases): 25% of users. */
  readonly logsIn: boolean;
  /** Days between the first visit and the login: 0 for 40% of those who log in, else 1–6. */
  readonly loginDelay: number;
  /** Has an AppNexus cookie synced on the first visit: 60%. */
  readonly appnexus: boolean;
  /** Has a Trade Desk cookie synced on the first visit: 45%. */
  readonly ttd: boolean;
}

/** The longest {@link IdentityFlags.loginDelay}. */
export const MAX_LOGIN_DELAY = 6;

/** Days between user `index`'s first visit and login, or -1 if they never log in. */
export function loginDelay(context: UserContext, index: number): number {
  const h = context.identity(index);
  if ((h & 0xff) >= 64) return -1;
  const delay = (h >>> 8) & 0xff;
  return delay < 103 ? 0 : 1 + Math.floor(((delay - 103) * MAX_LOGIN_DELAY) / 153);
}

/** The identity flags of user `index` of a workspace. */
export function identityFlags(context: UserContext, index: number): IdentityFlags {
  const h = context.identity(index);
  const delay = loginDelay(context, index);
  return {
    logsIn: delay >= 0,
    loginDelay: Math.max(0, delay),
    appnexus: ((h >>> 16) & 0xff) < 154,
    ttd: h >>> 24 < 115,
  };
}
