import { createLakeDestination } from '@ferry/lake';
import { LocalStore } from '@ferry/storage';
import { destinationConfigSchema, type FilesystemDestinationConfig } from './config.js';

/** The `filesystem` destination: the lake on a local directory. */
export const destination = createLakeDestination<FilesystemDestinationConfig>({
  type: 'filesystem',
  title: 'Local directory',
  summary: 'Writes append-only, Hive-partitioned Parquet or JSONL files into a local directory.',
  configSchema: destinationConfigSchema,
  openStore: (config) => new LocalStore(config.path),
});
