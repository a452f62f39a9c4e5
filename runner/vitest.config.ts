import { defineConfig } from 'vitest/config';

// DuckDB's native module is safest in child processes.
export default defineConfig({ test: { pool: 'forks' } });
