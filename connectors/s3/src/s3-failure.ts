import type { FerryError } from '@ferry/core';
import { s3FailureOf } from '@ferry/storage';

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
