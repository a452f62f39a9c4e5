import {
  ConfigError,
  RecordError,
  type Catalog,
  type CatalogStream,
  type ConfigIssue,
  type ConfiguredStream,
  type DestinationCapabilities,
  type SyncMode,
  type WriteMode,
} from '@ferry/core';
import type { StreamSelection, TenantFilter, Transfer } from './transfer.js';

/** What {@link configureStreams} combines. */
export interface StreamPlanInput {
  readonly catalog: Catalog;
  readonly selections: readonly StreamSelection[] | undefined;
  readonly destination: DestinationCapabilities;
  readonly tenant: TenantFilter | undefined;
}

/** The stream as the destination sees it: without the tenant column when it is dropped. */
export function destinationStream(
  stream: ConfiguredStream,
  tenant: TenantFilter | undefined,
): ConfiguredStream {
  if (tenant?.drop !== true) return stream;
  return { ...stream, fields: stream.fields.filter((f) => f.name !== tenant.column) };
}

/**
 * The streams a transfer will move, from the source's catalog.
 * @throws ConfigError for bad selections; RecordError with the source's reason when a stream to
 *   move is one the source cannot offer now (named, or every stream when `streams` is omitted).
 */
export function planStreams(transfer: Transfer, catalog: Catalog): ConfiguredStream[] {
  refuseUnavailable(transfer.streams, catalog);
  try {
    return configureStreams({
      catalog,
      selections: transfer.streams,
      destination: transfer.destination.capabilities,
      tenant: transfer.tenant,
    });
  } catch (error) {
    throw error instanceof ConfigError ? error.withContext({ file: transfer.file }) : error;
  }
}

/**
 * Fails for a stream the transfer would move that the source reported unavailable (a corrupt
 * file, a type clash): the run stops before anything moves rather than skip a table silently.
 * Streams the transfer does not name are no concern of it.
 */
export function refuseUnavailable(
  selections: readonly StreamSelection[] | undefined,
  catalog: Catalog,
): void {
  const named = selections?.map((s) => s.name);
  const blocking = (catalog.unavailable ?? []).filter((u) => named?.includes(u.name) ?? true);
  const [first] = blocking;
  if (first === undefined) return;
  const others = blocking.length > 1 ? ` (and ${blocking.length - 1} more unavailable)` : '';
  const hint =
    named === undefined
      ? `; list the streams to move in "streams" to leave it out`
      : `; fix it or leave it out of "streams"`;
  throw new RecordError(`stream "${first.name}" cannot be read: ${first.problem}${others}${hint}`);
}

/**
 * Turns the source's catalog and the transfer's `streams` into the streams to run: every
 * catalog stream with its defaults when `streams` is omitted. With a tenant filter, every stream
 * must have the tenant column: a stream without it would be exported unfiltered, so it is refused.
 * @throws ConfigError naming each bad entry by JSON Pointer (`/streams/1/sync_mode`).
 */
export function configureStreams(input: StreamPlanInput): ConfiguredStream[] {
  const issues: ConfigIssue[] = [];
  const byName = new Map(input.catalog.streams.map((s) => [s.name, s]));
  const selections = input.selections ?? input.catalog.streams.map((s) => ({ name: s.name }));
  const seen = new Set<string>();
  const configured: ConfiguredStream[] = [];
  selections.forEach((selection, index) => {
    const at = `/streams/${index}`;
    const stream = byName.get(selection.name);
    if (stream === undefined) {
      const known = [...byName.keys()].join(', ');
      const message = `the source has no stream "${selection.name}" (it has: ${known})`;
      issues.push({ pointer: `${at}/name`, message });
    } else if (seen.has(selection.name)) {
      issues.push({ pointer: `${at}/name`, message: `stream "${selection.name}" is listed twice` });
    } else {
      const found = checkStream({ stream, selection, at, input });
      issues.push(...found.issues);
      if (found.issues.length === 0) configured.push(found.stream);
    }
    seen.add(selection.name);
  });
  if (issues.length > 0) throw new ConfigError(issues);
  return configured;
}

interface StreamCheck {
  readonly stream: CatalogStream;
  readonly selection: StreamSelection;
  /** JSON Pointer of the selection in the transfer file. */
  readonly at: string;
  readonly input: StreamPlanInput;
}

function checkStream(check: StreamCheck): { stream: ConfiguredStream; issues: ConfigIssue[] } {
  const { stream, selection } = check;
  const syncMode = selection.sync_mode ?? stream.defaultSyncMode;
  const writeMode = selection.write_mode ?? stream.defaultWriteMode;
  const cursorField = selection.cursor_field ?? stream.cursorField;
  const issues = [
    ...modeIssues(check, syncMode, writeMode),
    ...(syncMode === 'incremental' && stream.syncModes.includes(syncMode)
      ? cursorIssues(check)
      : []),
    ...tenantIssues(check),
  ];
  const configured: ConfiguredStream = {
    name: stream.name,
    fields: stream.fields,
    syncMode,
    writeMode,
    ...(stream.primaryKey === undefined ? {} : { primaryKey: stream.primaryKey }),
    ...(cursorField === undefined || syncMode !== 'incremental' ? {} : { cursorField }),
  };
  return { stream: configured, issues };
}

function modeIssues(
  { stream, at, input }: StreamCheck,
  sync: SyncMode,
  write: WriteMode,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (!stream.syncModes.includes(sync)) {
    const message = `stream "${stream.name}" supports ${stream.syncModes.join(', ')} only`;
    issues.push({ pointer: `${at}/sync_mode`, message });
  }
  if (!input.destination.writeModes.includes(write)) {
    const message = `the destination supports ${input.destination.writeModes.join(', ')} only`;
    issues.push({ pointer: `${at}/write_mode`, message });
  } else if (sync === 'incremental' && write === 'replace' && stream.syncModes.includes(sync)) {
    // Each run reads only what is new: replacing would keep only the latest increment.
    const message = `an incremental stream cannot use "replace": each run would delete the rows of the runs before; use "append"`;
    issues.push({ pointer: `${at}/write_mode`, message });
  }
  return issues;
}

function cursorIssues({ stream, selection, at }: StreamCheck): ConfigIssue[] {
  const pointer = `${at}/cursor_field`;
  const chosen = selection.cursor_field;
  if (stream.incrementalState === 'source') {
    const message = `stream "${stream.name}" is read incrementally by what the source keeps track of itself (such as the files it has read); it takes no cursor_field`;
    return chosen === undefined ? [] : [{ pointer, message }];
  }
  if (chosen !== undefined && stream.cursorField !== undefined && chosen !== stream.cursorField) {
    return [
      {
        pointer,
        message: `stream "${stream.name}" follows the cursor "${stream.cursorField}", set by the source`,
      },
    ];
  }
  const cursor = chosen ?? stream.cursorField;
  if (cursor === undefined) {
    return [
      { pointer, message: `stream "${stream.name}" needs a cursor_field for incremental sync` },
    ];
  }
  if (!stream.fields.some((f) => f.name === cursor)) {
    return [{ pointer, message: `stream "${stream.name}" has no field "${cursor}"` }];
  }
  return [];
}

function tenantIssues({ stream, input }: StreamCheck): ConfigIssue[] {
  const tenant = input.tenant;
  if (tenant === undefined || stream.fields.some((f) => f.name === tenant.column)) return [];
  return [
    {
      pointer: '/tenant/column',
      message: `stream "${stream.name}" has no column "${tenant.column}", so it cannot be filtered by tenant; leave it out of "streams"`,
    },
  ];
}
