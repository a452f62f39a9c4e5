import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  InternalError,
  isPlainObject,
  type Destination,
  type SchemaNode,
  type Source,
} from '@ferry/core';

/** A connector whose config section can be generated. */
export type DocumentedConnector = Source | Destination;

/** Opens the generated configuration section of a README. */
export const CONFIG_DOCS_START = '<!-- ferry:config:start -->';
/** Closes the generated configuration section of a README. */
export const CONFIG_DOCS_END = '<!-- ferry:config:end -->';

// A comment rather than visible text: the note is for whoever edits the file, not for readers.
const GENERATED_NOTE =
  '<!-- Generated from the config schema by `npm run docs`; do not edit by hand. -->';

/** One table row: key, type, required, default, description (Markdown, cell-escaped later). */
type Row = readonly [string, string, string, string, string];

const HEADER: Row = ['key', 'type', 'required', 'default', 'description'];

/** Constraint keywords shown in the type column, in this order. */
const LIMITS: readonly (readonly [string, string])[] = [
  ['minimum', 'min'],
  ['exclusiveMinimum', 'greater than'],
  ['maximum', 'max'],
  ['exclusiveMaximum', 'less than'],
  ['minLength', 'min length'],
  ['maxLength', 'max length'],
  ['minItems', 'min items'],
  ['maxItems', 'max items'],
];

/** What the walk over a schema collects. */
interface Collected {
  readonly rows: Row[];
  readonly rules: string[];
}

/** Where a walk is in the schema. */
interface Position {
  /** Prefix of the keys below this node: `''`, `'auth.'`, `'columns[].'`. */
  readonly prefix: string;
  /** Inside an `x-secret` property: everything below is redacted too, so nothing is shown. */
  readonly secret: boolean;
}

/**
 * The Markdown documentation of one connector's config, generated from its `configSchema`: a
 * `### Source configuration` or `### Destination configuration` heading, the schema's title and
 * description, a table with one row per property (nested objects as `auth.token`, objects in
 * arrays as `columns[].name`, in schema order) and the cross-field rules (`if`/`then` at the top
 * or in `allOf`). The default and examples of an `x-secret` property are never shown. Tables are
 * aligned exactly as Prettier aligns them, so a formatted README stays as generated.
 */
