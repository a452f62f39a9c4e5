import { truncate } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AuthError,
  ConnectionError,
  type DestinationMessage,
  type FileMessage,
  type DataMessage,
} from '@ferry/core';
import { queryDuckDB, sqlString } from '@ferry/testkit';
import {
  LocalStore,
  type ObjectBody,
  type ObjectInfo,
  type PutOptions,
  type PutResult,
} from '@ferry/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLakeDestination } from './destination.js';
import { readManifest } from './manifest.js';
import { lakeOptionProperties, type LakeOptions } from './options.js';
import {
  context,
  eventsStream,
  filesUnder,
  from,
  options,
  runInfo,
  tempLake,
  batch,
  checkpoint,
} from './test-support.js';

/** What happens to an object right after the store acknowledged its put. */
type Damage = 'lose' | 'truncate';

/**
 * A real LocalStore that damages chosen objects right after acknowledging their put: deletes
 * them, or cuts them to 100 bytes. It covers a gap no real store here fills on demand: a store
 * that does not keep what it acknowledged (a lifecycle rule, another writer, an S3-compatible
 * server that drops data). Every read (head, list, get) is the real store's; heads are counted.
 */
class DamagingStore extends LocalStore {
  readonly #damage: (key: string) => Damage | undefined;
  /** Keys passed to `head`, in order. */
  readonly heads: string[] = [];
  /** The size each put reported, by key. */
  readonly reported = new Map<string, number>();

  constructor(root: string, damage: (key: string) => Damage | undefined = () => undefined) {
    super(root);
    this.#damage = damage;
  }

  override async put(key: string, body: ObjectBody, options?: PutOptions): Promise<PutResult> {
    const result = await super.put(key, body, options);
    this.reported.set(key, result.size);
    const damage = this.#damage(key);
    if (damage === 'lose') await super.delete([key]);
    if (damage === 'truncate') await truncate(this.describe(key), 100);
    return result;
  }

  /** Refuse every HEAD with 403, as S3 does when ListBucket does not cover the key. */
  refuseHeads = false;

  override async head(key: string): Promise<ObjectInfo | undefined> {
    this.heads.push(key);
    if (this.refuseHeads) throw new AuthError(`reading metadata of ${this.describe(key)}: denied`);
    return super.head(key);
  }
}

function lakeOn(store: DamagingStore) {
  return createLakeDestination<LakeOptions & { path: string }>({
    type: 'damaging',
    title: 'Damaging lake',
    summary: 'A lake on a store that damages chosen objects after writing them.',
    configSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { path: { type: 'string' }, ...lakeOptionProperties },
    },
    openStore: () => store,
  });
}

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => (dir = await tempLake()));
afterEach(() => dir.cleanup());

const fileKey = (batchId: string, index: number): string =>
  `events/dt=2025-06-01/20250601120000_${batchId}_${index}.parquet`;
const manifestOf = (batchId: string): string =>
  `_ferry/manifests/events/20250601120000_${batchId}.json`;

/** Writes `messages` to a lake on `store`, keeping what it yields until it ends or fails. */
async function write(
  store: DamagingStore,
  batchId: string,
  messages: readonly DataMessage[],
): Promise<{ out: DestinationMessage[]; error: unknown }> {
  const config = options({ path: dir.path, max_rows_per_file: 100, flush_interval_s: 0 });
  const request = { streams: [eventsStream()], run: runInfo(batchId), messages: from(messages) };
  const out: DestinationMessage[] = [];
  try {
    for await (const message of lakeOn(store).write(context(), config, request)) out.push(message);
  } catch (error) {
    return { out, error };
  }
  return { out, error: undefined };
}

async function readIds(): Promise<bigint[]> {
  const glob = sqlString(join(dir.path, 'events/*/*.parquet'));
  const result = await queryDuckDB(`select id from read_parquet(${glob}) order by id`);
  return result.map((r) => r.id as bigint);
}

const range = (from: number, to: number): bigint[] =>
  Array.from({ length: to - from }, (_, i) => BigInt(from + i));

