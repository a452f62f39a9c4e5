import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // s3rver signs its ListObjectsV2 continuation tokens with DES, which OpenSSL 3 disables:
    // without the legacy provider, listing past 1000 keys answers 500 (TOOLING.md).
    pool: 'forks',
    execArgv: ['--openssl-legacy-provider'],
    // Two suites share two cores in CI: a test's speed is the bench's business, not a timeout's.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
