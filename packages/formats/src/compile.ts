import { isPlainObject, typeName, type Field, type FieldType, type Row } from '@ferry/core';
import { fail, failType, jsType, withSegment } from './issue.js';

/**
 * The skeleton shared by the per-format converters: null handling, structs and lists. A format
 * supplies how to convert a non-null leaf value and how to assemble structs and lists; the
 * result is a tree of closures built once per schema, so the hot path does no type switch per
 * value. Any `ValueIssue` thrown below a struct field or list item gets that field name or
 * index added to its path on the way up.
 */

/** Converts one non-null value (or, for a nullable wrapper, possibly null). */
export type Convert<T> = (value: unknown) => T;

/** What a format supplies to {@link compileRow}. */
export interface FormatRules<T> {
  /** The converter of a non-null scalar (every kind except list and struct). */
  leaf(type: FieldType): Convert<T>;
  /** The output for a null value. */
  readonly nullValue: T;
  /** Returns the assembler of a struct with these field names (values come in field order). */
  struct(names: readonly string[]): (values: T[]) => T;
  /** Assembles a list from its converted items (null items are `nullValue`). */
  list(items: T[]): T;
}

/** Compiles the converter of a whole row (a struct of `fields`). */
export function compileRow<T>(fields: readonly Field[], rules: FormatRules<T>): (row: Row) => T {
  return structConverter(fields, rules);
}

function fieldConverter<T>(field: Field, rules: FormatRules<T>): Convert<T> {
  return withNulls(typeConverter(field.type, rules), field, rules.nullValue);
}

function typeConverter<T>(type: FieldType, rules: FormatRules<T>): Convert<T> {
  if (type.kind === 'struct') return structConverter(type.fields, rules);
  if (type.kind === 'list') return listConverter(type.items, rules);
  return rules.leaf(type);
}

function withNulls<T>(
  convert: Convert<T>,
  field: Pick<Field, 'type' | 'nullable'>,
  nullValue: T,
): Convert<T> {
  if (field.nullable) {
    return (value) => (value === null || value === undefined ? nullValue : convert(value));
  }
  const expected = `a non-null ${typeName(field.type)}`;
  return (value) => {
    if (value === null || value === undefined) fail(expected, jsType(value));
    return convert(value);
  };
}

function structConverter<T>(fields: readonly Field[], rules: FormatRules<T>): Convert<T> {
  const members = fields.map((f) => ({
    name: f.name,
    convert: fieldConverter(f, rules),
    // `row.constructor` of a row without that key is Object's, not a missing value.
    inherited: f.name in Object.prototype,
  }));
  const assemble = rules.struct(members.map((m) => m.name));
  return (value) => {
    if (!isPlainObject(value)) failType('an object', value);
    const values = new Array<T>(members.length);
    let i = 0;
    for (const { name, convert, inherited } of members) {
      try {
        values[i] = convert(inherited && !Object.hasOwn(value, name) ? undefined : value[name]);
      } catch (error) {
        throw withSegment(error, name);
      }
      i += 1;
    }
    return assemble(values);
  };
}

function listConverter<T>(items: FieldType, rules: FormatRules<T>): Convert<T> {
  // ferry list types carry no item nullability: null items are kept as null.
  const item = { type: items, nullable: true };
  const convertItem = withNulls(typeConverter(items, rules), item, rules.nullValue);
  return (value) => {
    if (!Array.isArray(value)) failType('an array', value);
    const array: readonly unknown[] = value;
    const out = new Array<T>(array.length);
    for (let i = 0; i < array.length; i += 1) {
      try {
        out[i] = convertItem(array[i]);
      } catch (error) {
        throw withSegment(error, i);
      }
    }
    return rules.list(out);
  };
}