describe('verifying written objects', () => {
  it('checks each data file once, whatever the number of batches, and names it in full', async () => {
    const store = new DamagingStore(dir.path);
    // Files 0 | 1, 2, 3 | 4 by commit; 36 small batches, so a check per batch would show.
    const tens = (start: number, count: number) =>
      Array.from({ length: count / 10 }, (_, i) => batch(start + i * 10, 10));
    const { out, error } = await write(store, 'ok', [
      ...tens(0, 100),
      checkpoint(99),
      ...tens(100, 250),
      checkpoint(349),
      ...tens(350, 10),
    ]);
    expect(error).toBeUndefined();
    const keys = [0, 1, 2, 3, 4].map((i) => fileKey('ok', i));
    // One HEAD request per data file (S3 bills each request), none per row or batch.
    expect(store.heads.filter((k) => k.startsWith('events/')).sort()).toEqual(keys);
    const files = out.filter((m): m is FileMessage => m.type === 'file');
    expect(files.map((f) => f.location)).toEqual(keys.map((k) => join(dir.path, k)));
    expect(files.map((f) => f.bytes)).toEqual(keys.map((k) => store.reported.get(k)));
    expect(await readIds()).toEqual(range(0, 360));
  });

  it('fails when the store lost a file it acknowledged; acks and keeps only what came before', async () => {
    const store = new DamagingStore(dir.path, (key) =>
      key === fileKey('lost', 2) ? 'lose' : undefined,
    );
    // Files 0 | 1, 2, 3 by commit: the second commit has three files, of which 2 goes missing.
    const { out, error } = await write(store, 'lost', [
      batch(0, 100),
      checkpoint(99),
      batch(100, 300),
      checkpoint(399),
    ]);
    expect(error).toBeInstanceOf(ConnectionError);
    const expected = store.reported.get(fileKey('lost', 2)) ?? -1;
    expect((error as Error).message).toBe(
      `verifying ${join(dir.path, fileKey('lost', 2))} after writing: the object is missing (expected ${expected.toLocaleString('en-US')} bytes)`,
    );
    expect(out.map((m) => (m.type === 'ack' ? m.state : m.key))).toEqual([
      fileKey('lost', 0),
      { cursor: 99 },
    ]);
    const manifest = await readManifest(store, manifestOf('lost'));
    expect(manifest?.files.map((f) => f.key)).toEqual([fileKey('lost', 0)]);
    // Files 1 and 3 were stored whole but not committed: the failed write removed them.
    expect(await filesUnder(dir.path)).toEqual([manifestOf('lost'), fileKey('lost', 0)]);
    expect(await readIds()).toEqual(range(0, 100));
  });

  it('fails when the store holds fewer bytes than it reported, and removes the file', async () => {
    const store = new DamagingStore(dir.path, (key) =>
      key.startsWith('events/') ? 'truncate' : undefined,
    );
    const { out, error } = await write(store, 'short', [batch(0, 50), checkpoint(49)]);
    expect(error).toBeInstanceOf(ConnectionError);
    const expected = store.reported.get(fileKey('short', 0)) ?? -1;
    expect(expected).toBeGreaterThan(100);
    expect((error as Error).message).toBe(
      `verifying ${join(dir.path, fileKey('short', 0))} after writing: it holds 100 bytes, expected ${expected.toLocaleString('en-US')}`,
    );
    expect(out).toEqual([]);
    expect(await filesUnder(dir.path)).toEqual([]);
  });

  it('tells a refused HEAD of a lost file from a refused HEAD of a kept one, by listing', async () => {
    // S3 answers 403 to a HEAD of a missing key when ListBucket does not cover it.
    const lost = new DamagingStore(dir.path, (key) =>
      key === fileKey('lost', 0) ? 'lose' : undefined,
    );
    lost.refuseHeads = true;
    const missing = await write(lost, 'lost', [batch(0, 50), checkpoint(49)]);
    expect(String(missing.error)).toContain(
      `verifying ${join(dir.path, fileKey('lost', 0))} after writing: the object is missing`,
    );
    const kept = new DamagingStore(dir.path);
    kept.refuseHeads = true;
    const denied = await write(kept, 'kept', [batch(0, 50), checkpoint(49)]);
    expect(denied.error).toBeInstanceOf(AuthError);
    expect(String(denied.error)).toContain(
      `reading metadata of ${join(dir.path, fileKey('kept', 0))}: denied`,
    );
  });
});
