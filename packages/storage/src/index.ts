export { LocalStore, openLocalStore, type OpenLocalStoreOptions } from './local-store.js';
export { MAX_LIST_LIMIT } from './local-list.js';
export { TEMP_SUFFIX } from './local-temp.js';
export { assertObjectKey, MAX_KEY_BYTES, objectKeyProblem } from './object-key.js';
export {
  listAll,
  type GetOptions,
  type ListOptions,
  type ListPage,
  type ObjectBody,
  type ObjectInfo,
  type ObjectKey,
  type ObjectStore,
  type PutOptions,
  type PutResult,
} from './object-store.js';
export { compareUtf8 } from './utf8-order.js';
export { isObjectVersionError } from './object-version.js';
export { errnoCode, fsCall, fsError } from './fs-errors.js';
export { S3Store } from './s3-store.js';
export {
  DEFAULT_S3_TIMEOUTS,
  MIN_PART_BYTES,
  S3_DEFAULTS,
  type S3Credentials,
  type S3Encryption,
  type S3StoreOptions,
  type S3Timeouts,
} from './s3-options.js';
export { DEFAULT_S3_RETRY, JitteredRetryStrategy, type S3RetryOptions } from './s3-retry.js';
export { s3Error, s3FailureOf, type S3Failure, type S3Operation } from './s3-errors.js';
