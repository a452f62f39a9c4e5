import { CONNECTOR_TYPE, CONNECTOR_TYPE_RULE } from '../plugins-declaration.js';

/** The connector type of the template package, replaced by the new name in every file. */
export const TEMPLATE_TYPE = 'example';

/**
 * The longest connector name: it becomes a directory, a package name (`@ferry/connector-<name>`)
 * and upper-case identifiers, which must stay within file name and line length limits.
 */
export const MAX_NAME_LENGTH = 50;

/**
 * Why `name` cannot name a new connector (`undefined` when it can): not lowercase words joined by
 * `-` (the rule for a connector's `type`), longer than {@link MAX_NAME_LENGTH}, the template's
 * own name, or the type or directory of a connector that exists.
 */
export function nameProblem(name: string, taken: ReadonlySet<string>): string | undefined {
  if (!CONNECTOR_TYPE.test(name)) {
    return `"${name}" is not a valid connector name: ${CONNECTOR_TYPE_RULE}`;
  }
  if (name.length > MAX_NAME_LENGTH) {
    return `"${name.slice(0, 20)}…" is too long for a connector name: ${name.length} characters, at most ${MAX_NAME_LENGTH}`;
  }
  if (name === TEMPLATE_TYPE) return `"${name}" is the name of the template connector`;
  if (taken.has(name)) return `a connector named "${name}" exists already`;
  return undefined;
}

/** `acme-crm` as a title: `Acme Crm`. */
export function titleCase(name: string): string {
  return name
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** `acme-crm` as an upper-case identifier: `ACME_CRM`. */
export function upperSnake(name: string): string {
  return name.toUpperCase().replaceAll('-', '_');
}

/**
 * `text` with the template's name replaced by `name` in its three spellings: `example` and
 * `Example` as whole words (JSON Schema's `examples` keyword stays), `EXAMPLE` also inside
 * upper-case identifiers (`EXAMPLE_TOKEN` becomes `ACME_CRM_TOKEN`).
 */
export function renameText(text: string, name: string): string {
  return text
    .replace(/\bexample\b/g, name)
    .replace(/\bExample\b/g, titleCase(name))
    .replace(/(?<![A-Za-z])EXAMPLE(?![A-Za-z])/g, upperSnake(name));
}
