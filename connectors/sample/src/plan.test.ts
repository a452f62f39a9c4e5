import { describe, expect, it } from 'vitest';
import { MICROS_PER_DAY } from './format.js';
import { gapAfter, planDay } from './plan.js';
import { configOf } from './test-helpers.js';
import { cohortStart, firstDay, identityFlags } from './users.js';
import { createWorld } from './world.js';

const world = createWorld(configOf({ events_per_day: 20_000, workspaces: 4, seed: 8 }));
const sessions = planDay(world, 1);

describe('planDay', () => {
  it('spends exactly each workspace’s page views', () => {
    for (const workspace of world.workspaces) {
      const mine = sessions.filter((s) => s.workspace === workspace);
      expect(mine.reduce((sum, s) => sum + s.pageviews, 0)).toBe(workspace.pageviews);
    }
  });

  it('orders sessions by start and keeps them within the day', () => {
    const late = sessions.filter(
      (s, i) =>
        s.start > s.end || s.end >= MICROS_PER_DAY || (i > 0 && sessions[i - 1]!.start > s.start),
    );
    expect(late).toEqual([]);
    expect(new Set(sessions.map((s) => s.order)).size).toBe(sessions.length);
  });

  it('brings each of the day’s new users exactly once, on their first day', () => {
    for (const workspace of world.workspaces) {
      const { population } = workspace;
      const fresh = sessions.filter((s) => s.workspace === workspace && s.isNew).map((s) => s.user);
      const first = cohortStart(population, 1);
      expect(fresh.sort((a, b) => a - b)).toEqual(
        Array.from({ length: population.newPerDay }, (_, i) => first + i),
      );
      const returning = sessions.filter((s) => s.workspace === workspace && !s.isNew);
      expect(returning.every((s) => firstDay(population, s.user) < 1)).toBe(true);
    }
  });

  it('logs users in on their login day', () => {
    const logins = sessions.filter((s) => s.login);
    expect(logins.length).toBeGreaterThan(0);
    for (const s of logins) {
      const flags = identityFlags(s.workspace.users, s.user);
      expect(flags.logsIn).toBe(true);
      expect(firstDay(s.workspace.population, s.user) + flags.loginDelay).toBe(1);
    }
  });

  it('is the same plan for the same day, whatever else is generated', () => {
    const again = planDay(
      createWorld(configOf({ events_per_day: 20_000, workspaces: 4, seed: 8, days: 9 })),
      1,
    );
    expect(again.map((s) => [s.user, s.start, s.pageviews])).toEqual(
      sessions.map((s) => [s.user, s.start, s.pageviews]),
    );
  });
});

describe('gapAfter', () => {
  it('fits the page views between the session’s start and end', () => {
    const overflow = sessions.filter((session) => {
      const gaps = Array.from({ length: session.pageviews }, (_, i) => gapAfter(session, i));
      const total = gaps.reduce((sum: number, gap) => sum + (gap ?? 0), 0);
      return (
        gaps.at(-1) !== undefined ||
        gaps.slice(0, -1).includes(undefined) ||
        total > session.end - session.start
      );
    });
    expect(overflow).toEqual([]);
    expect(sessions.some((s) => s.duration > s.end - s.start)).toBe(true);
  });
});
