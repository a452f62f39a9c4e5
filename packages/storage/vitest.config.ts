import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // s3rver signs its ListObjectsV2 continuation tokens with DES, which OpenSSL 3 disables:
    // without the legacy provider, listing past 1000 keys answers 500 (TOOLING.md).
    pool: 'forks',
    execArgv: ['--openssl-legacy-provider'],
  },
});
