import { defineConfig } from 'vitest/config';

// CLI processes and DuckDB: child-process workers, generous timeouts for whole transfers.
export default defineConfig({ test: { pool: 'forks', testTimeout: 120_000, hookTimeout: 60_000 } });
