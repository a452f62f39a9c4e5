import { defineConfig } from 'vitest/config';

// DuckDB's native module is safest in child processes.
export default defineConfig({
  test: {
    pool: 'forks',
    // Two suites share two cores in CI: a test's speed is the bench's business, not a timeout's.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
