// S3 fixture of this package's tests (excluded from the build): s3rver with the recording,
// fault-injecting proxy in front of it, started once per test file.
import { startS3Proxy, startS3Server, type S3Proxy, type S3Server } from '@ferry/testkit';
import { afterAll, beforeAll } from 'vitest';
import type { S3StoreOptions } from './s3-options.js';
import type { S3RetryOptions } from './s3-retry.js';
import { S3Store } from './s3-store.js';

/** The running server and proxy, and stores that talk to the server through the proxy. */
export interface S3Fixture {
  readonly server: S3Server;
  readonly proxy: S3Proxy;
  store(options?: Partial<S3StoreOptions>): S3Store;
}

/** Starts s3rver with `bucket` and a proxy before the file's tests; stops both after them. */
export function useS3(bucket: string, retry: S3RetryOptions): S3Fixture {
  let server: S3Server | undefined;
  let proxy: S3Proxy | undefined;
  beforeAll(async () => {
    server = await startS3Server({ buckets: [bucket] });
    proxy = await startS3Proxy(server.endpoint);
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the S3 fixture is used before beforeAll ran');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get proxy() {
      return started(proxy);
    },
    store: (options = {}) =>
      new S3Store({
        bucket,
        endpoint: started(proxy).endpoint,
        forcePathStyle: true,
        credentials: started(server).credentials,
        retry,
        ...options,
      }),
  };
}
