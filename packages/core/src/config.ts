import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { ConfigSchema, SchemaNode } from './config-schema.js';
import { ConfigError, InternalError, type ConfigIssue } from './errors.js';
import { escapePointerSegment } from './json.js';

const ajv = new Ajv({ strict: true, allErrors: true, useDefaults: true, coerceTypes: false });
ajv.addKeyword({ keyword: 'x-secret', schemaType: 'boolean' });

const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Compiles a schema in ajv's strict mode (unknown keywords, ambiguous types are errors).
 * Compiled schemas are cached per schema object.
 * @throws InternalError when the schema itself is invalid; that is a bug in the connector.
 */
export function compileSchema(schema: SchemaNode): ValidateFunction {
  const cached = compiled.get(schema);
  if (cached !== undefined) return cached;
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InternalError(`compiling config schema "${schema.title ?? '?'}": ${detail}`, {
      cause: error,
    });
  }
  compiled.set(schema, validate);
  return validate;
}

/** Options of {@link validateConfig}. */
export interface ValidateOptions {
  /** Pointer prefix for issues, e.g. `/destination/config`. */
  readonly prefix?: string;
  /** File named in the error message. */
  readonly file?: string;
}

/**
 * Validates `value` against `schema` and returns a copy with defaults applied. `value` itself is
 * not modified.
 * @throws ConfigError listing every bad field by JSON Pointer (unknown keys included).
 */
// T names the type the schema describes; the schema check is what makes the cast sound.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export function validateConfig<T>(
  schema: ConfigSchema | SchemaNode,
  value: unknown,
  options: ValidateOptions = {},
): T {
  const validate = compileSchema(schema);
  const copy: unknown = value === undefined ? undefined : structuredClone(value);
  if (validate(copy)) return copy as T;
  const issues = toIssues(validate.errors ?? [], { schema, prefix: options.prefix ?? '' });
  throw new ConfigError(issues, options.file === undefined ? {} : { file: options.file });
}

function toIssues(
  errors: readonly ErrorObject[],
  at: { readonly schema: SchemaNode; readonly prefix: string },
): ConfigIssue[] {
  const seen = new Set<string>();
  const issues: ConfigIssue[] = [];
  for (const error of errors) {
    // "must match then schema" and friends only repeat the real error below them.
    if (error.keyword === 'if' || error.keyword === 'oneOf' || error.keyword === 'anyOf') continue;
    // A value of the wrong type breaks no rule: its own message says more.
    const rule = error.keyword === 'type' ? undefined : ruleBroken(at.schema, error.schemaPath);
    const issue =
      rule === undefined
        ? toIssue(error, at.prefix)
        : { ...toIssue(error, at.prefix), message: rule.replace(/\.$/, '') };
    const id = `${issue.pointer} ${issue.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    issues.push(issue);
  }
  return issues;
}

function toIssue(error: ErrorObject, prefix: string): ConfigIssue {
  const at = prefix + error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { pointer: child(at, params.missingProperty), message: 'is required' };
    case 'additionalProperties':
      return { pointer: child(at, params.additionalProperty), message: 'unknown key' };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      return { pointer: at, message: `must be one of ${allowed.join(', ')}` };
    }
    case 'type':
      return { pointer: at, message: `must be ${String(params.type)}` };
    default:
      return { pointer: at, message: error.message ?? `fails "${error.keyword}"` };
  }
}

/**
 * The description of the innermost `if`/`then`/`else` rule whose branch the failing keyword at
 * `schemaPath` (`#/allOf/2/then/properties/kms_key_id/const`) belongs to: it says what the
 * rule wants ("kms_key_id is only allowed when ..."), where ajv would say "must be equal to
 * constant".
 */
function ruleBroken(schema: SchemaNode, schemaPath: string): string | undefined {
  let node: unknown = schema;
  let rule: string | undefined;
  for (const raw of schemaPath.replace(/^#\/?/, '').split('/')) {
    if (typeof node !== 'object' || node === null) return rule;
    const parent = node as SchemaNode;
    const segment = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    const branch = segment === 'then' || segment === 'else';
    if (branch && parent.if !== undefined && typeof parent.description === 'string') {
      rule = parent.description;
    }
    node = (parent as Record<string, unknown>)[segment];
  }
  return rule;
}

function child(pointer: string, key: unknown): string {
  return `${pointer}/${escapePointerSegment(String(key))}`;
}
