/**
 * The sessions of one day: who visits which workspace, when, and for how many page views. The
 * page view, video view and alias streams all derive from this plan, so they agree with each
 * other (a video view is on a page view; an alias appears in its user's session).
 */
import { MICROS_PER_DAY } from './format.js';
import { Rng, shuffleInPlace } from './random.js';
import { drawTimeOfDay } from './traffic.js';
import { cohortStart, HISTORY_DAYS, loginDelay, MAX_LOGIN_DELAY } from './users.js';
import type { Workspace, World } from './world.js';

/** One session of the day's plan. */
export interface Session {
  readonly workspace: Workspace;
  /** The user's index in the workspace's population. */
  readonly user: number;
  /** The user's first visit ever. */
  readonly isNew: boolean;
  /** The user logs in during this session. */
  readonly login: boolean;
  readonly pageviews: number;
  /** Time on each page but the last, in microseconds, from `gaps[firstGap]` on (see {@link gapAfter}). */
  readonly gaps: Float64Array;
  readonly firstGap: number;
  /** The total of the session's gaps, before any compression. */
  readonly duration: number;
  /** Draws everything else about the session, in order as its page views are generated. */
  readonly rng: Rng;
  /** Microseconds since midnight of the first page view (set once by the planner). */
  start: number;
  /** Microseconds since midnight of the last page view (set once by the planner). */
  end: number;
  /** Tie-breaker among sessions starting at the same microsecond; unique within the day. */
  order: number;
}

interface Visit {
  readonly user: number;
  readonly isNew: boolean;
  readonly login: boolean;
}

/** Share of sessions with a single page view; the rest have two or more. */
const BOUNCE_RATE = 0.42;
const MAX_PAGEVIEWS = 30;

function drawPageviews(rng: Rng): number {
  if (rng.chance(BOUNCE_RATE)) return 1;
  let count = 2;
  while (count < MAX_PAGEVIEWS && rng.chance(0.65)) count++;
  return count;
}

/** Time on a page in microseconds: log-normal with a median of 45 s, between 3 s and 30 min. */
function drawGap(rng: Rng): number {
  return Math.floor(Math.min(1800, Math.max(3, 45 * Math.exp(rng.normal()))) * 1_000_000);
}

/**
 * Microseconds between page view `index` of `session` and the next one, or undefined after the
 * last one. A session that would run past midnight is compressed to end by then.
 */
export function gapAfter(session: Session, index: number): number | undefined {
  if (index >= session.pageviews - 1) return undefined;
  const gap = session.gaps[session.firstGap + index] ?? 0;
  const span = session.end - session.start;
  return session.duration <= span ? gap : Math.floor((gap * span) / session.duration);
}

/**
 * Users who must visit a workspace on `day`: the day's new users (on their first visit, some
 * log in at once) and earlier users whose login falls on this day.
 */
function forcedVisits(workspace: Workspace, day: number): Visit[] {
  const { population, users } = workspace;
  const visits: Visit[] = [];
  for (let delay = Math.min(MAX_LOGIN_DELAY, day + HISTORY_DAYS); delay > 0; delay--) {
    const first = cohortStart(population, day - delay);
    for (let user = first; user < first + population.newPerDay; user++) {
      if (loginDelay(users, user) === delay) visits.push({ user, isNew: false, login: true });
    }
  }
  const today = cohortStart(population, day);
  for (let user = today; user < today + population.newPerDay; user++) {
    visits.push({ user, isNew: true, login: loginDelay(users, user) === 0 });
  }
  return visits;
}

/**
 * A returning user: the age of their cohort is log-uniform (recent users return most), and
 * within a cohort a few loyal users return far more than the rest.
 */
function returningUser(rng: Rng, workspace: Workspace, day: number): number {
  const span = day + HISTORY_DAYS;
  const age = Math.min(span, Math.max(1, Math.floor((span + 1) ** rng.float())));
  const rank = Math.floor(workspace.population.newPerDay * rng.float() ** 3);
  return cohortStart(workspace.population, day - age) + rank;
}

/** The sessions of one workspace on one day, in the order they are drawn, not yet timed. */
function drawSessions(rng: Rng, workspace: Workspace, day: number): Session[] {
  let budget = workspace.pageviews;
  // Each forced visit needs a page view; with a tiny budget only the first ones happen.
  const forced = forcedVisits(workspace, day).slice(0, budget);
  const sessions: Session[] = [];
  const gaps = new Float64Array(budget);
  let used = 0;
  while (budget > 0) {
    const visit = forced[sessions.length];
    const user = visit?.user ?? returningUser(rng, workspace, day);
    const forcedLeft = forced.length - sessions.length;
    const pageviews = Math.min(drawPageviews(rng), budget - Math.max(0, forcedLeft - 1));
    budget -= pageviews;
    const sessionRng = rng.fork();
    const firstGap = used;
    let duration = 0;
    for (let i = 1; i < pageviews; i++) {
      const gap = drawGap(sessionRng);
      gaps[used++] = gap;
      duration += gap;
    }
    sessions.push({
      workspace,
      user,
      isNew: visit?.isNew ?? false,
      login: visit?.login ?? false,
      pageviews,
      gaps,
      firstGap,
      duration,
      rng: sessionRng,
      start: 0,
      end: 0,
      order: 0,
    });
  }
  return sessions;
}

/**
 * The sessions of one workspace on one day, by start time. Start times are drawn and sorted
 * apart from the sessions, which are shuffled onto them: the same as sorting sessions with
 * random starts, without a comparison sort of objects.
 */
function workspaceSessions(world: World, workspace: Workspace, day: number): Session[] {
  const rng = Rng.derive(world.seedWords[0] ^ 0x706c616e, world.seedWords[1], day, workspace.index);
  const sessions = shuffleInPlace(rng, drawSessions(rng, workspace, day));
  const starts = new Float64Array(sessions.length);
  for (let i = 0; i < starts.length; i++) starts[i] = drawTimeOfDay(rng);
  starts.sort();
  sessions.forEach((session, i) => {
    session.start = starts[i] ?? 0;
    // A session ends before midnight (a day's events never spill into the next day): one that
    // would run later is cut short, ending at a random time before then.
    const room = MICROS_PER_DAY - 1 - session.start;
    const fits = session.duration <= room;
    session.end =
      session.start + (fits ? session.duration : Math.floor(room * (0.3 + 0.7 * rng.float())));
    session.order = i * 128 + workspace.index;
  });
  return sessions;
}

function earlier(a: Session, b: Session): boolean {
  return a.start < b.start || (a.start === b.start && a.order < b.order);
}

/** Merges lists of sessions sorted by start into one. */
function merge(lists: readonly Session[][]): Session[] {
  if (lists.length <= 1) return lists[0] ?? [];
  const half = lists.length >> 1;
  const a = merge(lists.slice(0, half));
  const b = merge(lists.slice(half));
  const out: Session[] = [];
  let i = 0;
  let j = 0;
  for (;;) {
    const x = a[i];
    const y = b[j];
    if (x === undefined || y === undefined) break;
    if (earlier(y, x)) {
      out.push(y);
      j++;
    } else {
      out.push(x);
      i++;
    }
  }
  return out.concat(a.slice(i), b.slice(j));
}

/** All sessions of `day` (index from start_date) in every workspace, by start time. */
export function planDay(world: World, day: number): Session[] {
  return merge(world.workspaces.map((workspace) => workspaceSessions(world, workspace, day)));
}
