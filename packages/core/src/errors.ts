/**
 * The closed set of error kinds. The runner decides what to do (retry, exit code) from the kind
 * alone, so connectors convert every vendor error into one of these at a single boundary.
 */
export type ErrorCode = 'config' | 'auth' | 'connection' | 'transient' | 'record' | 'internal';

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'config',
  'auth',
  'connection',
  'transient',
  'record',
  'internal',
]);

/**
 * Marks ferry errors across copies of this package: a plugin installed with its own copy of
 * `@ferry/core` throws errors of another `FerryError` class, which `instanceof` would take for bugs.
 * `Symbol.for` gives the same symbol in every copy.
 */
const FERRY_ERROR_BRAND: unique symbol = Symbol.for('ferry.error');

/** Options shared by every ferry error. */
export interface FerryErrorOptions {
  /** The underlying error, kept for logs and debugging (ES2022 `cause`). */
  readonly cause?: unknown;
}

/**
 * Base class of every error ferry and its connectors throw on purpose. Messages say what was
 * being done and on what ("listing s3://bucket/prefix"), and never contain a secret.
 */
export abstract class FerryError extends Error {
  abstract readonly code: ErrorCode;
  /** Whether repeating the same operation may succeed. */
  readonly retryable: boolean = false;
  /** The brand {@link isFerryError} recognises, whichever copy of this package made the error. */
  readonly [FERRY_ERROR_BRAND] = true;

  constructor(message: string, options: FerryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** One invalid field of a configuration. */
export interface ConfigIssue {
  /** JSON Pointer of the bad field, relative to the document (e.g. `/destination/config/path`). */
  readonly pointer: string;
  /** What is wrong, e.g. "must be integer", "unknown key", "is required". */
  readonly message: string;
}

/** Options of {@link ConfigError}. */
export interface ConfigErrorOptions extends FerryErrorOptions {
  /** The file the configuration came from, named in the message. */
  readonly file?: string;
}

/**
 * A configuration (transfer file, connector config, CLI argument) is invalid. Carries every
 * issue found, each with the JSON Pointer of its field; the message lists them all.
 */
export class ConfigError extends FerryError {
  readonly code = 'config';
  readonly issues: readonly ConfigIssue[];
  readonly file: string | undefined;

  constructor(issues: ConfigIssue | readonly ConfigIssue[], options: ConfigErrorOptions = {}) {
    const list = Array.isArray(issues) ? issues : [issues as ConfigIssue];
    super(formatConfigIssues(list, options.file), options);
    this.issues = list;
    this.file = options.file;
  }

  /** The pointer of the first issue (the one most messages are about). */
  get pointer(): string {
    return this.issues[0]?.pointer ?? '';
  }

  /** The same issues, attributed to a file and with pointers moved under `prefix`. */
  withContext(context: { file?: string; prefix?: string }): ConfigError {
    const prefix = context.prefix ?? '';
    const issues = this.issues.map((i) => ({ pointer: prefix + i.pointer, message: i.message }));
    const file = context.file ?? this.file;
    return new ConfigError(issues, file === undefined ? { cause: this } : { file, cause: this });
  }
}

function formatConfigIssues(issues: readonly ConfigIssue[], file: string | undefined): string {
  const where = file === undefined ? 'invalid configuration' : `invalid configuration in ${file}`;
  const lines = issues.map((i) => (i.pointer === '' ? i.message : `${i.pointer}: ${i.message}`));
  return lines.length === 1 ? `${where}: ${lines[0] ?? ''}` : `${where}:\n  ${lines.join('\n  ')}`;
}

/** Credentials are missing, wrong or lack a permission (the message names which). */
export class AuthError extends FerryError {
  readonly code = 'auth';
}

/** A system cannot be reached, or a resource it should have does not exist (bucket, path). */
export class ConnectionError extends FerryError {
  readonly code = 'connection';
}

/** Options of {@link TransientError}. */
export interface TransientErrorOptions extends FerryErrorOptions {
  /** How long the remote side asked us to wait before trying again. */
  readonly retryAfterMs?: number;
}

/** A failure that may pass if the operation is repeated (throttling, 5xx, reset connection). */
export class TransientError extends FerryError {
  readonly code = 'transient';
  override readonly retryable = true;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: TransientErrorOptions = {}) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Where a bad record was found. Every part is optional; give what is known. */
export interface RecordPosition {
  readonly stream?: string;
  /** Object key or file path the record came from or was going to. */
  readonly key?: string;
  /** Zero-based row index within the batch or file. */
  readonly row?: number;
  /** One-based line number in a text file. */
  readonly line?: number;
  /** Dotted path of the offending field (`properties.client.url`). */
  readonly field?: string;
}

/** Options of {@link RecordError}. */
export interface RecordErrorOptions extends FerryErrorOptions {
  readonly position?: RecordPosition;
}

/** A record (row, line, file part) cannot be read or written as it is. */
export class RecordError extends FerryError {
  readonly code = 'record';
  readonly position: RecordPosition;
  /** The message without the position. */
  readonly reason: string;

  constructor(reason: string, options: RecordErrorOptions = {}) {
    super(withPosition(reason, options.position ?? {}), options);
    this.reason = reason;
    this.position = options.position ?? {};
  }

  /** The same error with more of its position known (e.g. the stream and file added by a caller). */
  at(position: RecordPosition): RecordError {
    return new RecordError(this.reason, {
      position: { ...position, ...this.position },
      cause: this,
    });
  }
}

function withPosition(message: string, p: RecordPosition): string {
  const parts: string[] = [];
  if (p.stream !== undefined) parts.push(`stream ${p.stream}`);
  if (p.key !== undefined) parts.push(p.key);
  if (p.line !== undefined) parts.push(`line ${p.line}`);
  if (p.row !== undefined) parts.push(`row ${p.row}`);
  if (p.field !== undefined) parts.push(`field ${p.field}`);
  return parts.length === 0 ? message : `${message} (${parts.join(', ')})`;
}

/** A bug or broken invariant inside ferry or a connector. */
export class InternalError extends FerryError {
  readonly code = 'internal';
}

/**
 * True when `error` is one of ferry's errors: an instance of {@link FerryError}, or an error made
 * by another copy of this package (a plugin's own `@ferry/core`), recognised by its brand and a
 * known `code`.
 */
export function isFerryError(error: unknown): error is FerryError {
  if (error instanceof FerryError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const branded = error as Partial<Record<typeof FERRY_ERROR_BRAND | 'code' | 'message', unknown>>;
  return (
    branded[FERRY_ERROR_BRAND] === true &&
    typeof branded.code === 'string' &&
    ERROR_CODES.has(branded.code) &&
    typeof branded.message === 'string'
  );
}

/**
 * Returns `error` if it is a ferry error, else wraps it in an {@link InternalError} whose message
 * says what was being done (`doing`), keeping the original as `cause`.
 */
export function toFerryError(error: unknown, doing: string): FerryError {
  if (isFerryError(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new InternalError(`${doing}: ${detail}`, { cause: error });
}
