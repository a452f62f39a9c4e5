import type { SchemaNode } from '@ferry/core';

const connectorRef = (role: string): SchemaNode => ({
  type: 'object',
  title: `The ${role}`,
  description: `Which ${role} connector to use and its configuration.`,
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: {
      type: 'string',
      minLength: 1,
      title: 'Connector type',
      description: `The ${role} connector's type, as listed by "ferry connectors".`,
      examples: ['filesystem'],
    },
    config: {
      type: 'object',
      default: {},
      title: 'Connector config',
      description: `The ${role} connector's settings, as described by "ferry spec <type>".`,
    },
  },
});

/** JSON Schema of a transfer file (see CONTRACTS.md). */
export const transferSchema: SchemaNode = {
  type: 'object',
  title: 'ferry transfer',
  additionalProperties: false,
  required: ['name', 'source', 'destination'],
  properties: {
    $schema: { type: 'string', title: 'Schema', description: 'For editors; ignored by ferry.' },
    name: {
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9_-]*$',
      maxLength: 128,
      title: 'Name',
      description:
        'Identifies the transfer; its state is kept under this name. Lowercase letters, digits, "_" and "-".',
      examples: ['events-to-s3'],
    },
    description: { type: 'string', title: 'Description', description: 'Free text for humans.' },
    source: connectorRef('source'),
    destination: connectorRef('destination'),
    streams: {
      type: 'array',
      minItems: 1,
      title: 'Streams',
      description: 'The streams to transfer; all streams the source offers when omitted.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: {
            type: 'string',
            minLength: 1,
            title: 'Stream',
            description: 'The name of a stream of the source, as listed by "ferry discover".',
            examples: ['pageview_events'],
          },
          sync_mode: {
            type: 'string',
            enum: ['full_refresh', 'incremental'],
            title: 'Sync mode',
            description:
              "Whether each run reads the whole stream or only what is new since the last run; the source's default when omitted.",
            examples: ['incremental'],
          },
          cursor_field: {
            type: 'string',
            minLength: 1,
            title: 'Cursor field',
            description: "The field an incremental read follows; the source's cursor when omitted.",
            examples: ['time'],
          },
          write_mode: {
            type: 'string',
            enum: ['append', 'replace'],
            title: 'Write mode',
            description:
              "Whether a run adds its rows (append) or makes them the whole table (replace); the source's default when omitted.",
            examples: ['append'],
          },
        },
      },
    },
    tenant: {
      type: 'object',
      title: 'Tenant filter',
      description: 'Keeps only the rows whose column equals the value, in every stream.',
      additionalProperties: false,
      required: ['column', 'value'],
      properties: {
        column: {
          type: 'string',
          minLength: 1,
          title: 'Column',
          description: 'The column holding the tenant; every stream must have it.',
          examples: ['workspace_id'],
        },
        value: {
          anyOf: [{ type: 'string' }, { type: 'integer' }],
          title: 'Value',
          description: 'The tenant whose rows are kept (compared as text).',
          examples: ['ws_1'],
        },
        drop: {
          type: 'boolean',
          default: false,
          title: 'Drop the column',
          description: 'Whether the tenant column is removed from the rows written.',
        },
      },
    },
    concurrency: {
      type: 'integer',
      minimum: 1,
      maximum: 64,
      default: 2,
      title: 'Concurrency',
      description: 'How many streams are transferred at the same time.',
    },
  },
};
