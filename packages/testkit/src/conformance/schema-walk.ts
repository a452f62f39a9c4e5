import { isPlainObject, type SchemaNode } from '@ferry/core';

/** One property of a config schema, at any depth. */
export interface SchemaProperty {
  /** JSON Pointer of the property in a config (`/auth/token`; array items as `/list/0/key`). */
  readonly pointer: string;
  readonly node: SchemaNode;
  readonly required: boolean;
}

/**
 * Every property a config can hold, depth first in schema order: `properties` of the root and of
 * nested objects, and of objects inside arrays (`items`). Properties named only inside
 * `allOf`/`if`/`then` rules are constraints on these, not new properties.
 */
export function schemaProperties(schema: SchemaNode, pointer = ''): SchemaProperty[] {
  const required = new Set(schema.required ?? []);
  const found: SchemaProperty[] = [];
  for (const [name, node] of Object.entries(schema.properties ?? {})) {
    const at = `${pointer}/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    found.push({ pointer: at, node, required: required.has(name) });
    found.push(...schemaProperties(node, at));
    if (isPlainObject(node.items)) found.push(...schemaProperties(node.items, `${at}/0`));
  }
  return found;
}

/** The JSON Schema types a node allows. */
export function typesOf(node: SchemaNode): readonly string[] {
  if (node.type === undefined) return [];
  return typeof node.type === 'string' ? [node.type] : node.type;
}

/**
 * `config` with `value` set at `pointer` (objects created on the way; array segments taken as
 * the first item). Returns a copy.
 */
export function setAt(config: unknown, pointer: string, value: unknown): Record<string, unknown> {
  const root = isPlainObject(config) ? structuredClone(config) : {};
  const segments = pointer.split('/').slice(1);
  let node: Record<string, unknown> = root;
  segments.forEach((raw, index) => {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (index === segments.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    const child = isPlainObject(next) ? next : {};
    node[key] = child;
    node = child;
  });
  return root;
}
