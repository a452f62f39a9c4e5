import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { sendContentMd5OnDeleteObjects } from './s3-md5.js';
import { DEFAULT_S3_TIMEOUTS, type S3StoreOptions } from './s3-options.js';
import { JitteredRetryStrategy, DEFAULT_S3_RETRY } from './s3-retry.js';

/**
 * The S3 client for a store: static credentials when given, else the SDK's default chain (env,
 * shared profile, web identity, SSO, container and instance roles), resolved lazily on the first
 * request (so a missing credential fails that request with an `AuthError`, not here). With a
 * custom endpoint, flexible checksums are sent and validated only when an operation requires
 * them: S3-compatible stores often reject them, and s3rver stores aws-chunked framing as data;
 * DeleteObjects, which requires one, then carries `Content-MD5` (see
 * {@link sendContentMd5OnDeleteObjects}).
 */
export function createS3Client(options: S3StoreOptions): S3Client {
  quietNodeVersionWarning();
  const retry = { ...DEFAULT_S3_RETRY, ...options.retry };
  const timeouts = { ...DEFAULT_S3_TIMEOUTS, ...options.timeouts };
  const config: S3ClientConfig = {
    maxAttempts: retry.maxAttempts,
    retryStrategy: new JitteredRetryStrategy(retry),
    // Options of the SDK's own NodeHttpHandler (no handler instance, so no extra dependency).
    // `socketTimeout` is the idle timeout; `requestTimeout` is not used: in this SDK it is a
    // deadline for the whole answer that only logs a warning unless `throwOnRequestTimeout`.
    requestHandler: { connectionTimeout: timeouts.connectMs, socketTimeout: timeouts.idleMs },
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.forcePathStyle === undefined ? {} : { forcePathStyle: options.forcePathStyle }),
    ...(options.credentials === undefined ? {} : { credentials: staticCredentials(options) }),
  };
  if (options.endpoint !== undefined) {
    config.endpoint = options.endpoint;
    // S3-compatible stores mostly ignore the region, but SigV4 needs one.
    config.region ??= 'us-east-1';
    config.requestChecksumCalculation = 'WHEN_REQUIRED';
    config.responseChecksumValidation = 'WHEN_REQUIRED';
  }
  const client = new S3Client(config);
  if (options.endpoint !== undefined) sendContentMd5OnDeleteObjects(client);
  return client;
}

function staticCredentials(options: S3StoreOptions): NonNullable<S3ClientConfig['credentials']> {
  const { accessKeyId, secretAccessKey, sessionToken } = options.credentials ?? {
    accessKeyId: '',
    secretAccessKey: '',
  };
  return sessionToken === undefined
    ? { accessKeyId, secretAccessKey }
    : { accessKeyId, secretAccessKey, sessionToken };
}

/**
 * The SDK warns on stderr, once per process, that its releases after January 2027 will need
 * Node 22. ferry pins its SDK version, so the warning is about releases ferry does not use, and
 * printed among a run's lines it reads as ferry's own failure. A user who sets the variable
 * keeps their value.
 */
function quietNodeVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}
