import { createLakeSource } from '@ferry/lake';
import { openLocalStore } from '@ferry/storage';
import { sourceConfigSchema, type FilesystemSourceConfig } from './config.js';

/** The `filesystem` source: the lake source on a local directory, which must exist. */
export const source = createLakeSource<FilesystemSourceConfig>({
  type: 'filesystem',
  title: 'Local directory',
  summary:
    'Reads the tables of a local directory: Parquet, CSV or JSON Lines files, Hive-partitioned or not.',
  configSchema: sourceConfigSchema,
  openStore: (config) => openLocalStore(config.path),
});
