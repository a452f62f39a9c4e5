import type { Context, Source } from '@ferry/core';
import { createLakeSource } from '@ferry/lake';
import { checkBucket } from './check.js';
import { sourceConfigSchema, validateConnection, type S3SourceConfig } from './config.js';
import { sourcePolicy } from './policy.js';
import { openS3Store } from './store.js';

const lake = createLakeSource<S3SourceConfig>({
  type: 's3',
  title: 'Amazon S3',
  summary:
    'Reads the tables under a schema prefix of an S3 bucket or an S3-compatible store: Parquet, CSV or JSON Lines files, Hive-partitioned or not.',
  configSchema: sourceConfigSchema,
  openStore: openS3Store,
});

/**
 * The `s3` source: the lake source of `@ferry/lake` on a schema prefix of an S3 bucket. Its
 * `check` first confirms the bucket and its region ({@link checkBucket}), then lists the tables;
 * `iamPolicy` gives the least policy (list the prefix, read its objects) for `ferry policy`.
 */
export const source: Source<S3SourceConfig> = {
  ...lake,
  validate: validateConnection,
  iamPolicy: sourcePolicy,
  check: async (ctx: Context, config: S3SourceConfig) =>
    (await checkBucket(openS3Store(config), config)) ?? lake.check(ctx, config),
};
