import { InternalError, type Field, type FieldType } from '@ferry/core';

/** Options of {@link checkFields}. */
export interface CheckFieldsOptions {
  /** The format being written, named in messages. */
  readonly format: string;
  /** Characters a field name must not contain in this format. */
  readonly forbiddenNameChars?: string;
}

/**
 * Checks that a schema can be written: at least one field, names non-empty and unique at each
 * level (and not `__proto__`, which a plain-object row cannot hold), decimal precision >= 1 and
 * 0 <= scale <= precision, structs with at least one field.
 *
 * @throws InternalError naming the offending field path: the schema comes from a catalog, so an
 *   invalid one is a bug of whoever built it, not a problem of the data.
 */
export function checkFields(fields: readonly Field[], options: CheckFieldsOptions): void {
  checkLevel(fields, '', options);
}

function checkLevel(fields: readonly Field[], path: string, options: CheckFieldsOptions): void {
  const where = path === '' ? 'the schema' : `struct ${path}`;
  if (fields.length === 0) invalid(options, `${where} has no fields`);
  const seen = new Set<string>();
  for (const field of fields) {
    const fieldPath = path === '' ? field.name : `${path}.${field.name}`;
    if (field.name === '' || field.name === '__proto__') {
      invalid(options, `${where} has a field named '${field.name}'`);
    }
    if (seen.has(field.name)) invalid(options, `${where} has two fields named ${field.name}`);
    seen.add(field.name);
    for (const char of options.forbiddenNameChars ?? '') {
      if (field.name.includes(char)) {
        invalid(options, `field ${fieldPath}: names containing '${char}' are not supported`);
      }
    }
    checkType(field.type, fieldPath, options);
  }
}

function checkType(type: FieldType, path: string, options: CheckFieldsOptions): void {
  switch (type.kind) {
    case 'decimal': {
      const { precision, scale } = type;
      const valid =
        Number.isInteger(precision) && Number.isInteger(scale) && precision >= 1 && scale >= 0;
      if (!valid || scale > precision) {
        invalid(options, `field ${path}: invalid decimal(${precision},${scale})`);
      }
      return;
    }
    case 'list':
      checkType(type.items, `${path}[]`, options);
      return;
    case 'struct':
      checkLevel(type.fields, path, options);
      return;
    default:
      return;
  }
}

function invalid(options: CheckFieldsOptions, message: string): never {
  throw new InternalError(`cannot write ${options.format}: ${message}`);
}
