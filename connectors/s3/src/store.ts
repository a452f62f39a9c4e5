import { AuthError, isFerryError } from '@ferry/core';
import { S3Store, type ObjectStore, type S3StoreOptions } from '@ferry/storage';
import { bucketArn, objectsArn, partitionOf } from './arn.js';
import { bucketName } from './bucket.js';
import type { S3ConnectionConfig, S3DestinationConfig } from './config.js';

/** A config of either role: the destination's adds encryption. */
type S3Config = S3ConnectionConfig &
  Partial<Pick<S3DestinationConfig, 'server_side_encryption' | 'kms_key_id'>>;
import { isPermissionDenied } from './s3-failure.js';

/**
 * The {@link S3Store} options a validated config means. Empty strings are "not set": no static
 * credentials (the default chain), no custom endpoint, no KMS key (the account's aws/s3 key).
 * The prefix is passed as given: S3Store strips its slashes, so "/exports/", "exports/" and
 * "exports" are one prefix.
 */
export function storeOptions(config: S3Config): S3StoreOptions {
  const { aws_access_key_id: accessKeyId, aws_secret_access_key: secretAccessKey } = config;
  const sessionToken = config.aws_session_token;
  return {
    bucket: bucketName(config.s3_bucket),
    prefix: config.s3_prefix,
    region: config.s3_region,
    forcePathStyle: config.force_path_style,
    ...(config.endpoint === '' ? {} : { endpoint: config.endpoint }),
    ...(accessKeyId === ''
      ? {}
      : {
          credentials:
            sessionToken === ''
              ? { accessKeyId, secretAccessKey }
              : { accessKeyId, secretAccessKey, sessionToken },
        }),
    ...encryption(config),
  };
}

function encryption(config: S3Config): Pick<S3StoreOptions, 'sse'> {
  switch (config.server_side_encryption ?? 'none') {
    case 'none':
      return {};
    case 'AES256':
      return { sse: { type: 'AES256' } };
    case 'aws:kms':
      return {
        sse:
          (config.kms_key_id ?? '') === ''
            ? { type: 'aws:kms' }
            : { type: 'aws:kms', kmsKeyId: config.kms_key_id ?? '' },
      };
  }
}

/** The IAM action each store operation needs (HEAD of an object is authorised as GetObject). */
const IAM_ACTIONS = {
  put: 's3:PutObject',
  get: 's3:GetObject',
  head: 's3:GetObject',
  list: 's3:ListBucket',
  delete: 's3:DeleteObject',
} as const;

type Operation = keyof typeof IAM_ACTIONS;

/**
 * `store`, whose permission failures name the IAM action that was refused and the resource it
 * is needed on, as `ferry policy` writes it (ARNs in `partition`): "...: access denied
 * (AccessDenied, HTTP 403); the credentials need s3:PutObject on arn:aws:s3:::bucket/prefix/*".
 * Failures of the credentials themselves (unknown key id, bad signature, expired token) pass
 * unchanged: no permission would help.
 */
export function withPermissionHints(store: S3Store, partition = 'aws'): ObjectStore {
  const hinted = async <T>(operation: Operation, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if (!isFerryError(error) || !isPermissionDenied(error)) throw error;
      const action = IAM_ACTIONS[operation];
      const resource =
        operation === 'list'
          ? bucketArn(partition, store.bucket)
          : objectsArn(partition, store.bucket, store.prefix);
      // S3 answers a read of a missing key with 403 too, when ListBucket does not cover it.
      const missing =
        operation === 'get' || operation === 'head'
          ? ` (or the object is missing and s3:ListBucket does not cover its key)`
          : '';
      const hint = `the credentials need ${action} on ${resource}${missing}`;
      throw new AuthError(`${error.message}; ${hint}`, { cause: error });
    }
  };
  return {
    location: store.location,
    describe: (key) => store.describe(key),
    put: (key, body, options) => hinted('put', () => store.put(key, body, options)),
    get: (key, options) => hinted('get', () => store.get(key, options)),
    head: (key) => hinted('head', () => store.head(key)),
    list: (options) => hinted('list', () => store.list(options)),
    delete: (keys) => hinted('delete', () => store.delete(keys)),
  };
}

/** The store a validated config points at, with {@link withPermissionHints}. No I/O. */
export function openS3Store(config: S3Config): ObjectStore {
  return withPermissionHints(new S3Store(storeOptions(config)), partitionOf(config.s3_region));
}
