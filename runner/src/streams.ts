import {
  ConfigError,
  type Catalog,
  type CatalogStream,
  type ConfigIssue,
  type ConfiguredStream,
  type DestinationCapabilities,
} from '@ferry/core';
import type { StreamSelection, TenantFilter } from './transfer.js';

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
      issues.push({
        pointer: `${at}/name`,
        message: `the source has no stream "${selection.name}" (it has: ${known})`,
      });
    } else if (seen.has(selection.name)) {
      issues.push({ pointer: `${at}/name`, message: `stream "${selection.name}" is listed twice` });
    } else {
      const result = configureOne({ stream, selection, at, issues, input });
      if (result !== undefined) configured.push(result);
    }
    seen.add(selection.name);
  });
  if (issues.length > 0) throw new ConfigError(issues);
  return configured;
}

interface OneStream {
  readonly stream: CatalogStream;
  readonly selection: StreamSelection;
  readonly at: string;
  readonly issues: ConfigIssue[];
  readonly input: StreamPlanInput;
}

function configureOne({
  stream,
  selection,
  at,
  issues,
  input,
}: OneStream): ConfiguredStream | undefined {
  const before = issues.length;
  const syncMode = selection.sync_mode ?? stream.defaultSyncMode;
  const syncSupported = stream.syncModes.includes(syncMode);
  if (!syncSupported) {
    issues.push({
      pointer: `${at}/sync_mode`,
      message: `stream "${stream.name}" supports ${stream.syncModes.join(', ')} only`,
    });
  }
  const writeMode = selection.write_mode ?? stream.defaultWriteMode;
  if (!input.destination.writeModes.includes(writeMode)) {
    issues.push({
      pointer: `${at}/write_mode`,
      message: `the destination supports ${input.destination.writeModes.join(', ')} only`,
    });
  }
  const cursorField = selection.cursor_field ?? stream.cursorField;
  if (syncMode === 'incremental' && syncSupported) {
    if (cursorField === undefined) {
      issues.push({
        pointer: `${at}/cursor_field`,
        message: `stream "${stream.name}" needs a cursor_field for incremental sync`,
      });
    } else if (!stream.fields.some((f) => f.name === cursorField)) {
      issues.push({
        pointer: `${at}/cursor_field`,
        message: `stream "${stream.name}" has no field "${cursorField}"`,
      });
    }
  }
  const tenant = input.tenant;
  if (tenant !== undefined && !stream.fields.some((f) => f.name === tenant.column)) {
    issues.push({
      pointer: '/tenant/column',
      message: `stream "${stream.name}" has no column "${tenant.column}", so it cannot be filtered by tenant; leave it out of "streams"`,
    });
  }
  if (issues.length > before) return undefined;
  return {
    name: stream.name,
    fields: stream.fields,
    syncMode,
    writeMode,
    ...(stream.primaryKey === undefined ? {} : { primaryKey: stream.primaryKey }),
    ...(cursorField === undefined || syncMode !== 'incremental' ? {} : { cursorField }),
  };
}
