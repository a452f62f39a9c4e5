import { describe, expect, it } from 'vitest';
import { configOf } from './test-helpers.js';
import { createWorld, splitTraffic } from './world.js';

describe('splitTraffic', () => {
  it('splits exactly, in proportion to 1/k^0.7', () => {
    expect(splitTraffic(10_000, 3)).toEqual([4810, 2961, 2229]);
    expect(splitTraffic(10, 3)).toEqual([5, 3, 2]);
    expect(splitTraffic(1, 3)).toEqual([1, 0, 0]);
    expect(splitTraffic(0, 2)).toEqual([0, 0]);
    expect(splitTraffic(7, 1)).toEqual([7]);
  });

  it('always sums to the total', () => {
    for (const [total, count] of [
      [99_999, 100],
      [12_345, 7],
      [3, 100],
    ] as const) {
      expect(splitTraffic(total, count).reduce((a, b) => a + b, 0)).toBe(total);
    }
  });
});

describe('createWorld', () => {
  it('gives each workspace its publisher, segments and population', () => {
    const world = createWorld(configOf({ workspaces: 100, events_per_day: 100_000 }));
    expect(world.workspaces.map((w) => w.id)).toEqual(
      Array.from({ length: 100 }, (_, i) => `ws_${String(i + 1)}`),
    );
    const domains = world.workspaces.flatMap((w) => w.publisher.sites.map((s) => s.domain));
    expect(new Set(domains).size).toBe(domains.length);
    expect(world.workspaces[0]?.population.newPerDay).toBe(
      Math.round(0.08 * (world.workspaces[0]?.pageviews ?? 0)),
    );
    expect(world.workspaces.every((w) => w.population.newPerDay >= 1)).toBe(true);
  });
});
