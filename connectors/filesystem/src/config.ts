import type { ConfigSchema } from '@ferry/core';
import {
  lakeOptionProperties,
  lakeOptionRules,
  lakeSourceOptionProperties,
  type LakeOptions,
  type LakeSourceOptions,
} from '@ferry/lake';

/** Config of the `filesystem` destination. */
export interface FilesystemDestinationConfig extends LakeOptions {
  readonly path: string;
}

/** JSON Schema of {@link FilesystemDestinationConfig}. */
export const destinationConfigSchema: ConfigSchema = {
  type: 'object',
  title: 'Local directory',
  description: 'Writes a Hive-partitioned lake of Parquet or JSONL files into a local directory.',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: {
      type: 'string',
      minLength: 1,
      title: 'Directory',
      description:
        'The directory the lake is written to, created if missing. A relative path is resolved against the working directory of the ferry process.',
      examples: ['out/lake', '/data/lake'],
    },
    ...lakeOptionProperties,
  },
  allOf: [...lakeOptionRules],
};

/** Config of the `filesystem` source. */
export interface FilesystemSourceConfig extends LakeSourceOptions {
  readonly path: string;
}

/** JSON Schema of {@link FilesystemSourceConfig}. */
export const sourceConfigSchema: ConfigSchema = {
  type: 'object',
  title: 'Local directory',
  description:
    'Reads a local directory whose subdirectories are tables of Parquet, CSV or JSON Lines files, partitioned or not.',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: {
      type: 'string',
      minLength: 1,
      title: 'Directory',
      description:
        'The directory whose subdirectories are the tables (a schema directory, such as the path of a filesystem destination). A relative path is resolved against the working directory of the ferry process.',
      examples: ['out/lake', '/data/warehouse/analytics'],
    },
    ...lakeSourceOptionProperties,
  },
};
