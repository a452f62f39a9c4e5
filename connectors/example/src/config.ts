import type { ConfigSchema } from '@ferry/core';

/** The validated config of both roles (every default applied). */
export interface Config {
  /** The directory holding one `<stream>.jsonl` and one `<stream>.schema.json` per stream. */
  readonly path: string;
  /** Rows per batch the source emits. */
  readonly batch_rows: number;
}

/**
 * JSON Schema (draft-07) of {@link Config}: the one source of its validation, defaults and docs
 * (the README's configuration table is generated from it by `npm run docs`).
 */
export const configSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Example JSON Lines directory',
  description:
    'Reads and writes a local directory holding one JSON Lines file and one schema file per stream.',
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: {
      type: 'string',
      minLength: 1,
      title: 'Directory',
      description:
        'The directory holding the files of every stream; the destination creates it if missing. A relative path is resolved against the working directory of the ferry process.',
      examples: ['out/jsonl', '/data/jsonl'],
    },
    batch_rows: {
      type: 'integer',
      minimum: 1,
      maximum: 1_000_000,
      default: 1000,
      title: 'Rows per batch',
      description:
        'How many rows the source reads before it emits a batch and, for incremental streams, a checkpoint; the destination ignores it.',
    },
  },
} as const satisfies ConfigSchema;
