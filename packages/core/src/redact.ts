import type { SchemaNode } from './config-schema.js';
import { isPlainObject } from './json.js';

/** What a secret is replaced with. */
export const REDACTED = '***';

/**
 * The values of every `x-secret` property of `config`, as text (at any depth: `properties`,
 * `additionalProperties`, `patternProperties`, `items`, and `oneOf`/`anyOf`/`allOf`/`if`/`then`/
 * `else` branches), for a {@link Redactor}.
 */
export function collectSecrets(schema: SchemaNode, config: unknown): string[] {
  const found = new Set<string>();
  visit(schema, config, (value) => {
    if (typeof value === 'string' && value !== '') found.add(value);
    else if (typeof value === 'number' || typeof value === 'bigint') found.add(String(value));
  });
  return [...found];
}

/** A copy of `config` with every `x-secret` value replaced by {@link REDACTED}. */
export function redactConfig(schema: SchemaNode, config: unknown): unknown {
  const copy = structuredClone(config);
  visit(schema, copy, (_value, parent, key) => {
    parent[key] = REDACTED;
  });
  return copy;
}

type OnSecret = (value: unknown, parent: Record<string, unknown>, key: string) => void;

function visit(schema: SchemaNode, value: unknown, onSecret: OnSecret): void {
  for (const branch of branches(schema)) visit(branch, value, onSecret);
  if (Array.isArray(value) && schema.items !== undefined) {
    for (const item of value) visit(schema.items, item, onSecret);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const key of Object.keys(value)) {
    for (const propertySchema of schemasOf(schema, key)) {
      if (propertySchema['x-secret'] === true) onSecret(value[key], value, key);
      else visit(propertySchema, value[key], onSecret);
    }
  }
}

/** Subschemas that apply to the same value. */
function branches(schema: SchemaNode): SchemaNode[] {
  const conditional = [schema.if, schema.then, schema.else].filter(isSchema);
  return [
    ...(schema.oneOf ?? []),
    ...(schema.anyOf ?? []),
    ...(schema.allOf ?? []),
    ...conditional,
  ];
}

/** The schemas that apply to property `key` of an object validated by `schema`. */
function schemasOf(schema: SchemaNode, key: string): SchemaNode[] {
  const named = schema.properties?.[key];
  if (named !== undefined) return [named];
  const patterns = isPlainObject(schema.patternProperties) ? schema.patternProperties : {};
  const matching = Object.entries(patterns)
    .filter(([pattern]) => new RegExp(pattern, 'u').test(key))
    .map(([, s]) => s)
    .filter(isSchema);
  if (matching.length > 0) return matching;
  return isSchema(schema.additionalProperties) ? [schema.additionalProperties] : [];
}

function isSchema(value: unknown): value is SchemaNode {
  return isPlainObject(value);
}

/**
 * Removes known secret values from text before it is printed, logged or stored. Every output path
 * of the runner (logs, errors, reports) goes through one.
 */
export class Redactor {
  #secrets: string[] = [];

  constructor(secrets: Iterable<string> = []) {
    this.add(secrets);
  }

  /**
   * Registers more secrets (empty strings are ignored). Each is also known in its JSON-escaped
   * form, so a secret containing quotes or backslashes is found inside serialized JSON too.
   */
  add(secrets: Iterable<string>): void {
    const forms = [...secrets]
      .filter((s) => s !== '')
      .flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]);
    const all = new Set([...this.#secrets, ...forms]);
    // Longest first, so a secret containing another is replaced whole.
    this.#secrets = [...all].sort((a, b) => b.length - a.length);
  }

  /** `text` with every secret replaced by {@link REDACTED}. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) {
      if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
    }
    return out;
  }
}
