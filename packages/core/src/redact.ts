import type { SchemaNode } from './config-schema.js';
import { isPlainObject } from './json.js';

/** What a secret is replaced with. */
export const REDACTED = '***';

/**
 * The string values of every `x-secret` property of `config` (at any depth, in arrays and in
 * `oneOf`/`anyOf`/`allOf` branches), for a {@link Redactor}.
 */
export function collectSecrets(schema: SchemaNode, config: unknown): string[] {
  const found = new Set<string>();
  visit(schema, config, (value) => {
    if (typeof value === 'string' && value !== '') found.add(value);
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
  for (const branch of [
    ...(schema.oneOf ?? []),
    ...(schema.anyOf ?? []),
    ...(schema.allOf ?? []),
  ]) {
    visit(branch, value, onSecret);
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    for (const item of value) visit(schema.items, item, onSecret);
    return;
  }
  if (!isPlainObject(value) || schema.properties === undefined) return;
  for (const [key, propertySchema] of Object.entries(schema.properties)) {
    if (!(key in value)) continue;
    if (propertySchema['x-secret'] === true) onSecret(value[key], value, key);
    else visit(propertySchema, value[key], onSecret);
  }
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

  /** Registers more secrets (empty strings are ignored). */
  add(secrets: Iterable<string>): void {
    const all = new Set([...this.#secrets, ...[...secrets].filter((s) => s !== '')]);
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
