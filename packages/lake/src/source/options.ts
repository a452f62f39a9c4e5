import type { SchemaNode } from '@ferry/core';
import type { PartitionFilter } from './table-files.js';

/** How the lake source tells the format of a file: by extension (`auto`), or one for all. */
export type LakeSourceFormat = 'auto' | 'parquet' | 'csv' | 'jsonl';

/** The lake options of a source config (`filesystem` and `s3` share them). */
export interface LakeSourceOptions {
  readonly format: LakeSourceFormat;
  readonly csv_header: boolean;
  readonly csv_delimiter: string;
  readonly csv_quote: string;
  readonly csv_null_marker: string;
  /** Tables to read (empty: every table). */
  readonly tables: readonly string[];
  readonly exclude_tables: readonly string[];
  readonly partition_filter: readonly PartitionFilter[];
  readonly on_bad_record: 'fail' | 'skip';
}

/**
 * JSON Schema properties of {@link LakeSourceOptions}, to spread into a source's config schema
 * (they have no cross-field rules).
 */
export const lakeSourceOptionProperties = {
  format: {
    type: 'string',
    enum: ['auto', 'parquet', 'csv', 'jsonl'],
    default: 'auto',
    title: 'File format',
    description:
      'Format of the data files. "auto" tells it by extension: .parquet, .csv, and .jsonl, .ndjson or .json (JSON Lines), each optionally followed by .gz. With "parquet", "csv" or "jsonl", only files of that format (same extensions) are read. Files of other extensions are ignored.',
    examples: ['auto', 'parquet'],
  },
  csv_header: {
    type: 'boolean',
    default: true,
    title: 'CSV header',
    description:
      'Whether the first line of each CSV file names its columns. Without a header, columns are named column0, column1, ... as DuckDB names them.',
  },
  csv_delimiter: {
    type: 'string',
    minLength: 1,
    maxLength: 1,
    default: ',',
    title: 'CSV delimiter',
    description: 'The character between the fields of a CSV record.',
    examples: [',', ';', '\t'],
  },
  csv_quote: {
    type: 'string',
    minLength: 1,
    maxLength: 1,
    default: '"',
    title: 'CSV quote',
    description:
      'The character that quotes a CSV field holding delimiters or line breaks; inside quotes it is doubled.',
    examples: ['"', "'"],
  },
  csv_null_marker: {
    type: 'string',
    default: '',
    title: 'CSV null marker',
    description:
      'A CSV field equal to this text, quoted or not, is null (the default, the empty field, is how DuckDB reads CSV).',
    examples: ['', 'NULL', '\\N'],
  },
  tables: {
    type: 'array',
    items: { type: 'string', minLength: 1 },
    uniqueItems: true,
    default: [],
    title: 'Tables',
    description:
      'The tables (directories under the root) to offer, by name. Empty offers every table, including ones that appear later.',
    examples: [['events', 'users']],
  },
  exclude_tables: {
    type: 'array',
    items: { type: 'string', minLength: 1 },
    uniqueItems: true,
    default: [],
    title: 'Excluded tables',
    description: 'Tables (directories under the root) never offered, by name.',
    examples: [['scratch']],
  },
  partition_filter: {
    type: 'array',
    default: [],
    title: 'Partition filter',
    description:
      'Conditions on partition columns (key=value directories); a directory whose value fails one is neither listed nor read, and a table without that level is read whole. A column no table is partitioned by is an error. Values compare as the column shows them (Hive escapes such as %3A decoded); integers as numbers, anything else (dates too) as text; a null partition fails every condition.',
    examples: [[{ column: 'dt', op: '>=', value: '2025-01-01' }]],
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['column', 'op', 'value'],
      properties: {
        column: {
          type: 'string',
          minLength: 1,
          title: 'Column',
          description: 'The partition column (the key of key=value directories).',
          examples: ['dt'],
        },
        op: {
          type: 'string',
          enum: ['=', '!=', '<', '<=', '>', '>='],
          title: 'Operator',
          description: 'How the partition value compares with value.',
          examples: ['>='],
        },
        value: {
          type: 'string',
          title: 'Value',
          description:
            'The value to compare with, as the partition column shows it (2025-01-01 for dt=2025-01-01).',
          examples: ['2025-01-01'],
        },
      },
    },
  },
  on_bad_record: {
    type: 'string',
    enum: ['fail', 'skip'],
    default: 'fail',
    title: 'On a bad record',
    description:
      'What a record that cannot be read does (a malformed JSON line, a CSV row with the wrong number of fields, a value that does not fit its column): "fail" stops the run with an error naming the table, the file and the line; "skip" drops it and counts it in the run report. A corrupt Parquet file or broken gzip always fails.',
    examples: ['fail', 'skip'],
  },
} as const satisfies Record<keyof LakeSourceOptions, SchemaNode>;
