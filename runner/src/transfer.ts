import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import {
  collectSecrets,
  ConfigError,
  interpolateEnv,
  isFerryError,
  isPlainObject,
  Redactor,
  validateConfig,
  type ConfigIssue,
  type Destination,
  type Source,
  type SyncMode,
  type WriteMode,
} from '@ferry/core';
import type { Registry } from './registry.js';
import { transferSchema } from './transfer-schema.js';

/** One entry of a transfer's `streams`. */
export interface StreamSelection {
  readonly name: string;
  readonly sync_mode?: SyncMode;
  readonly cursor_field?: string;
  readonly write_mode?: WriteMode;
}

/** A transfer's `tenant` filter. */
export interface TenantFilter {
  readonly column: string;
  readonly value: string | number;
  readonly drop: boolean;
}

/** The transfer file as written, after validation and defaults. */
interface TransferDocument {
  readonly name: string;
  readonly source: { readonly type: string; readonly config: Record<string, unknown> };
  readonly destination: { readonly type: string; readonly config: Record<string, unknown> };
  readonly streams?: readonly StreamSelection[];
  readonly tenant?: TenantFilter;
  readonly concurrency: number;
}

/** A loaded transfer: validated, with its connectors resolved and their configs validated. */
export interface Transfer {
  readonly file: string;
  readonly name: string;
  readonly source: Source;
  readonly sourceConfig: unknown;
  readonly destination: Destination;
  readonly destinationConfig: unknown;
  readonly streams: readonly StreamSelection[] | undefined;
  readonly tenant: TenantFilter | undefined;
  readonly concurrency: number;
  /** Knows every secret of both configs; everything printed or stored goes through it. */
  readonly redactor: Redactor;
}

/** Options of {@link loadTransfer}. */
export interface LoadOptions {
  readonly registry: Registry;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Receives the secrets as soon as they are known, even if validation then fails. */
  readonly redactor?: Redactor;
  /** What an unset `${env:NAME}` means (see `interpolateEnv`); default: a config error. */
  readonly onUnsetVariable?: (name: string, pointer: string) => string | undefined;
}

/**
 * Reads and validates a transfer file: JSON syntax, `${env:NAME}` references, the transfer schema,
 * the connector types and both connector configs. A type that is not built-in is looked up among
 * the connector packages installed in the registry's own places, then where the transfer file is:
 * reading node_modules and importing the packages it names is the only other I/O.
 * @throws ConfigError naming the file and the JSON Pointer of every bad field.
 */
export async function loadTransfer(file: string, options: LoadOptions): Promise<Transfer> {
  const redactor = options.redactor ?? new Redactor();
  const raw = await readDocument(file);
  const env = options.env ?? process.env;
  const onUnset = options.onUnsetVariable;
  const document = interpolateEnv(
    raw,
    onUnset === undefined ? { env, file } : { env, file, onUnset },
  );
  const found = await findConnectors({ document, registry: options.registry, file });
  registerSecrets(document, found, redactor);
  const issues: ConfigIssue[] = [];
  const transfer = collect(issues, () =>
    validateConfig<TransferDocument>(transferSchema, document),
  );
  // Connector configs are checked even when the rest is wrong, so one run names every bad field.
  const source = configure(issues, { document, role: 'source', found: found.source });
  const destination = configure(issues, {
    document,
    role: 'destination',
    found: found.destination,
  });
  if (
    issues.length > 0 ||
    transfer === undefined ||
    source === undefined ||
    destination === undefined
  ) {
    // The first lookup failure keeps its cause (a plugin's import error) for debugging.
    throw new ConfigError(issues, { file, cause: found.source.error ?? found.destination.error });
  }
  return {
    file,
    name: transfer.name,
    source: source.connector,
    sourceConfig: source.config,
    destination: destination.connector,
    destinationConfig: destination.config,
    streams: transfer.streams,
    tenant: transfer.tenant,
    concurrency: transfer.concurrency,
    redactor,
  };
}

async function readDocument(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new ConfigError(
      { pointer: '', message: `cannot read the transfer file: ${reason}` },
      { file, cause: error },
    );
  }
  // Editors on Windows may save a byte order mark, which JSON.parse rejects.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = `not valid JSON: ${jsonErrorText(text)}`;
    throw new ConfigError({ pointer: '', message }, { file, cause: error });
  }
}

/**
 * Where and why `text` is not JSON, without quoting it (it may hold secrets, and they are not
 * known before the file parses): "line 3, column 18: property name expected".
 */
