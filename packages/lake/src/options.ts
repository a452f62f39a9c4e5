import type { SchemaNode } from '@ferry/core';

/** Key layouts a lake destination can write. */
export type LayoutName = 'pontoon';

/** Data file formats. */
export type LakeFormat = 'parquet' | 'jsonl';

/** Compression of data files; `auto` is Snappy for Parquet and GZIP for JSONL. */
export type LakeCompression = 'auto' | 'snappy' | 'gzip' | 'none';

/** The lake options of a destination config (`filesystem` and `s3` share them). */
export interface LakeOptions {
  readonly layout: LayoutName;
  readonly format: LakeFormat;
  readonly compression: LakeCompression;
  readonly max_rows_per_file: number;
  readonly max_bytes_per_file: number;
  readonly flush_interval_s: number;
}

/** Default size limit of one data file: large files are cheaper to list and faster to scan. */
export const DEFAULT_MAX_BYTES_PER_FILE = 256 * 1024 * 1024;
/** Default row limit of one data file. */
export const DEFAULT_MAX_ROWS_PER_FILE = 10_000_000;

/**
 * JSON Schema properties of {@link LakeOptions}, to spread into a destination's config schema
 * (together with {@link lakeOptionRules} in its `allOf`).
 */
export const lakeOptionProperties = {
  layout: {
    type: 'string',
    enum: ['pontoon'],
    default: 'pontoon',
    title: 'Key layout',
    description:
      'How data files are named: "pontoon" writes <stream>/dt=<YYYY-MM-DD>/<YYYYMMDDHHMMSS>_<batch_id>_<index>.<ext>, append-only, with the date and time of the run.',
    examples: ['pontoon'],
  },
  format: {
    type: 'string',
    enum: ['parquet', 'jsonl'],
    default: 'parquet',
    title: 'File format',
    description:
      'Format of the data files: "parquet" (columnar, typed) or "jsonl" (one JSON object per line).',
    examples: ['parquet', 'jsonl'],
  },
  compression: {
    type: 'string',
    enum: ['auto', 'snappy', 'gzip', 'none'],
    default: 'auto',
    title: 'Compression',
    description:
      'Compression of the data files. "auto" is Snappy for Parquet and GZIP for JSONL; JSONL cannot use Snappy.',
    examples: ['auto', 'gzip'],
  },
  max_rows_per_file: {
    type: 'integer',
    minimum: 1,
    default: DEFAULT_MAX_ROWS_PER_FILE,
    title: 'Maximum rows per file',
    description: 'A data file is closed and a new one started once it holds this many rows.',
  },
  max_bytes_per_file: {
    type: 'integer',
    minimum: 1024,
    default: DEFAULT_MAX_BYTES_PER_FILE,
    title: 'Maximum bytes per file',
    description:
      'A data file is closed and a new one started once it reaches about this size in bytes (checked after each batch of rows, so a file may exceed it by one batch).',
  },
  flush_interval_s: {
    type: 'number',
    minimum: 0,
    default: 300,
    title: 'Flush interval (seconds)',
    description:
      'At the first source checkpoint after this many seconds since the last commit, the open file is closed and committed and the checkpoint acknowledged, so progress is saved. 0 commits at every checkpoint; all files are committed at the end of the run in any case.',
  },
} as const satisfies Record<keyof LakeOptions, SchemaNode>;

/** Cross-field rules of the lake options, for the `allOf` of a destination's config schema. */
export const lakeOptionRules: readonly SchemaNode[] = [
  {
    if: { properties: { format: { const: 'jsonl' } }, required: ['format'] },
    then: { properties: { compression: { enum: ['auto', 'gzip', 'none'] } } },
  },
];

/** The codec a {@link LakeCompression} means for the formats package (`undefined`: the format's default). */
export function formatCompression(
  compression: LakeCompression,
): Exclude<LakeCompression, 'auto'> | undefined {
  return compression === 'auto' ? undefined : compression;
}
