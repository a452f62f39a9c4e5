import {
  AuthError,
  ConnectionError,
  InternalError,
  isFerryError,
  TransientError,
  type FerryError,
} from '@ferry/core';
import { abortError, errnoCode } from './fs-errors.js';

/** What an SDK error tells, read defensively: the SDK's shapes differ by failure and version. */
interface SdkFailure {
  /** S3's error code (`NoSuchBucket`) or the error's name (`TimeoutError`). */
  readonly name: string;
  readonly status: number | undefined;
  /** A Node socket error code (`ECONNRESET`), if any. */
  readonly errno: string | undefined;
}

type Kind = 'auth' | 'connection' | 'transient' | 'internal';

/**
 * S3 error codes with a fixed meaning. The text is ours, never S3's message: some messages of
 * signature errors echo request details, and ours must never carry credentials.
 * NoSuchBucket is a `ConnectionError` (as a missing local root): retrying will not help, an
 * operator must create the bucket or fix its name; it is not a `ConfigError`, which names a
 * field of a file this layer does not know.
 */
const CODES: Readonly<Record<string, readonly [Kind, string]>> = {
  AccessDenied: ['auth', 'access denied'],
  AllAccessDisabled: ['auth', 'access denied'],
  InvalidAccessKeyId: ['auth', 'the access key id is not known'],
  SignatureDoesNotMatch: ['auth', 'the secret access key does not match the access key id'],
  ExpiredToken: ['auth', 'the session token has expired'],
  InvalidToken: ['auth', 'the session token is invalid'],
  TokenRefreshRequired: ['auth', 'the session token has expired'],
  CredentialsProviderError: ['auth', 'no AWS credentials found (config or default chain)'],
  KMS_AccessDeniedException: ['auth', 'access to the KMS key denied'],
  NoSuchBucket: ['connection', 'no such bucket'],
  NoSuchKey: ['connection', 'no such object'],
  InvalidRange: ['internal', 'byte range not satisfiable'],
  SlowDown: ['transient', 'throttled by S3 (SlowDown)'],
  Throttling: ['transient', 'throttled'],
  ThrottlingException: ['transient', 'throttled'],
  RequestTimeout: ['transient', 'request timed out'],
  RequestTimeTooSkewed: ['transient', 'the clock is skewed'],
  TimeoutError: ['transient', 'timed out'],
  InternalError: ['transient', 'S3 internal error'],
  ServiceUnavailable: ['transient', 'service unavailable'],
};

// Socket failures that a new connection may not meet; ENOTFOUND is a wrong endpoint, not transient.
const TRANSIENT_ERRNO = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'EAI_AGAIN']);

/** Where an S3 operation went: the action and the object or listing it was on. */
export interface S3Operation {
  /** `writing`, `reading`, `listing`, `deleting`, `reading metadata of`. */
  readonly action: string;
  /** `s3://bucket/prefix/key`. */
  readonly where: string;
  /** When aborted, the error becomes {@link abortError} of this signal. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * The one place where errors of the AWS SDK become ferry errors: `writing s3://b/k: access denied
 * (AccessDenied, HTTP 403)`. Ferry errors pass through; an aborted operation gives
 * {@link abortError}; throttling, 5xx and dropped connections are `TransientError`s (after the
 * SDK's own bounded retries); denied or unknown credentials `AuthError`s; a missing bucket or
 * object and unreachable hosts `ConnectionError`s; any other 4xx an `InternalError` (a request
 * ferry should not have made). The original is kept as `cause`.
 */
export function s3Error(error: unknown, op: S3Operation): FerryError {
  if (isFerryError(error)) return error;
  if (op.signal?.aborted === true) return abortError(op.signal, op.action, op.where);
  const failure = readFailure(error);
  const [kind, text] = classify(failure, error);
  const attempts = attemptsOf(error);
  const tail = [
    failure.name,
    failure.status === undefined ? '' : `HTTP ${failure.status}`,
    attempts,
  ]
    .filter((part) => part !== '')
    .join(', ');
  const message = `${op.action} ${op.where}: ${text} (${tail})`;
  const options = { cause: error };
  switch (kind) {
    case 'auth':
      return new AuthError(message, options);
    case 'connection':
      return new ConnectionError(message, options);
    case 'transient':
      return new TransientError(message, options);
    case 'internal':
      return new InternalError(message, options);
  }
}

/** Runs one SDK call, converting its failure with {@link s3Error}. */
export async function s3Call<T>(call: () => Promise<T>, op: S3Operation): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw s3Error(error, op);
  }
}

