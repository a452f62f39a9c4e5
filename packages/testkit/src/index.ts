export { queryDuckDB } from './duckdb.js';
export { sqlString } from './sql.js';
