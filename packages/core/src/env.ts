import { ConfigError, type ConfigIssue } from './errors.js';
import { escapePointerSegment, isPlainObject } from './json.js';

const REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;
const WHOLE_REFERENCE = new RegExp(`^${REFERENCE.source}$`);
const ANY_REFERENCE = /\$\{env:[^}]*\}?/g;

/** Options of {@link interpolateEnv}. */
export interface InterpolateOptions {
  /** Variables to read; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** File named in the error message. */
  readonly file?: string;
  /**
   * Called for each unset variable with the JSON Pointer of the string using it: a string it
   * returns stands in for the value; `undefined` (and no callback) makes it an error.
   */
  readonly onUnset?: (name: string, pointer: string) => string | undefined;
}

/**
 * Replaces every `${env:NAME}` inside string values of a JSON document (at any depth, whole or
 * part of a string) with the variable's value. Returns a new document.
 * @throws ConfigError naming each unset variable (and malformed reference) with its JSON Pointer.
 */
export function interpolateEnv(document: unknown, options: InterpolateOptions = {}): unknown {
  const env = options.env ?? process.env;
  const issues: ConfigIssue[] = [];
  const onUnset = options.onUnset ?? (() => undefined);
  const result = walk(document, '', (text, pointer) =>
    substitute(text, pointer, { env, issues, onUnset }),
  );
  if (issues.length > 0) {
    throw new ConfigError(issues, options.file === undefined ? {} : { file: options.file });
  }
  return result;
}

interface Substitution {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly issues: ConfigIssue[];
  readonly onUnset: NonNullable<InterpolateOptions['onUnset']>;
}

function substitute(text: string, pointer: string, at: Substitution): string {
  const { env, issues } = at;
  if (!text.includes('${env:')) return text;
  for (const match of text.matchAll(ANY_REFERENCE)) {
    if (!WHOLE_REFERENCE.test(match[0])) {
      issues.push({ pointer, message: `malformed variable reference ${match[0]}` });
    }
  }
  return text.replace(REFERENCE, (whole, name: string) => {
    const value = env[name] ?? at.onUnset(name, pointer);
    if (value === undefined) {
      issues.push({ pointer, message: `environment variable ${name} is not set` });
      return whole;
    }
    return value;
  });
}

function walk(
  value: unknown,
  pointer: string,
  onString: (text: string, pointer: string) => string,
): unknown {
  if (typeof value === 'string') return onString(value, pointer);
  if (Array.isArray(value)) return value.map((v, i) => walk(v, `${pointer}/${i}`, onString));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = walk(v, `${pointer}/${escapePointerSegment(key)}`, onString);
    }
    return out;
  }
  return value;
}
