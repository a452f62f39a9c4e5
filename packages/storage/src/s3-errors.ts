import {
  AuthError,
  ConnectionError,
  InternalError,
  isFerryError,
  TransientError,
  type FerryError,
} from '@ferry/core';
import { abortError, errnoCode } from './fs-errors.js';
import { objectChanged, objectDeleted } from './object-version.js';

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
 *
 * Which 4xx answers are ferry's bugs: ferry checks its own parameters before sending (keys,
 * ranges, list limits, part sizes), so a refused request is far more often about the store (an
 * S3-compatible store without SSE, a checksum or an operation: `InvalidRequest`,
 * `MethodNotAllowed`, `NotImplemented`) or a setting (a malformed KMS key id is an
 * `InvalidArgument`) than about ferry, and calling it a bug sends the operator to the wrong place.
 * Those become a `ConnectionError` (see {@link classify}). Only codes about how ferry, lib-storage
 * or the SDK frame a request, which no setting or store changes, stay `InternalError`s.
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
  // 501: retrying (as for other 5xx) cannot help.
  NotImplemented: ['connection', 'the store does not support this request'],
  InvalidRange: ['internal', 'byte range not satisfiable'],
  MalformedXML: ['internal', 'the request body was malformed'],
  InvalidPartOrder: ['internal', 'the parts of the multipart upload were out of order'],
  EntityTooSmall: ['internal', 'a part of the multipart upload was below the minimum size'],
  MissingContentLength: ['internal', 'the request had no Content-Length'],
  SlowDown: ['transient', 'throttled by S3 (SlowDown)'],
  Throttling: ['transient', 'throttled'],
  ThrottlingException: ['transient', 'throttled'],
  RequestTimeout: ['transient', 'request timed out'],
  RequestTimeTooSkewed: ['transient', 'the clock is skewed'],
  InternalError: ['transient', 'S3 internal error'],
  ServiceUnavailable: ['transient', 'service unavailable'],
};

/**
 * Socket failures a new connection may not meet. A refused connection is one too: a restarting
 * server refuses for a moment. ENOTFOUND (an unknown host) is retried (DNS fails for a moment
 * under many parallel lookups) but then named as a wrong host, a `ConnectionError`.
 */
const TRANSIENT_ERRNO: Readonly<Record<string, string>> = {
  ECONNRESET: 'connection lost',
  EPIPE: 'connection lost',
  ETIMEDOUT: 'timed out',
  ECONNREFUSED: 'connection refused',
  EAI_AGAIN: 'the host name could not be resolved for now',
};

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
 * SDK's own bounded retries), and so are timeouts; denied or unknown credentials `AuthError`s; a
 * missing bucket or object, unknown or unreachable hosts, an invalid region and any other
 * refusal by the store `ConnectionError`s; a few 4xx that only a badly built request gets
 * `InternalError`s (see {@link CODES}). The original is kept as `cause`.
 */
export function s3Error(error: unknown, op: S3Operation): FerryError {
  if (isFerryError(error)) return error;
  if (op.signal?.aborted === true) return abortError(op.signal, op.action, op.where);
  const failure = readFailure(error);
  const [kind, text] = classify(failure, error);
  const attempts = attemptsOf(error);
  const tail = [
    // The socket's code says more than the SDK's name for it (`TimeoutError` for a reset).
    failure.errno ?? (failure.name === 'Error' ? '' : failure.name),
    failure.status === undefined ? '' : `HTTP ${failure.status}`,
    attempts,
  ]
    .filter((part) => part !== '')
    .join(', ');
  const message = `${op.action} ${op.where}: ${text}${tail === '' ? '' : ` (${tail})`}`;
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

/**
 * The error of a GetObject pinned to an etag (`If-Match`) that failed because the object is no
 * longer that version: S3's 412 PreconditionFailed (rewritten since it was listed) or a missing
 * object (deleted since), both `TransientError`s. `undefined` for any other error (a missing
 * bucket too), for {@link s3Error} to convert. A 412 is a client error to the SDK, so it is not
 * retried (see `JitteredRetryStrategy`): the answer would stay the same.
 */
export function versionError(error: unknown, where: string): TransientError | undefined {
  const { name, status } = readFailure(error);
  if (name === 'PreconditionFailed' || status === 412) return objectChanged(where, error);
  if (isNotFound(error)) return objectDeleted(where, error);
  return undefined;
}

function classify(failure: SdkFailure, error: unknown): readonly [Kind, string] {
  const { name, status, errno } = failure;
  if (errno !== undefined) {
    const transient = TRANSIENT_ERRNO[errno];
    if (transient !== undefined) return ['transient', transient];
    if (errno === 'ENOTFOUND') return ['connection', unknownHost(error)];
  }
  // The SDK's connection and idle timeouts (no socket code: the SDK destroyed the socket).
  if (name === 'TimeoutError' && errno === undefined) return ['transient', timeoutText(error)];
  const known = CODES[name];
  if (known !== undefined) return known;
  // A 503 without an error code is throttling too (load balancers and S3-compatible stores).
  if (status === 503) return ['transient', 'service unavailable or throttled'];
  if (status === 429) return ['transient', 'throttled'];
  if (status !== undefined && status >= 500) return ['transient', 'server error'];
  if (status === 401 || status === 403) return ['auth', 'access denied'];
  if (status === 404) return ['connection', 'not found'];
  // S3 redirects (301 PermanentRedirect) when the bucket is in another region.
  if (status !== undefined && status >= 300 && status < 400) {
    return ['connection', 'the bucket is not at this endpoint (in another region?)'];
  }
  if (status !== undefined && status >= 400) return ['connection', 'the store refused the request'];
  const detail = error instanceof Error ? error.message : String(error);
  if (errno !== undefined) return ['connection', detail];
  const region = regionProblem(detail);
  if (region !== undefined) return ['connection', region];
  return ['internal', detail];
}

function unknownHost(error: unknown): string {
  const host = stringOf((error as { hostname?: unknown }).hostname);
  return host === undefined
    ? 'the host is not known'
    : `the host ${JSON.stringify(host)} is not known`;
}

function timeoutText(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  return message.includes('did not establish a connection')
    ? 'timed out connecting'
    : 'timed out waiting for the server';
}

/**
 * The SDK refuses a region that cannot be part of a host name before sending anything, with a
 * bare `Error` ("Region not accepted: region=\"eu west 1\" is not a valid hostname component.";
 * "Invalid region: ..." from the endpoint rules), and one is missing with "Region is missing".
 */
function regionProblem(message: string): string | undefined {
  if (message === 'Region is missing') {
    return 'no region is set (in the options, AWS_REGION or the profile)';
  }
  if (!/^(Region not accepted|Invalid region)\b/.test(message)) return undefined;
  const region = /region="([^"]*)"/.exec(message)?.[1];
  return region === undefined ? 'the region is not valid' : `the region "${region}" is not valid`;
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
