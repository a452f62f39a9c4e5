/** The connector type of the template package, replaced by the new name in every file. */
export const TEMPLATE_TYPE = 'example';

// The same rule as a connector's `type` (the conformance kit checks it): `acme-crm`, `s3`.
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Why `name` cannot name a new connector (`undefined` when it can): not lowercase words joined by
 * `-`, the template's own name, or the type or directory of a connector that exists.
 */
export function nameProblem(name: string, taken: ReadonlySet<string>): string | undefined {
  if (!NAME.test(name)) {
    return `"${name}" is not a valid connector name: use lowercase letters and digits, starting with a letter, words joined by "-" (e.g. acme-crm)`;
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
