import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { InternalError } from '@ferry/core';

/** The SDK's retry strategy interface (smithy's `RetryStrategyV2`), taken from the client config. */
type RetryStrategy = Extract<
  NonNullable<S3ClientConfig['retryStrategy']>,
  { acquireInitialRetryToken: unknown }
>;
type RetryToken = Awaited<ReturnType<RetryStrategy['acquireInitialRetryToken']>>;
type RetryErrorInfo = Parameters<RetryStrategy['refreshRetryTokenForRetry']>[1];

/** How S3 requests are retried. */
export interface S3RetryOptions {
  /** Attempts per request, the first included: a positive integer. Default 5. */
  readonly maxAttempts?: number;
  /** Base of the exponential backoff, in milliseconds. Default 100. */
  readonly baseDelayMs?: number;
  /** Cap of one backoff, in milliseconds. Default 20 000 (the SDK's cap). */
  readonly maxDelayMs?: number;
}

// 5xx answers the SDK retries that say the store lacks the feature: 501 NotImplemented.
const PERMANENT_STATUS = new Set([501]);

/** Defaults of {@link S3RetryOptions}. */
export const DEFAULT_S3_RETRY = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 20_000 } as const;

/**
 * Retries each S3 request (not whole operations: a multipart upload retries the failed part only)
 * on throttling, 5xx (not 501), timeouts and connection errors (an unknown host too: DNS fails
 * for a moment under many parallel lookups), at most
 * `maxAttempts` times, waiting a "full jitter" backoff (random in [0, min(cap, base * 2^retry)];
 * see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/), or longer when the
 * server sent `Retry-After`. Unlike the SDK's standard strategy it has no client-wide retry quota,
 * so one throttled burst cannot disable retries for later, unrelated requests; and the base delay
 * is configurable, which tests need.
 */
export class JitteredRetryStrategy implements RetryStrategy {
  readonly #options: Required<S3RetryOptions>;

  constructor(options: S3RetryOptions = {}) {
    this.#options = { ...DEFAULT_S3_RETRY, ...options };
  }

  acquireInitialRetryToken(): Promise<RetryToken> {
    return Promise.resolve(token(0, 0));
  }

  refreshRetryTokenForRetry(previous: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const retry = previous.getRetryCount() + 1;
    // Rejecting makes the SDK rethrow the request's own error (with its attempt count).
    const permanent = isPermanent(info.error);
    if (info.errorType === 'CLIENT_ERROR' || permanent || retry >= this.#options.maxAttempts) {
      return Promise.reject(info.error ?? new InternalError('no retry'));
    }
    const { baseDelayMs, maxDelayMs } = this.#options;
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
    const hinted =
      info.retryAfterHint === undefined ? 0 : info.retryAfterHint.getTime() - Date.now();
    const delay = Math.max(Math.random() * ceiling, Math.min(hinted, maxDelayMs));
    return Promise.resolve(token(retry, Math.round(delay)));
  }

  recordSuccess(): void {
    // No quota to refill.
  }
}

function isPermanent(error: RetryErrorInfo['error']): boolean {
  const status = error?.$metadata?.httpStatusCode;
  return status !== undefined && PERMANENT_STATUS.has(status);
}

function token(retryCount: number, delayMs: number): RetryToken {
  return { getRetryCount: () => retryCount, getRetryDelay: () => delayMs };
}
