import type { Catalog, ConfiguredStream, SyncMode, WriteMode } from './catalog.js';
import type { ConfigSchema } from './config-schema.js';
import type { JsonValue } from './json.js';
import type { Logger } from './logger.js';
import type { DataMessage, DestinationMessage, SourceMessage, StreamState } from './messages.js';

/** Version of the connector contract in this package; plugins declare the one they were built for. */
export const CONTRACT_VERSION = 1;

/** What every connector method receives besides its config. */
export interface Context {
  /** Bound to the connector (and stream and run where known). */
  readonly logger: Logger;
  /**
   * Aborted when the run is cancelled (SIGINT, another stream failed). Long work stops promptly
   * with `signal.throwIfAborted()`: the runner always aborts with a ferry error as the reason, so
   * what that throws is a ferry error.
   */
  readonly signal: AbortSignal;
}

/**
 * One statement of an AWS IAM policy, as `ferry policy` prints it
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html).
 */
export interface IamStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, JsonValue>>>>;
}

/** The result of `check`: expected failures (bad credentials, missing bucket) are not thrown. */
export type CheckResult =
  | { readonly ok: true; readonly details?: readonly string[] }
  | { readonly ok: false; readonly error: string };

/** Identity of one run of a transfer, shared by every stream of the run. */
export interface RunInfo {
  readonly runId: string;
  /** Unique per run; appears in file names. Lowercase letters and digits only. */
  readonly batchId: string;
  /** The transfer's start time; file names and date partitions derive from it. */
  readonly startedAt: Date;
  readonly workerId: string;
}

/** What the source is asked to read. */
export interface ReadRequest {
  readonly streams: readonly ConfiguredStream[];
  /** Last saved state per stream name (absent: start from the beginning). */
  readonly state: Readonly<Record<string, StreamState | undefined>>;
}

/**
 * A run of the same transfer that ended without finishing (crash, kill, failure). The
 * destination must remove what that run wrote beyond its last acknowledged commit of each stream
 * before writing, so that re-reading from the saved state duplicates nothing.
 */
export interface RecoveryInfo {
  readonly run: RunInfo;
  /** Per stream: the `commit` of its last ack that the runner saved (absent: none was saved). */
  readonly commits: Readonly<Record<string, JsonValue | undefined>>;
}

/** What the destination is asked to write. */
export interface WriteRequest {
  readonly streams: readonly ConfiguredStream[];
  readonly run: RunInfo;
  /** Earlier runs that did not finish, oldest first; cleaned up before anything is written. */
  readonly recovery?: readonly RecoveryInfo[];
  /** The source's batches and checkpoints (after the runner's filters), pulled at the destination's pace. */
  readonly messages: AsyncIterable<DataMessage>;
}

/** Capabilities of a source, as data (the runner and the test kit read them). */
export interface SourceCapabilities {
  readonly syncModes: readonly SyncMode[];
}

/** Capabilities of a destination, as data. */
export interface DestinationCapabilities {
  readonly writeModes: readonly WriteMode[];
  /** File formats it can write (`parquet`, `jsonl`), empty for non-file destinations. */
  readonly formats: readonly string[];
  /** Key layouts it can write (`pontoon`, ...), empty for non-file destinations. */
  readonly layouts: readonly string[];
}

/** What sources and destinations share. `C` is the validated config type. */
interface ConnectorBase {
  /** Lowercase id used in transfer files (`"type": "s3"`). */
  readonly type: string;
  readonly title: string;
  /** One sentence for `ferry connectors`. */
  readonly summary: string;
  /** JSON Schema of the config: the single source of its validation, defaults and docs. */
  readonly configSchema: ConfigSchema;
}

/**
 * A source plugin. `config` is always validated against `configSchema` (defaults applied) before
 * any method is called.
 */
export interface Source<C = unknown> extends ConnectorBase {
  readonly kind: 'source';
  readonly capabilities: SourceCapabilities;
  /**
   * Checks what the schema cannot express (a date that exists, a relation between two keys),
   * without I/O; runs right after schema validation, so `ferry validate` catches it too.
   * @throws ConfigError with pointers into the config (`/start_date`).
   */
  validate?(config: C): void;
  /**
   * The least AWS IAM permissions this config needs (connectors on AWS only), for
   * `ferry policy`: scoped to the bucket, prefix and key the config names. No I/O.
   */
  iamPolicy?(config: C): readonly IamStatement[];
  /** Tests the connection; returns `{ok:false}` for expected failures instead of throwing. */
  check(ctx: Context, config: C): Promise<CheckResult>;
  /** Lists the streams the source offers. Same input, same catalog. */
  discover(ctx: Context, config: C): Promise<Catalog>;
  /**
   * Reads the requested streams as batches and checkpoints. Throws ferry errors only; stops and
   * throws when `ctx.signal` is aborted.
   */
  read(ctx: Context, config: C, request: ReadRequest): AsyncIterable<SourceMessage>;
}

/** A destination plugin. */
export interface Destination<C = unknown> extends ConnectorBase {
  readonly kind: 'destination';
  readonly capabilities: DestinationCapabilities;
  /** As {@link Source.validate}. */
  validate?(config: C): void;
  /** As {@link Source.iamPolicy}. */
  iamPolicy?(config: C): readonly IamStatement[];
  /** Tests the connection and the write path; `{ok:false}` for expected failures. */
  check(ctx: Context, config: C): Promise<CheckResult>;
  /**
   * Writes `request.messages` and yields an ack for a checkpoint only once every row before it is durable.
   * Destinations that write files (non-empty `capabilities.formats`) also yield one `file` message
   * per committed file; the runner checks that their rows add up to the rows it sent. After the
   * last message, commits everything and yields a final ack per stream. On error or abort, removes what it wrote since its last ack
   * (best effort) and throws a ferry error.
   */
  write(ctx: Context, config: C, request: WriteRequest): AsyncIterable<DestinationMessage>;
}

/** Declares a source; an identity function that gives type inference for `config`. */
export function defineSource<C>(source: Omit<Source<C>, 'kind'>): Source<C> {
  return { ...source, kind: 'source' };
}

/** Declares a destination; an identity function that gives type inference for `config`. */
export function defineDestination<C>(destination: Omit<Destination<C>, 'kind'>): Destination<C> {
  return { ...destination, kind: 'destination' };
}
