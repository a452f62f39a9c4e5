import { createHash } from 'node:crypto';
import type { Row } from '@ferry/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { drawIdentity, hashEmail } from './aliases.js';
import { STREAMS } from './catalog.js';
import { configOf, configured, readAll, rowsOf, toJson, type ReadResult } from './test-helpers.js';
import { createWorld } from './world.js';

const SALT = 'pepper-7Qx9';
const config = configOf({ events_per_day: 5000, days: 3, seed: 5, hash_salt: SALT });
let result: ReadResult;
let aliases: Row[];

beforeAll(async () => {
  result = await readAll(config, configured(STREAMS.map((s) => s.name)));
  aliases = result.rows.aliases ?? [];
});

describe('aliases', () => {
  it('use the five tags with their priorities', () => {
    const priorities = new Map(aliases.map((a) => [a.tag, a.priority]));
    expect(Object.fromEntries(priorities)).toEqual({
      default: 0,
      email_sha256: 1,
      amp: 2,
      appnexus: 3,
      ttd: 4,
    });
  });

  it('give each user at most one id per tag', () => {
    const keys = aliases.map(
      (a) => `${String(a.workspace_id)} ${String(a.user_id)} ${String(a.tag)}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('appear in a session of their user, at or after its first page view', () => {
    const firstView = new Map<string, string[]>();
    for (const row of result.rows.pageview_events ?? []) {
      const key = `${String(row.workspace_id)} ${String(row.user_id)}`;
      firstView.set(key, [...(firstView.get(key) ?? []), row.time as string]);
    }
    const orphans = aliases.filter((alias) => {
      const times = firstView.get(`${String(alias.workspace_id)} ${String(alias.user_id)}`) ?? [];
      const day = (alias.time as string).slice(0, 10);
      return !times.some((t) => t.startsWith(day) && t <= (alias.time as string));
    });
    expect(orphans).toEqual([]);
  });

  it('hash e-mail addresses with the salt', () => {
    const emails = aliases.filter((a) => a.tag === 'email_sha256');
    expect(emails.length).toBeGreaterThan(50);
    expect(emails.every((a) => /^[0-9a-f]{64}$/.test(a.id as string))).toBe(true);
    // Find whose address hashes to the first id, then hash that address independently.
    const world = createWorld(config);
    const first = emails[0]!;
    const workspace = world.workspaces.find((w) => w.id === first.workspace_id)!;
    const users = new Map(
      Array.from({ length: 200 * workspace.population.newPerDay }, (_, user) => [
        hashEmail(SALT, drawIdentity(world, workspace, user).email),
        user,
      ]),
    );
    const user = users.get(first.id as string);
    expect(user).toBeDefined();
    const email = drawIdentity(world, workspace, user!).email;
    expect(email).toMatch(/^[a-z._0-9]+@[a-z.]+$/);
    expect(first.id).toBe(
      createHash('sha256')
        .update(SALT + email)
        .digest('hex'),
    );
  });

  it('change only the e-mail hashes with another salt', async () => {
    const unsalted = await rowsOf({ ...config, hash_salt: '' }, 'aliases');
    expect(unsalted).toHaveLength(aliases.length);
    unsalted.forEach((alias, i) => {
      const salted = aliases[i]!;
      if (alias.tag === 'email_sha256') expect(alias.id).not.toBe(salted.id);
      else expect(alias).toEqual(salted);
    });
  });

  it('never show the salt in any row of any stream', () => {
    expect(toJson(result.rows)).not.toContain(SALT);
    expect(toJson(result.messages)).not.toContain(SALT);
  });

  it('grow as users appear and log in, day by day', () => {
    const perDay = ['2025-01-01', '2025-01-02', '2025-01-03'].map(
      (day) => aliases.filter((a) => (a.time as string).startsWith(day)).length,
    );
    for (const count of perDay) expect(count).toBeGreaterThan(300);
  });
});
