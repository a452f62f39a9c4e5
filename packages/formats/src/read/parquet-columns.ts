import { RecordError, t, type Field, type FieldType } from '@ferry/core';
import type { FileMetaData, SchemaElement, SchemaTree } from 'hyparquet';
import { withSegment } from '../issue.js';
import { leafOf, rawElement } from './parquet-leaf.js';

/**
 * Parquet groups -> ferry types (leaves: parquet-leaf.ts):
 * - a LIST group (3-level `group (LIST) { repeated group list { element } }`, or 2-level with a
 *   repeated leaf) is a `list`; so is a bare `repeated` field outside a LIST (parquetjs writes
 *   those), which is never null (no values is an empty list);
 * - a MAP group is a `list<struct{key, value}>` (member names as in the file, `key` not
 *   nullable): keys keep their type and order, which a JSON object could not;
 * - any other group is a `struct`.
 * REQUIRED fields are not nullable, OPTIONAL ones are. A 1-child repeated group inside a LIST is
 * read as 3-level (as hyparquet does), also where the legacy rules would make it the element.
 */
export interface ColumnPlan {
  readonly field: Field;
  /** The ferry value of a value hyparquet assembled (null and undefined give null). */
  readonly read: (value: unknown) => unknown;
}

interface Node {
  readonly type: FieldType;
  readonly read: (value: unknown) => unknown;
}

/**
 * The plan of every top-level column of a file's schema.
 * @throws RecordError naming the file (`name`) and the column for a type ferry does not support.
 */
export function columnPlans(root: SchemaTree, name: string): ColumnPlan[] {
  return root.children.map((child) => {
    const node = fieldNode(child, name);
    const nullable = child.element.repetition_type === 'OPTIONAL';
    return { field: { name: child.element.name, type: node.type, nullable }, read: node.read };
  });
}

/** The metadata hyparquet reads with: annotations it would convert lossily removed. */
export function rawMetadata(metadata: FileMetaData): FileMetaData {
  const schema = metadata.schema.map((element): SchemaElement => {
    if (!element.num_children) return rawElement(element);
    // hyparquet assembles lists by the converted type only.
    if (isList(element)) return { ...element, converted_type: 'LIST' };
    if (!isMap(element)) return element;
    const { converted_type: _c, logical_type: _l, ...rest } = element;
    return rest; // a plain group: hyparquet then gives { key_value: [{ key, value }...] }
  });
  return { ...metadata, schema };
}

function fieldNode(tree: SchemaTree, name: string): Node {
  if (tree.element.repetition_type === 'REPEATED') {
    const item = valueNode(tree, name);
    return { type: t.list(item.type), read: listReader(item, true) };
  }
  return valueNode(tree, name);
}

/** The node of a field's value, ignoring its own repetition. */
function valueNode(tree: SchemaTree, name: string): Node {
  const { element, children } = tree;
  if (children.length === 0) {
    const leaf = leafOf(element);
    if (typeof leaf === 'string') throw unsupported(tree, leaf, name);
    return { type: leaf.type, read: nullSafe(leaf.read) };
  }
  const wrapped = children[0];
  if (isListLike(tree) && wrapped !== undefined) {
    const item = valueNode(wrapped.children[0] ?? wrapped, name);
    return { type: t.list(item.type), read: listReader(item, false) };
  }
  if ((isMap(element) || isList(element)) && children.length === 1 && wrapped !== undefined) {
    // A MAP, or a LIST whose repeated group has several fields (the group is the element).
    const entry = valueNode(wrapped, name);
    const items = listReader(entry, true);
    const key = wrapped.element.name;
    return {
      type: t.list(entry.type),
      read: (v) =>
        v === null || v === undefined ? null : items((v as Record<string, unknown>)[key]),
    };
  }
  return structNode(children, name);
}

function structNode(children: readonly SchemaTree[], name: string): Node {
  const members = children.map((child) => ({
    name: child.element.name,
    nullable: child.element.repetition_type === 'OPTIONAL',
    node: fieldNode(child, name),
  }));
  const fields = members.map((m) => ({ name: m.name, type: m.node.type, nullable: m.nullable }));
  return {
    type: t.struct(fields),
    read: (value) => {
      if (value === null || value === undefined) return null;
      const struct = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const m of members) {
        try {
          out[m.name] = m.node.read(struct[m.name]);
        } catch (error) {
          throw withSegment(error, m.name);
        }
      }
      return out;
    },
  };
}

/** Reads arrays of items; `emptyWhenNull` for repeated fields, where no values is `[]`. */
function listReader(item: Node, emptyWhenNull: boolean): (value: unknown) => unknown {
  return (value) => {
    if (value === null || value === undefined) return emptyWhenNull ? [] : null;
    return (value as unknown[]).map((v, i) => {
      try {
        return item.read(v);
      } catch (error) {
        throw withSegment(error, i);
      }
    });
  };
}

function nullSafe(read: (value: unknown) => unknown): (value: unknown) => unknown {
  return (value) => (value === null || value === undefined ? null : read(value));
}

/** hyparquet's test for a list it assembles as one (schema.js `isListLike`, on rawMetadata). */
function isListLike(tree: SchemaTree): boolean {
  const [child, ...others] = tree.children;
  return (
    isList(tree.element) &&
    others.length === 0 &&
    child?.element.repetition_type === 'REPEATED' &&
    child.children.length <= 1
  );
}

function isList(element: SchemaElement): boolean {
  return element.converted_type === 'LIST' || element.logical_type?.type === 'LIST';
}

function isMap(element: SchemaElement): boolean {
  const ctype = element.converted_type;
  return ctype === 'MAP' || ctype === 'MAP_KEY_VALUE' || element.logical_type?.type === 'MAP';
}

function unsupported(tree: SchemaTree, what: string, name: string): RecordError {
  const field = tree.path.join('.');
  return new RecordError(
    `cannot read Parquet schema: column ${field} has the type ${what}, which ferry does not read`,
    { position: { key: name, field } },
  );
}
