import { createHash } from 'node:crypto';
import {
  RecordError,
  schemaSignature,
  type Field,
  type JsonValue,
  type RunInfo,
  type WriteMode,
} from '@ferry/core';
import type { ObjectStore } from '@ferry/storage';
import { utcStamp } from './layout.js';
import type { LakeFormat, LayoutName } from './options.js';

/** A data file once committed. */
export interface CommittedFile {
  readonly key: string;
  readonly rows: number;
  readonly bytes: number;
}

/**
 * The record of one run's writes to one stream, stored beside the data under `_ferry/` (which
 * readers of `<stream>/**` never see). Rewritten at each commit: it lists exactly the committed
 * files, the state they bring the stream to, and the schema they were written with.
 */
export interface Manifest {
  readonly format_version: 1;
  readonly stream: string;
  readonly run_id: string;
  readonly batch_id: string;
  readonly started_at: string;
  readonly layout: LayoutName;
  readonly format: LakeFormat;
  readonly write_mode: WriteMode;
  /** `writing` while the run goes on, `complete` after its last commit, `rolled_back` after recovery. */
  readonly status: 'writing' | 'complete' | 'rolled_back';
  readonly schema: string;
  readonly schema_hash: string;
  readonly rows: number;
  readonly files: readonly CommittedFile[];
  /**
   * The source state acknowledged with the last commit, when there was one and its JSON is at
   * most {@link MANIFEST_STATE_BYTES} (a lake source's state lists every file it read).
   */
  readonly state?: JsonValue;
  /** The size of the state's JSON when it was too large to embed (the runner's state has it). */
  readonly state_bytes?: number;
  readonly updated_at: string;
}

/**
 * The largest state a manifest embeds, in bytes of JSON. Manifests are kept per run: a state that
 * grows with the files a source has read (20,000 files: about 1.3 MB) would add its whole size to
 * every run's manifest and to each rewrite of it.
 */
export const MANIFEST_STATE_BYTES = 64 * 1024;

/** Where the manifest of `run` for `stream` lives. */
export function manifestKey(stream: string, run: Pick<RunInfo, 'startedAt' | 'batchId'>): string {
  return `_ferry/manifests/${stream}/${utcStamp(run.startedAt)}_${run.batchId}.json`;
}

/** What a manifest is made from. */
export interface ManifestInput {
  readonly stream: string;
  readonly run: RunInfo;
  readonly layout: LayoutName;
  readonly format: LakeFormat;
  readonly writeMode: WriteMode;
  readonly fields: readonly Field[];
}

/** Builds the manifest of a run's stream at one commit. */
export function buildManifest(
  input: ManifestInput,
  files: readonly CommittedFile[],
  progress: { status: Manifest['status']; state?: JsonValue },
): Manifest {
  const schema = schemaSignature(input.fields);
  const manifest: Manifest = {
    format_version: 1,
    stream: input.stream,
    run_id: input.run.runId,
    batch_id: input.run.batchId,
    started_at: input.run.startedAt.toISOString(),
    layout: input.layout,
    format: input.format,
    write_mode: input.writeMode,
    status: progress.status,
    schema,
    schema_hash: createHash('sha256').update(schema).digest('hex'),
    rows: files.reduce((sum, f) => sum + f.rows, 0),
    files,
    updated_at: new Date().toISOString(),
  };
  if (progress.state === undefined) return manifest;
  const bytes = Buffer.byteLength(JSON.stringify(progress.state));
  return bytes <= MANIFEST_STATE_BYTES
    ? { ...manifest, state: progress.state }
    : { ...manifest, state_bytes: bytes };
}

/** Writes (or rewrites) a manifest. */
export async function writeManifest(store: ObjectStore, manifest: Manifest): Promise<void> {
  const run = { startedAt: new Date(manifest.started_at), batchId: manifest.batch_id };
  const key = manifestKey(manifest.stream, run);
  const body = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
  await store.put(key, body, { contentType: 'application/json' });
}

/**
 * Reads a manifest, or `undefined` when there is none.
 * @throws RecordError naming the object when it is not a manifest.
 */
export async function readManifest(store: ObjectStore, key: string): Promise<Manifest | undefined> {
  if (!(await exists(store, key))) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of await store.get(key)) chunks.push(chunk as Buffer);
  const where = { position: { key: store.describe(key) } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new RecordError('reading a manifest: not valid JSON', { ...where, cause: error });
  }
  const manifest = parsed as Partial<Manifest> | null;
  if (manifest?.format_version !== 1 || !Array.isArray(manifest.files)) {
    throw new RecordError('reading a manifest: not a ferry manifest (format_version 1)', where);
  }
  return manifest as Manifest;
}

/**
 * Whether `key` exists, by listing it: S3 answers a HEAD of a missing key with 403 rather than 404
 * when the caller's `s3:ListBucket` does not cover it, and the least policy (`ferry policy`)
 * limits ListBucket to the prefix, which a HEAD does not carry. A listing under the prefix is
 * allowed. The key itself sorts first among the keys it prefixes.
 */
async function exists(store: ObjectStore, key: string): Promise<boolean> {
  const page = await store.list({ prefix: key, limit: 1 });
  return page.objects[0]?.key === key;
}