export function renderConfigDocs(connector: DocumentedConnector): string {
  const schema = connector.configSchema;
  const collected: Collected = { rows: [], rules: [] };
  collect(schema, { prefix: '', secret: false }, collected);
  const role = connector.kind === 'source' ? 'Source' : 'Destination';
  const parts = [`### ${role} configuration`];
  const intro = [titleText(schema.title), escapeText(schema.description ?? '')].filter(Boolean);
  if (intro.length > 0) parts.push(intro.join(' '));
  parts.push(collected.rows.length > 0 ? table(collected.rows) : 'This connector has no settings.');
  if (collected.rules.length > 0) {
    parts.push('Rules:', collected.rules.map((rule) => `- ${rule}`).join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}

/**
 * `readme` with the text between {@link CONFIG_DOCS_START} and {@link CONFIG_DOCS_END} replaced
 * by a do-not-edit note and the {@link renderConfigDocs} of each connector (sources first). The
 * markers are kept, so rendering the result again changes nothing.
 * @throws InternalError when a marker is missing, appears twice, or the end comes first.
 */
export function renderReadmeConfig(
  readme: string,
  connectors: readonly DocumentedConnector[],
): string {
  const start = markerIndex(readme, CONFIG_DOCS_START);
  const end = markerIndex(readme, CONFIG_DOCS_END);
  if (end < start) {
    throw new InternalError(`the README has ${CONFIG_DOCS_END} before ${CONFIG_DOCS_START}`);
  }
  const ordered = [
    ...connectors.filter((c) => c.kind === 'source'),
    ...connectors.filter((c) => c.kind === 'destination'),
  ];
  // Each section ends with a newline; one more between them leaves one blank line, as Prettier.
  const body = [`${GENERATED_NOTE}\n`, ...ordered.map(renderConfigDocs)].join('\n');
  return `${readme.slice(0, start + CONFIG_DOCS_START.length)}\n\n${body}\n${readme.slice(end)}`;
}

/** Result of {@link checkReadmeConfig}. */
export interface ReadmeConfigCheck {
  /** Whether the README already holds the generated section. */
  readonly current: boolean;
  /** The whole README as `npm run docs` would write it. */
  readonly expected: string;
}

/**
 * Reads the README at `path` and tells whether its configuration section is the one generated
 * from `connectors` (see {@link renderReadmeConfig}); a test asserts `current` with a message
 * such as "README.md config section is stale; run `npm run docs`".
 * @throws InternalError naming the file when it cannot be read or lacks valid markers.
 */
export async function checkReadmeConfig(
  path: string | URL,
  connectors: readonly DocumentedConnector[],
): Promise<ReadmeConfigCheck> {
  const name = path instanceof URL ? fileURLToPath(path) : path;
  try {
    const readme = await readFile(path, 'utf8');
    const expected = renderReadmeConfig(readme, connectors);
    return { current: expected === readme, expected };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InternalError(`checking ${name}: ${reason}`, { cause: error });
  }
}

function markerIndex(readme: string, marker: string): number {
  const index = readme.indexOf(marker);
  if (index === -1) throw new InternalError(`the README has no ${marker} marker`);
  if (readme.includes(marker, index + marker.length)) {
    throw new InternalError(`the README has the ${marker} marker more than once`);
  }
  return index;
}

function collect(node: SchemaNode, at: Position, into: Collected): void {
  const required = new Set(node.required ?? []);
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const key = at.prefix + name;
    const secret = at.secret || child['x-secret'] === true;
    into.rows.push(row(key, child, { required: required.has(name), secret }));
    if (child.properties !== undefined) collect(child, { prefix: `${key}.`, secret }, into);
    if (child.items?.properties !== undefined) {
      collect(child.items, { prefix: `${key}[].`, secret }, into);
    }
  }
  // The node's own `if` is a rule too; its title and description belong to the node, not to it.
  const own = node.if === undefined ? [] : [{ if: node.if, then: node.then, else: node.else }];
  const rules = [...own, ...(node.allOf ?? [])];
  into.rules.push(...rules.map((rule) => ruleText(rule, at.prefix)));
}

function row(key: string, node: SchemaNode, flags: { required: boolean; secret: boolean }): Row {
  const shownDefault = flags.secret ? 'hidden' : code(json(node.default));
  const description = [titleText(node.title), escapeText(node.description ?? '')];
  const examples = node.examples ?? [];
  if (!flags.secret && examples.length > 0) {
    const label = examples.length === 1 ? 'Example' : 'Examples';
    description.push(`${label}: ${examples.map((value) => code(json(value))).join(', ')}.`);
  }
  return [
    code(key),
    typeText(node, flags.secret),
    flags.required ? 'yes' : 'no',
    node.default === undefined ? '—' : shownDefault,
    description.filter(Boolean).join(' '),
  ];
}

function typeText(node: SchemaNode, secret: boolean): string {
  const names = node.type === undefined ? [] : [node.type].flat();
  const items = names.includes('array') ? node.items : undefined;
  let text = items === undefined ? names.join(' or ') : `array of ${typeText(items, false)}`;
  const qualifiers = secret ? ['secret'] : [];
  if (typeof node.format === 'string') qualifiers.push(`format ${escapeText(node.format)}`);
  for (const [keyword, label] of LIMITS) {
    const limit = node[keyword];
    if (typeof limit === 'number') qualifiers.push(`${label} ${String(limit)}`);
  }
  if (qualifiers.length > 0) text = `${text || 'any'} (${qualifiers.join(', ')})`;
  const choices = node.enum ?? (node.const === undefined ? undefined : [node.const]);
  if (choices !== undefined) text = `${text === '' ? '' : `${text}, `}one of ${values(choices)}`;
  return text || 'any';
}

/** A rule as a sentence: its own `description`, else one derived from its keywords. */
function ruleText(rule: SchemaNode, prefix: string): string {
  const own = rule.description ?? rule.title;
  if (own !== undefined) return escapeText(own);
  const { if: condition, then: consequence, else: alternative } = rule;
  const then = isPlainObject(consequence) ? requirementText(consequence, prefix) : undefined;
  const otherwise = isPlainObject(alternative) ? requirementText(alternative, prefix) : undefined;
  if (!isPlainObject(condition) || (then === undefined && otherwise === undefined)) {
    const text = requirementText(rule, prefix);
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  }
  const when = conditionText(condition, prefix);
  if (then === undefined) return `Unless ${when}, ${otherwise ?? ''}.`;
  return `When ${when}, ${then}${otherwise === undefined ? '' : `; otherwise ${otherwise}`}.`;
}

function conditionText(schema: SchemaNode, prefix: string): string {
  const verbs = { const: 'is', enum: 'is one of', other: 'matches' };
  const parts = propertyClauses(schema, prefix, verbs);
  const listed = Object.keys(schema.properties ?? {});
  for (const name of schema.required ?? []) {
    if (!listed.includes(name)) parts.push(`${code(prefix + name)} is set`);
  }
  return parts.length > 0
    ? parts.join(' and ')
    : `${subject(prefix)} matches ${code(json(schema))}`;
}

function requirementText(schema: SchemaNode, prefix: string): string {
  const verbs = { const: 'must be', enum: 'must be one of', other: 'must match' };
  const parts = propertyClauses(schema, prefix, verbs);
  for (const name of schema.required ?? []) parts.push(`${code(prefix + name)} is required`);
  // `not: { required: [...] }` is the usual way to forbid a key; anything else is shown as JSON.
  const forbidden = isPlainObject(schema.not) ? schema.not.required : undefined;
  const forbids = Array.isArray(forbidden) && Object.keys(schema.not ?? {}).length === 1;
  if (forbids) {
    for (const name of forbidden) parts.push(`${code(prefix + String(name))} must not be set`);
  }
  const handled = ['properties', 'required', ...(forbids ? ['not'] : [])];
  const rest = Object.fromEntries(Object.entries(schema).filter(([k]) => !handled.includes(k)));
  if (Object.keys(rest).length > 0 || parts.length === 0) {
    parts.push(`${subject(prefix)} must match ${code(json(rest))}`);
  }
  return parts.join(' and ');
}

/** What a rule at `prefix` constrains: the whole config, or the object at that key. */
function subject(prefix: string): string {
  return prefix === '' ? 'the config' : code(prefix.slice(0, -1));
}

function propertyClauses(
  schema: SchemaNode,
  prefix: string,
  verbs: { const: string; enum: string; other: string },
): string[] {
  return Object.entries(schema.properties ?? {}).map(([name, node]) => {
    const key = code(prefix + name);
    if (node.const !== undefined) return `${key} ${verbs.const} ${code(json(node.const))}`;
    if (node.enum !== undefined) return `${key} ${verbs.enum} ${values(node.enum)}`;
    return `${key} ${verbs.other} ${code(json(node))}`;
  });
}

function values(list: readonly unknown[]): string {
  return list.map((value) => code(json(value))).join(', ');
}

function titleText(title: string | undefined): string {
  if (title === undefined || title === '') return '';
  return `**${escapeText(title)}${/[.!?]$/.test(title) ? '' : '.'}**`;
}

function json(value: unknown): string {
  // JSON.stringify returns undefined for undefined, whatever its declared type says.
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

/**
 * Schema text as Markdown that reads as written: characters that would start a code span,
 * emphasis, a link or HTML are escaped; `_` inside a word (`max_bytes`) cannot, so stays as is.
 * A newline becomes `<br>`, since a table row must stay on one line.
 */
function escapeText(text: string): string {
  return text
    .replace(/[\\`*[\]<~]/g, '\\$&')
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_')
    .replace(/\r?\n/g, '<br>');
}

/** A code span that survives backticks in the value (CommonMark: a longer fence, padded). */
function code(value: string): string {
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}

/** A Markdown table padded as Prettier pads it (columns at least 3 wide, by display width). */
function table(rows: readonly Row[]): string {
  // GFM splits cells on `|` before parsing code spans, so every pipe is escaped, even in code.
  const cells = [HEADER, ...rows].map((r) => r.map((cell) => cell.replace(/\|/g, '\\|')));
  const widths = HEADER.map((_, i) => Math.max(3, ...cells.map((r) => displayWidth(r[i] ?? ''))));
  const pad = (cell: string, i: number): string =>
    cell + ' '.repeat((widths[i] ?? 0) - displayWidth(cell));
  const line = (r: readonly string[]): string => `| ${r.map(pad).join(' | ')} |`;
  const [header = [], ...body] = cells;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/**
 * Columns as wide as Prettier measures them: combining marks, joiners and control characters
 * take no room; East Asian wide characters and emoji two cells; everything else one. (Prettier
 * counts an emoji sequence as one emoji; here each emoji of it counts: a rare difference.)
 */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    if (/[\p{Mn}\p{Me}\p{Cc}\u200D]/u.test(char)) continue;
    width += WIDE.test(char) ? 2 : 1;
  }
  return width;
}

const WIDE =
  /[\p{Emoji_Presentation}\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]/u;
