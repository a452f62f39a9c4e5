import { defineSource, isFerryError, type Source } from '@ferry/core';
import { CATALOG } from './catalog.js';
import { sampleConfigSchema, startDateMs, type SampleConfig } from './config.js';
import { readSample } from './read.js';
import { createWorld } from './world.js';

/**
 * The `sample` source: a deterministic generator of a publisher's first-party web analytics
 * (page views, video views, identity aliases, domains, segments). Same config, same rows.
 *
 * - `check` needs no connection: `{ok:true}`, or `{ok:false}` when `start_date` is not a real day.
 * - `discover` returns the same catalog for every config.
 * - `read` emits each requested stream in turn, in batches of about 5,000 rows. Incremental
 *   streams (`pageview_events`, `videoview_events`, `aliases`) go day by day in ascending `time`
 *   with a checkpoint `{ "cursor": "<time of the last row>" }` after each day, and resume after
 *   the saved cursor without generating earlier days. Full refreshes ignore the state and end
 *   with one checkpoint `{ "complete": true }`. Throws a `ConfigError` for an unknown stream or
 *   an unsupported sync mode; stops between batches, throwing the signal's reason, on abort.
 */
export const source: Source<SampleConfig> = defineSource<SampleConfig>({
  type: 'sample',
  title: 'Sample events',
  summary:
    'Generates deterministic first-party web-analytics data: page views, video views, aliases, domains and segments.',
  configSchema: sampleConfigSchema,
  capabilities: { syncModes: ['full_refresh', 'incremental'] },
  validate(config) {
    startDateMs(config);
  },
  check(_ctx, config) {
    try {
      const world = createWorld(config);
      const details = [
        `${String(config.events_per_day)} page views a day for ${String(world.days)} days in ${String(config.workspaces)} workspaces`,
      ];
      return Promise.resolve({ ok: true, details });
    } catch (error) {
      if (!isFerryError(error)) throw error;
      return Promise.resolve({ ok: false, error: error.message });
    }
  },
  discover() {
    return Promise.resolve(structuredClone(CATALOG));
  },
  read: readSample,
});
