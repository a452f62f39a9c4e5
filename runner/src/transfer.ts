import { readFile } from 'node:fs/promises';
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import {
  collectSecrets,
  ConfigError,
  interpolateEnv,
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
}

/**
 * Reads and validates a transfer file: JSON syntax, `${env:NAME}` references, the transfer schema,
 * the connector types and both connector configs. Does no other I/O.
 * @throws ConfigError naming the file and the JSON Pointer of every bad field.
 */
export async function loadTransfer(file: string, options: LoadOptions): Promise<Transfer> {
  const redactor = options.redactor ?? new Redactor();
  const raw = await readDocument(file);
  const env = options.env ?? process.env;
  const document = interpolateEnv(raw, { env, file });
  registerSecrets(document, options.registry, redactor);
  const issues: ConfigIssue[] = [];
  const transfer = collect(issues, () =>
    validateConfig<TransferDocument>(transferSchema, document),
  );
  // Connector configs are checked even when the rest is wrong, so one run names every bad field.
  const source = resolve(issues, { document, role: 'source', registry: options.registry });
  const destination = resolve(issues, {
    document,
    role: 'destination',
    registry: options.registry,
  });
  if (
    issues.length > 0 ||
    transfer === undefined ||
    source === undefined ||
    destination === undefined
  ) {
    throw new ConfigError(issues, { file });
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

interface ConnectorRef {
  readonly document: unknown;
  readonly role: 'source' | 'destination';
  readonly registry: Registry;
}

interface Resolved<T> {
  readonly connector: T;
  readonly config: unknown;
}

/** The connector named at `/<role>/type` and its validated config, or `undefined` with issues. */
function resolve(
  issues: ConfigIssue[],
  ref: ConnectorRef & { role: 'source' },
): Resolved<Source> | undefined;
function resolve(
  issues: ConfigIssue[],
  ref: ConnectorRef & { role: 'destination' },
): Resolved<Destination> | undefined;
function resolve(
  issues: ConfigIssue[],
  ref: ConnectorRef,
): Resolved<Source | Destination> | undefined {
  const { document, role, registry } = ref;
  const entry = isPlainObject(document) ? document[role] : undefined;
  if (!isPlainObject(entry) || typeof entry.type !== 'string') return undefined;
  const type = entry.type;
  const connector = collect(issues, () =>
    role === 'source' ? registry.source(type) : registry.destination(type),
  );
  if (connector === undefined || (entry.config !== undefined && !isPlainObject(entry.config)))
    return undefined;
  const prefix = `/${role}/config`;
  const config = collect(issues, () => {
    const valid = validateConfig(connector.configSchema, entry.config ?? {}, { prefix });
    try {
      connector.validate?.(valid);
    } catch (error) {
      throw error instanceof ConfigError ? error.withContext({ prefix }) : error;
    }
    return valid;
  });
  return config === undefined ? undefined : { connector, config };
}

/** Runs `step`; a ConfigError's issues are added to `issues` and `undefined` returned. */
function collect<T>(issues: ConfigIssue[], step: () => T): T | undefined {
  try {
    return step();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
    return undefined;
  }
}

/** Secrets are known from the schema even when the rest of the config is invalid. */
function registerSecrets(document: unknown, registry: Registry, redactor: Redactor): void {
  if (!isPlainObject(document)) return;
  for (const role of ['source', 'destination'] as const) {
    const ref = document[role];
    if (!isPlainObject(ref) || typeof ref.type !== 'string') continue;
    const connector = registry.get(ref.type)?.[role];
    if (connector !== undefined) redactor.add(collectSecrets(connector.configSchema, ref.config));
  }
}
