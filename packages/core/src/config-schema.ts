import type { JsonValue } from './json.js';

/** JSON Schema type names. */
export type SchemaTypeName =
  'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';

/**
 * A JSON Schema (draft-07) node as ferry uses it. Each property of a config documents itself:
 * `title`, a full-sentence `description`, `default` when optional, `examples` for strings, and
 * `x-secret: true` for credentials (never logged, always redacted).
 */
export interface SchemaNode {
  readonly type?: SchemaTypeName | readonly SchemaTypeName[];
  readonly title?: string;
  readonly description?: string;
  readonly default?: JsonValue;
  readonly examples?: readonly JsonValue[];
  readonly enum?: readonly JsonValue[];
  readonly 'x-secret'?: boolean;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | SchemaNode;
  readonly items?: SchemaNode;
  readonly oneOf?: readonly SchemaNode[];
  readonly anyOf?: readonly SchemaNode[];
  readonly allOf?: readonly SchemaNode[];
  readonly [keyword: string]: unknown;
}

/** The top-level schema of a connector config: an object that rejects unknown keys. */
export interface ConfigSchema extends SchemaNode {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties: false;
}