function jsonErrorText(text: string): string {
  const errors: ParseError[] = [];
  parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const first = errors[0];
  if (first === undefined) return 'not valid JSON';
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  // 'PropertyNameExpected' -> 'property name expected'
  const reason = printParseErrorCode(first.error)
    .replace(/(?<!^)([A-Z])/g, ' $1')
    .toLowerCase();
  return `line ${line}, column ${column}: ${reason}`;
}

type Role = 'source' | 'destination';

interface Lookup {
  readonly document: unknown;
  readonly role: Role;
  readonly registry: Registry;
  readonly searchFrom: readonly string[];
}

/** What `/<role>/type` names: the connector, or why there is none (absent when no type). */
interface Found<T> {
  readonly connector?: T;
  readonly error?: ConfigError;
}

interface Connectors {
  readonly source: Found<Source>;
  readonly destination: Found<Destination>;
}

/** Both connectors, looked up from the registry's places, then the transfer file's directory. */
async function findConnectors(request: {
  readonly document: unknown;
  readonly registry: Registry;
  readonly file: string;
}): Promise<Connectors> {
  const { document, registry, file } = request;
  const lookup = { document, registry, searchFrom: [dirname(resolve(file))] };
  return {
    source: await findConnector({ ...lookup, role: 'source' }),
    destination: await findConnector({ ...lookup, role: 'destination' }),
  };
}

/** Resolves the connector named at `/<role>/type`, if the document names one. */
async function findConnector(lookup: Lookup & { role: 'source' }): Promise<Found<Source>>;
async function findConnector(lookup: Lookup & { role: 'destination' }): Promise<Found<Destination>>;
async function findConnector(lookup: Lookup): Promise<Found<Source | Destination>> {
  const { document, role, registry, searchFrom } = lookup;
  const entry = isPlainObject(document) ? document[role] : undefined;
  if (!isPlainObject(entry) || typeof entry.type !== 'string') return {};
  try {
    const options = { searchFrom };
    return {
      connector: await (role === 'source'
        ? registry.source(entry.type, options)
        : registry.destination(entry.type, options)),
    };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { error };
  }
}

interface Configured<T> {
  readonly connector: T;
  readonly config: unknown;
}

interface ConfigureRef<T> {
  readonly document: unknown;
  readonly role: Role;
  readonly found: Found<T>;
}

/** The connector and its validated config, or `undefined` with the issues added to `issues`. */
function configure<T extends Source | Destination>(
  issues: ConfigIssue[],
  ref: ConfigureRef<T>,
): Configured<T> | undefined {
  const { document, role, found } = ref;
  if (found.error !== undefined) issues.push(...found.error.issues);
  const connector = found.connector;
  const entry = isPlainObject(document) ? document[role] : undefined;
  if (connector === undefined || !isPlainObject(entry)) return undefined;
  if (entry.config !== undefined && !isPlainObject(entry.config)) return undefined;
  const prefix = `/${role}/config`;
  const config = collect(issues, () => {
    const valid = validateConfig(connector.configSchema, entry.config ?? {}, { prefix });
    try {
      connector.validate?.(valid);
    } catch (error) {
      const own = ownConfigError(error);
      throw own === undefined ? error : own.withContext({ prefix });
    }
    return valid;
  });
  return config === undefined ? undefined : { connector, config };
}

/**
 * `error` as this runner's ConfigError: a plugin with its own copy of @ferry/core throws config
 * errors of another class, recognised by their brand. `undefined` for any other error.
 */
function ownConfigError(error: unknown): ConfigError | undefined {
  if (error instanceof ConfigError) return error;
  if (!isFerryError(error) || error.code !== 'config') return undefined;
  const issues: unknown = (error as { issues?: unknown }).issues;
  const valid =
    Array.isArray(issues) &&
    issues.every(
      (i) => isPlainObject(i) && typeof i.pointer === 'string' && typeof i.message === 'string',
    );
  return new ConfigError(
    valid ? (issues as ConfigIssue[]) : { pointer: '', message: error.message },
    {
      cause: error,
    },
  );
}

/** Runs `step`; a ConfigError's issues are added to `issues` and `undefined` returned. */
function collect<T>(issues: ConfigIssue[], step: () => T): T | undefined {
  try {
    return step();
  } catch (error) {
    const own = ownConfigError(error);
    if (own === undefined) throw error;
    issues.push(...own.issues);
    return undefined;
  }
}

/** Secrets are known from the schema even when the rest of the config is invalid. */
function registerSecrets(document: unknown, found: Connectors, redactor: Redactor): void {
  if (!isPlainObject(document)) return;
  for (const role of ['source', 'destination'] as const) {
    const ref = document[role];
    const connector = found[role].connector;
    if (!isPlainObject(ref) || connector === undefined) continue;
    redactor.add(collectSecrets(connector.configSchema, ref.config));
  }
}
