import type {
  Catalog,
  CatalogStream,
  ConfiguredStream,
  Row,
  Source,
  SourceCapabilities,
  StreamState,
} from '@ferry/core';
import { canonical, connectorCall, testContext } from './support.js';

/** A checkpoint of one stream and how many of the stream's rows came before it. */
export interface Checkpoint {
  readonly state: StreamState;
  readonly rowsBefore: number;
}

/** Everything one read gave for one stream. */
export interface StreamRead {
  readonly rows: Row[];
  readonly checkpoints: Checkpoint[];
  /** Messages of this stream (batches and checkpoints). */
  messages: number;
  /** Whether the stream's last message was a checkpoint. */
  endsWithCheckpoint: boolean;
}

/** What a read request names. */
export interface ReadInput {
  readonly source: Source;
  readonly config: unknown;
  readonly streams: readonly ConfiguredStream[];
  readonly state?: Readonly<Record<string, StreamState | undefined>>;
}

/**
 * Reads every message of `input` and groups them by stream.
 * @throws Error when a message names a stream that was not requested.
 */
export async function readAll(input: ReadInput): Promise<Map<string, StreamRead>> {
  const reads = new Map<string, StreamRead>();
  for (const s of input.streams) {
    reads.set(s.name, { rows: [], checkpoints: [], messages: 0, endsWithCheckpoint: false });
  }
  const request = { streams: input.streams, state: input.state ?? {} };
  const iterator = input.source.read(testContext(), input.config, request)[Symbol.asyncIterator]();
  // Only the source's own steps go through connectorCall: the kit's findings are not its errors.
  for (;;) {
    const next = await connectorCall('read', () => iterator.next());
    if (next.done === true) break;
    const message = next.value;
    const read = reads.get(message.stream);
    if (read === undefined) {
      await iterator.return?.().catch(() => undefined);
      throw new Error(`read emitted unrequested stream "${message.stream}"`);
    }
    if (message.type === 'skipped') {
      // Counted by the runner, never data: a count of at least one, with what was wrong.
      if (
        !(Number.isSafeInteger(message.records) && message.records > 0) ||
        message.example === ''
      ) {
        throw new Error(`read emitted a malformed skipped message ${JSON.stringify(message)}`);
      }
      continue;
    }
    read.messages += 1;
    read.endsWithCheckpoint = message.type === 'checkpoint';
    if (message.type === 'batch') read.rows.push(...message.rows);
    else read.checkpoints.push({ state: message.state, rowsBefore: read.rows.length });
  }
  return reads;
}

/** A catalog stream configured as a transfer would, incremental when it can be. */
export function configure(stream: CatalogStream, incremental: boolean): ConfiguredStream {
  const useIncremental = incremental && stream.syncModes.includes('incremental');
  return {
    name: stream.name,
    fields: stream.fields,
    ...(stream.primaryKey === undefined ? {} : { primaryKey: stream.primaryKey }),
    ...(useIncremental && stream.cursorField !== undefined
      ? { cursorField: stream.cursorField }
      : {}),
    syncMode: useIncremental ? 'incremental' : 'full_refresh',
    writeMode: useIncremental ? 'append' : stream.defaultWriteMode,
  };
}

/** What is wrong with a catalog (empty when nothing is). */
export function catalogProblems(catalog: Catalog, capabilities: SourceCapabilities): string[] {
  const problems: string[] = [];
  if (catalog.streams.length === 0) problems.push('the catalog has no streams');
  const names = new Set<string>();
  for (const s of catalog.streams) {
    if (names.has(s.name)) problems.push(`stream "${s.name}" appears twice`);
    names.add(s.name);
    problems.push(...streamProblems(s, capabilities).map((p) => `stream "${s.name}": ${p}`));
  }
  return problems;
}

function streamProblems(s: CatalogStream, capabilities: SourceCapabilities): string[] {
  const problems: string[] = [];
  const fields = new Set(s.fields.map((f) => f.name));
  if (!/^[a-z0-9_][a-z0-9_.-]*$/i.test(s.name)) problems.push('name is not a plain identifier');
  if (fields.size === 0) problems.push('has no fields');
  if (fields.size !== s.fields.length) problems.push('has two fields with the same name');
  for (const key of s.primaryKey ?? []) {
    if (!fields.has(key)) problems.push(`primary key "${key}" is not a field`);
  }
  if (s.cursorField !== undefined && !fields.has(s.cursorField)) {
    problems.push(`cursor "${s.cursorField}" is not a field`);
  }
  const keepsOwnState = s.incrementalState === 'source';
  if (keepsOwnState && s.cursorField !== undefined) {
    problems.push('keeps its own incremental state but also names a cursorField');
  }
  if (s.syncModes.includes('incremental') && s.cursorField === undefined && !keepsOwnState) {
    problems.push('supports incremental but has no cursorField');
  }
  for (const mode of s.syncModes) {
    if (!capabilities.syncModes.includes(mode))
      problems.push(`sync mode ${mode} is not a capability`);
  }
  if (!s.syncModes.includes(s.defaultSyncMode)) problems.push('defaultSyncMode is not a syncMode');
  if (s.defaultSyncMode === 'incremental' && s.defaultWriteMode !== 'append') {
    problems.push('an incremental default must append (replace would drop earlier rows)');
  }
  return problems;
}

/** Rows as sorted canonical text: a multiset comparison that shows which rows differ. */
export function rowTexts(rows: readonly Row[]): string[] {
  return rows.map(canonical).sort();
}
