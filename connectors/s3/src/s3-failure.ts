import type { FerryError } from '@ferry/core';

/** What the S3 error behind a ferry error says, when it came from S3. */
export interface S3Failure {
  /** S3's error code (`AccessDenied`, `PermanentRedirect`), else the SDK error's name. */
  readonly code: string | undefined;
  readonly status: number | undefined;
  /** The bucket's real region, when S3 named it (wrong-region answers). */
  readonly bucketRegion: string | undefined;
}

/**
 * Reads the SDK error kept as `cause` of a ferry error made by `s3Error` (@ferry/storage).
 * The only place of this package that knows the SDK's error shapes; read defensively, as they
 * differ by failure and SDK version. (Belongs in @ferry/storage: see the README's notes.)
 */
export function s3FailureOf(error: FerryError): S3Failure {
  const cause: unknown = error.cause;
  if (typeof cause !== 'object' || cause === null) {
    return { code: undefined, status: undefined, bucketRegion: undefined };
  }
  const fields = cause as {
    name?: unknown;
    Code?: unknown;
    Region?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    $response?: { headers?: Record<string, unknown> };
  };
  const code = stringOf(fields.Code) ?? stringOf(fields.name);
  const status = fields.$metadata?.httpStatusCode;
  // S3 names the region in a header on wrong-region answers (also to HEAD, which has no body),
  // and in the body of AuthorizationHeaderMalformed; the SDK copies body fields onto the error.
  const header = stringOf(fields.$response?.headers?.['x-amz-bucket-region']);
  return {
    code,
    status: typeof status === 'number' ? status : undefined,
    bucketRegion: header ?? stringOf(fields.Region),
  };
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

// Codes about the credentials themselves: a missing IAM permission is not the cause.
const CREDENTIAL_CODES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'CredentialsProviderError',
]);

/** Whether S3 refused an authenticated request for lack of a permission (not for bad credentials). */
export function isPermissionDenied(error: FerryError): boolean {
  if (error.code !== 'auth') return false;
  const { code } = s3FailureOf(error);
  return code === undefined || !CREDENTIAL_CODES.has(code);
}

// Answers S3 gives when the request went to another region than the bucket's.
const WRONG_REGION_CODES = new Set([
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
  'IllegalLocationConstraintException',
]);

/** Whether S3 answered that the bucket lives in another region than the one asked. */
export function isWrongRegion(error: FerryError): boolean {
  const failure = s3FailureOf(error);
  return (
    (failure.code !== undefined && WRONG_REGION_CODES.has(failure.code)) ||
    failure.status === 301 ||
    failure.bucketRegion !== undefined
  );
}
