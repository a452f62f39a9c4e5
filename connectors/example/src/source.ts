import { defineSource, type Catalog, type CatalogStream, type Source } from '@ferry/core';
import { configSchema, type Config } from './config.js';
import { checkDirectory, listDirectory } from './files.js';
import { isStreamName, readSchemaFile, SCHEMA_SUFFIX, streamFiles } from './layout.js';
import { readStreams } from './read.js';

/**
 * The `example` source: reads the streams that the `example` destination wrote.
 *
 * - `check` lists the directory; `{ok: false}` when it is missing or cannot be read.
 * - `discover` offers one stream per `<stream>.schema.json`, sorted by name. A stream with a
 *   cursor field can be read incrementally (its default); the others are snapshots.
 * - `read` decodes each line with the types of its fields and emits batches of `batch_rows`.
 *   An incremental stream checkpoints `{ "line": <lines read> }` after each batch and resumes
 *   after that line; a full refresh ends with one checkpoint `{ "complete": true }`. Throws a
 *   `ConfigError` for an unknown stream, a `RecordError` for a malformed line (with its number)
 *   or a damaged state, and the signal's reason when aborted between batches.
 */
export const source: Source<Config> = defineSource<Config>({
  type: 'example',
  title: 'Example JSON Lines directory',
  summary: 'Reads the JSON Lines files of a local directory, one stream per file.',
  configSchema,
  capabilities: { syncModes: ['full_refresh', 'incremental'] },
  check: (_ctx, config) => checkDirectory(config.path, 'read'),
  discover: (_ctx, config) => discover(config.path),
  read: readStreams,
});

async function discover(dir: string): Promise<Catalog> {
  const names = (await listDirectory(dir))
    .filter((entry) => entry.endsWith(SCHEMA_SUFFIX))
    .map((entry) => entry.slice(0, -SCHEMA_SUFFIX.length))
    .filter(isStreamName)
    .sort();
  const streams: CatalogStream[] = [];
  for (const name of names) {
    const schema = await readSchemaFile(streamFiles(dir, name));
    if (schema === undefined) continue;
    const incremental = schema.cursorField !== undefined;
    streams.push({
      name,
      ...schema,
      syncModes: incremental ? ['full_refresh', 'incremental'] : ['full_refresh'],
      defaultSyncMode: incremental ? 'incremental' : 'full_refresh',
      defaultWriteMode: incremental ? 'append' : 'replace',
    });
  }
  return { streams };
}