/** Whether `error` is S3 saying that the object (or, for HEAD, possibly the bucket) is missing. */
export function isNotFound(error: unknown): boolean {
  const { name, status } = readFailure(error);
  return name === 'NoSuchKey' || name === 'NotFound' || (status === 404 && name !== 'NoSuchBucket');
}

function classify(failure: SdkFailure, error: unknown): readonly [Kind, string] {
  const { status, errno } = failure;
  // The SDK names a reset socket `TimeoutError`; the socket's code says what happened.
  if (errno !== undefined && TRANSIENT_ERRNO.has(errno))
    return ['transient', `connection lost (${errno})`];
  const known = CODES[failure.name];
  if (known !== undefined) return known;
  // A 503 without an error code is throttling too (load balancers and S3-compatible stores).
  if (status === 503) return ['transient', 'service unavailable or throttled'];
  if (status === 429) return ['transient', 'throttled'];
  if (status !== undefined && status >= 500) return ['transient', 'server error'];
  const detail = error instanceof Error ? error.message : String(error);
  if (status === 401 || status === 403) return ['auth', 'access denied'];
  if (status === 404) return ['connection', 'not found'];
  if (errno !== undefined) return ['connection', detail];
  return ['internal', detail];
}

function readFailure(error: unknown): SdkFailure {
  const { code, status } = sdkFields(error);
  return { name: code ?? 'Error', status, errno: errnoCode(error) };
}

/** What S3 said behind a failed operation. */
export interface S3Failure {
  /** S3's error code (`AccessDenied`, `PermanentRedirect`), else the SDK error's name. */
  readonly code: string | undefined;
  readonly status: number | undefined;
  /** The bucket's real region, when S3 named it (wrong-region answers). */
  readonly bucketRegion: string | undefined;
}

/**
 * What S3 answered to the request behind `error`: a ferry error made by an {@link S3Store}
 * operation (its `cause` is the SDK's error), or an SDK error itself. All fields are
 * `undefined` for other errors.
 */
export function s3FailureOf(error: unknown): S3Failure {
  const sdk = isFerryError(error) ? error.cause : error;
  const { code, status, region } = sdkFields(sdk);
  return { code, status, bucketRegion: region };
}

/** The SDK's error fields, read defensively: its shapes differ by failure and version. */
function sdkFields(error: unknown): {
  code: string | undefined;
  status: number | undefined;
  region: string | undefined;
} {
  if (typeof error !== 'object' || error === null) {
    return { code: undefined, status: undefined, region: undefined };
  }
  const fields = error as {
    name?: unknown;
    Code?: unknown;
    Region?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    $response?: { headers?: Record<string, unknown> };
  };
  const status = fields.$metadata?.httpStatusCode;
  // S3 names the region in a header on wrong-region answers (also to HEAD, which has no body),
  // and in the body of AuthorizationHeaderMalformed; the SDK copies body fields onto the error.
  const header = stringOf(fields.$response?.headers?.['x-amz-bucket-region']);
  return {
    code: stringOf(fields.Code) ?? stringOf(fields.name),
    status: typeof status === 'number' ? status : undefined,
    region: header ?? stringOf(fields.Region),
  };
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function attemptsOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const attempts = (error as { $metadata?: { attempts?: unknown } }).$metadata?.attempts;
  return typeof attempts === 'number' && attempts > 1 ? `${attempts} attempts` : '';
}
