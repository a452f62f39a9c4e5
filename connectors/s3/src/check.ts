import { isFerryError, type CheckResult, type FerryError } from '@ferry/core';
import { s3FailureOf, type ObjectStore } from '@ferry/storage';
import { bucketName } from './bucket.js';
import type { S3ConnectionConfig } from './config.js';
import { isWrongRegion } from './s3-failure.js';

/**
 * Confirms that the bucket exists in `s3_region` and that the credentials may list it, with a
 * ListObjectsV2 of one key under the prefix; `undefined` when it does. Listing rather than
 * HeadBucket: it needs the same permission (s3:ListBucket), the lake lists anyway (recovery,
 * snapshot replacement), and its error answers carry S3's error code, which HEAD answers lack.
 * @throws InternalError (and other unexpected errors) unchanged: those are bugs, not findings.
 */
export async function checkBucket(
  store: ObjectStore,
  config: S3ConnectionConfig,
): Promise<CheckResult | undefined> {
  try {
    await store.list({ limit: 1 });
    return undefined;
  } catch (error) {
    if (!isFerryError(error)) throw error;
    if (isWrongRegion(error)) return { ok: false, error: wrongRegion(error, config) };
    if (error.code === 'internal') throw error;
    const bucket = bucketName(config.s3_bucket);
    return {
      ok: false,
      error: `confirming bucket ${bucket} in region ${config.s3_region}: ${error.message}`,
    };
  }
}

// s3rver ignores regions, so this path is tested against a focused fake (check.test.ts).
function wrongRegion(error: FerryError, config: S3ConnectionConfig): string {
  const { code, status, bucketRegion } = s3FailureOf(error);
  const bucket = bucketName(config.s3_bucket);
  const answer = [code, status === undefined ? undefined : `HTTP ${String(status)}`]
    .filter((part) => part !== undefined)
    .join(', ');
  const fix =
    bucketRegion === undefined
      ? 'set s3_region to the region of the bucket'
      : `set s3_region to "${bucketRegion}"`;
  const where = bucketRegion === undefined ? 'is not' : `is in ${bucketRegion}, not`;
  return `confirming bucket ${bucket}: it ${where} in region ${config.s3_region} (S3 answered ${answer}); ${fix}`;
}
