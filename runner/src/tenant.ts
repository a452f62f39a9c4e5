import type { Row } from '@ferry/core';
import type { TenantFilter } from './transfer.js';

/**
 * The rows of `rows` that belong to the tenant. Values are compared as text, so a tenant value of
 * `42` matches an int32 `42` or an int64 `42n`. With `drop`, the column is removed from the kept
 * rows (which the pipeline owns, so they are changed in place).
 */
export function filterTenant(rows: readonly Row[], tenant: TenantFilter): Row[] {
  const wanted = String(tenant.value);
  const kept: Row[] = [];
  for (const row of rows) {
    if (asText(row[tenant.column]) !== wanted) continue;
    if (tenant.drop) Reflect.deleteProperty(row, tenant.column);
    kept.push(row);
  }
  return kept;
}

function asText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      return undefined;
  }
}
