/**
 * Quotes `text` as a SQL string literal for DuckDB (single quotes, inner quotes doubled), e.g.
 * for file paths in tests: `read_parquet(${sqlString(path)})`.
 */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
