import type { Context, Destination } from '@ferry/core';
import { createLakeDestination } from '@ferry/lake';
import { checkBucket } from './check.js';
import {
  destinationConfigSchema,
  validateDestinationConfig,
  type S3DestinationConfig,
} from './config.js';
import { destinationPolicy } from './policy.js';
import { openS3Store } from './store.js';

const lake = createLakeDestination<S3DestinationConfig>({
  type: 's3',
  title: 'Amazon S3',
  summary:
    'Writes append-only, Hive-partitioned Parquet or JSONL files into an S3 bucket or an S3-compatible store.',
  configSchema: destinationConfigSchema,
  openStore: openS3Store,
});

/**
 * The `s3` destination: the lake of `@ferry/lake` on an S3 bucket. Its `check` first confirms
 * the bucket and its region ({@link checkBucket}), then proves the write path under the prefix
 * (put, head and delete a probe object); a failure names the operation, S3's error code and,
 * for a refused permission, the IAM action. `iamPolicy` gives the least policy for `ferry policy`.
 */
export const destination: Destination<S3DestinationConfig> = {
  ...lake,
  validate: validateDestinationConfig,
  iamPolicy: destinationPolicy,
  check: async (ctx: Context, config: S3DestinationConfig) =>
    (await checkBucket(openS3Store(config), config)) ?? lake.check(ctx, config),
};
