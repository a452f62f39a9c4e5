import { randomBytes } from 'node:crypto';

/**
 * Suffix of the temporary files a local put writes before renaming them into place. Reserved: a
 * key whose last segment ends with it is refused, and listings never show such files.
 */
export const TEMP_SUFFIX = '.ferry-tmp';

// NAME_MAX is 255 bytes on common file systems; the dot, random part and suffix take 24.
const MAX_NAME_PART_BYTES = 200;

/**
 * A fresh temporary name for writing `name` in the same directory: `.<name>.<12 hex>.ferry-tmp`.
 * A dotfile with its own suffix, so no reader's glob (`*.parquet`, `**\/*.jsonl.gz`) nor
 * Hive/Spark (which skip names starting with `.`) mistakes it for data.
 */
export function tempNameFor(name: string): string {
  const random = randomBytes(6).toString('hex');
  return `.${truncateUtf8(name, MAX_NAME_PART_BYTES)}.${random}${TEMP_SUFFIX}`;
}

/** Whether a file name is one of ours in progress (or left behind by a crash). */
export function isTempName(name: string): boolean {
  return name.endsWith(TEMP_SUFFIX);
}

function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = '';
  let bytes = 0;
  for (const char of text) {
    bytes += Buffer.byteLength(char);
    if (bytes > maxBytes) break;
    out += char;
  }
  return out;
}
