import {
  DuckDBArrayValue,
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBListValue,
  DuckDBStructValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBUUIDValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import { InternalError } from '@ferry/core';

/**
 * Runs `sql` in a fresh in-memory DuckDB and returns the rows, with values in ferry's canonical
 * in-memory form (see `@ferry/core` fields.ts), so tests can compare them with what was written:
 *
 * | DuckDB type                         | value                                               |
 * | ----------------------------------- | --------------------------------------------------- |
 * | BIGINT, HUGEINT, UBIGINT, UHUGEINT  | `bigint`                                            |
 * | TINYINT, SMALLINT, INTEGER (+ unsigned), FLOAT, DOUBLE | `number`                         |
 * | VARCHAR, ENUM, UUID                 | `string`                                            |
 * | JSON                                | `string`, the JSON text as DuckDB returns it        |
 * | BOOLEAN                             | `boolean`                                           |
 * | DATE                                | `'YYYY-MM-DD'`                                      |
 * | TIMESTAMP, TIMESTAMP WITH TIME ZONE | `'YYYY-MM-DDTHH:MM:SS.ffffffZ'` from the stored microseconds (UTC), never through the session time zone; infinities as `'infinity'` / `'-infinity'` |
 * | DECIMAL(p,s)                        | exact `string` with `s` fraction digits (`'-12.3400'`) |
 * | BLOB                                | `Uint8Array`                                        |
 * | LIST, ARRAY                         | array                                               |
 * | STRUCT                              | plain object                                        |
 * | NULL                                | `null`                                              |
 *
 * The instance and its connection are closed before the promise settles, whatever happens.
 *
 * @throws InternalError for a column type not listed above (cast it in the SQL), or DuckDB's own
 *   error for invalid SQL or unreadable files.
 */
export async function queryDuckDB(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjects().map((row) => {
        const out: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(row)) out[name] = ferryValue(value);
        return out;
      });
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** Converts one DuckDB value to ferry's in-memory form (table of {@link queryDuckDB}). */
function ferryValue(value: DuckDBValue): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof DuckDBDecimalValue) return decimalString(value.value, value.scale);
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) {
    return value.isFinite ? timestampString(value.micros) : infinity(value.micros > 0n);
  }
  if (value instanceof DuckDBDateValue) {
    return value.isFinite ? dateString(value.days) : infinity(value.days > 0);
  }
  if (value instanceof DuckDBBlobValue) return Uint8Array.from(value.bytes);
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) {
    return value.items.map(ferryValue);
  }
  if (value instanceof DuckDBStructValue) {
    const out: Record<string, unknown> = {};
    for (const [name, entry] of Object.entries(value.entries)) out[name] = ferryValue(entry);
    return out;
  }
  if (value instanceof DuckDBUUIDValue) return value.toString();
  throw new InternalError(
    `queryDuckDB: no ferry form for DuckDB value ${value.constructor.name}; cast the column in SQL`,
  );
}

function infinity(positive: boolean): string {
  return positive ? 'infinity' : '-infinity';
}

/** `-12.3400` from the unscaled value -123400 and scale 4. */
export function decimalString(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/**
 * `YYYY-MM-DD` of a day count from 1970-01-01, proleptic Gregorian (H. Hinnant's algorithm).
 * `@ferry/formats` has the same algorithm on purpose: this is the reader that checks the writer,
 * so it must not share the writer's code (a bug there would then pass its own test).
 */
export function dateString(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const yyyy = year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
  return `${yyyy}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ` of microseconds since 1970-01-01T00:00:00Z. */
export function timestampString(micros: bigint): string {
  const perDay = 86_400_000_000n;
  let days = micros / perDay;
  let rest = micros % perDay;
  if (rest < 0n) {
    days -= 1n;
    rest += perDay;
  }
  const time = Number(rest);
  const seconds = Math.floor(time / 1_000_000);
  const fraction = time % 1_000_000;
  const hh = pad(Math.floor(seconds / 3600), 2);
  const mm = pad(Math.floor((seconds % 3600) / 60), 2);
  const ss = pad(seconds % 60, 2);
  return `${dateString(Number(days))}T${hh}:${mm}:${ss}.${pad(fraction, 6)}Z`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
