import { defineConfig } from 'vitest/config';

// CLI processes and DuckDB: child-process workers, generous timeouts for whole transfers.
// s3rver runs in the test process and signs its ListObjectsV2 continuation tokens with DES,
// which OpenSSL 3 disables: without the legacy provider, a listing that does not fit one page
// (the destination's check asks for one key) answers 500 (TOOLING.md).
export default defineConfig({
  test: {
    pool: 'forks',
    execArgv: ['--openssl-legacy-provider'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
