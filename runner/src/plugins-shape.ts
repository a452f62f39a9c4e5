import { compileSchema, isPlainObject } from '@ferry/core';

/** What one export of a connector package must be. */
export interface ExpectedShape {
  readonly role: 'source' | 'destination';
  /** The type the package declares in `"ferry": {"type": ...}`. */
  readonly type: string;
}

const METHODS = {
  source: ['check', 'discover', 'read'],
  destination: ['check', 'write'],
} as const;

// Each capability list, with its allowed values where the contract closes them.
const CAPABILITIES: Record<ExpectedShape['role'], Record<string, readonly string[] | undefined>> = {
  source: { syncModes: ['full_refresh', 'incremental'] },
  destination: { writeModes: ['append', 'replace'], formats: undefined, layouts: undefined },
};

/**
 * What is wrong with `value` as the `source` or `destination` export of a connector package,
 * checked as far as can be without calling it; empty when nothing is. A plugin is only as
 * trustworthy as this check until it runs, so each problem names the property.
 */
export function shapeProblems(value: unknown, expected: ExpectedShape): string[] {
  const { role, type } = expected;
  if (!isPlainObject(value)) {
    const made = role === 'source' ? 'defineSource' : 'defineDestination';
    return [`is not a connector object (made with ${made} from @ferry/core)`];
  }
  const problems: string[] = [];
  if (value.kind !== role) problems.push(`"kind" is ${show(value.kind)}, expected "${role}"`);
  if (value.type !== type) {
    problems.push(`"type" is ${show(value.type)}, but package.json declares "type": "${type}"`);
  }
  for (const key of ['title', 'summary']) {
    if (typeof value[key] !== 'string' || value[key] === '') {
      problems.push(`"${key}" must be a non-empty string`);
    }
  }
  problems.push(...schemaProblems(value.configSchema));
  problems.push(...capabilityProblems(value.capabilities, role));
  for (const method of METHODS[role]) {
    if (typeof value[method] !== 'function') problems.push(`"${method}" must be a function`);
  }
  if (value.validate !== undefined && typeof value.validate !== 'function') {
    problems.push('"validate" must be a function when present');
  }
  return problems;
}

function schemaProblems(schema: unknown): string[] {
  if (!isPlainObject(schema)) return ['"configSchema" must be a JSON Schema object'];
  try {
    compileSchema(schema);
    return [];
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return [`"configSchema" does not compile: ${detail}`];
  }
}

function capabilityProblems(capabilities: unknown, role: ExpectedShape['role']): string[] {
  if (!isPlainObject(capabilities)) return ['"capabilities" must be an object'];
  const problems: string[] = [];
  for (const [key, allowed] of Object.entries(CAPABILITIES[role])) {
    const list = capabilities[key];
    const valid =
      Array.isArray(list) &&
      list.every((item) => typeof item === 'string' && (allowed?.includes(item) ?? true));
    if (!valid) {
      const of = allowed === undefined ? 'strings' : allowed.map((a) => `"${a}"`).join(', ');
      problems.push(`"capabilities.${key}" must be an array of ${of}`);
    }
  }
  return problems;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : value === undefined ? 'missing' : typeof value;
}
