// `ferry run` to the s3 destination under what s3rver alone cannot show, covered by the testkit's
// recording, fault-injecting proxy in front of it: throttling and connection resets (s3rver never
// fails), SSE headers (s3rver accepts and ignores them, echoing nothing back) and a store that
// acknowledges a write it never kept (s3rver always keeps them). Outputs are read back with DuckDB.
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { listAll, S3Store, type ObjectInfo } from '@ferry/storage';
import {
  queryDuckDB,
  sqlString,
  startS3Proxy,
  startS3Server,
  type RecordedRequest,
  type S3Fault,
  type S3Proxy,
  type S3ProxyOptions,
  type S3Server,
} from '@ferry/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runFerry, STACK_LINE, tempDir, type CliResult } from '../support/cli.js';

const SECRET = 'e2e-secret-Wp3xR8';
const TRANSFER = 'sample-to-s3';
const MiB = 1024 * 1024;
const STREAMS = ['pageview_events', 'videoview_events', 'domains'] as const;
/** An expression unique per row of each stream (its primary key). */
const ROW_ID: Record<string, string> = {
  pageview_events: 'event_id',
  videoview_events: 'event_id',
  domains: `workspace_id || '/' || domain`,
};

/** What `ferry run --json` reports; `written[].location` is the file's s3:// location. */
interface Report {
  status: string;
  streams: Record<string, { rows: number; files: number; written: WrittenFile[] }>;
  error?: { code: string; message: string };
}
interface WrittenFile {
  location: string;
  rows: number;
  bytes: number;
}

/** Where a transfer writes, and how. */
interface Target {
  readonly bucket: string;
  readonly prefix: string;
  /** Default: the s3rver itself, no proxy. */
  readonly endpoint?: string;
  /** Page views per day, over 2 days. Default 2500. */
  readonly events?: number;
  /** Extra destination config (format, limits, encryption). */
  readonly config?: Record<string, unknown>;
  /** Default: all of {@link STREAMS}. */
  readonly streams?: readonly string[];
}

let server: S3Server;
let tmp: { path: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  server = await startS3Server();
  tmp = await tempDir();
});

afterAll(async () => {
  await server.close();
  await tmp.cleanup();
});

/** The state directory of a transfer's runs: one per target, so runs never share a cursor. */
function stateDir(target: Target): string {
  return join(tmp.path, 'state', target.bucket, target.prefix);
}

function stateFile(target: Target): string {
  return join(stateDir(target), `${TRANSFER}.json`);
}

/** `ferry run --json` of the sample source to `target`; the report is stdout's last line. */
async function run(
  target: Target,
  env: Record<string, string> = {},
): Promise<CliResult & { report: Report }> {
  const transfer = {
    name: TRANSFER,
    source: {
      type: 'sample',
      config: { seed: 7, start_date: '2025-01-01', days: 2, events_per_day: target.events ?? 2500 },
    },
    destination: {
      type: 's3',
      config: {
        s3_bucket: target.bucket,
        s3_prefix: target.prefix,
        s3_region: server.region,
        aws_access_key_id: '${env:AWS_ACCESS_KEY_ID}',
        aws_secret_access_key: '${env:AWS_SECRET_ACCESS_KEY}',
        endpoint: target.endpoint ?? server.endpoint,
        force_path_style: true,
        ...target.config,
      },
    },
    streams: (target.streams ?? STREAMS).map((name) => ({ name })),
  };
  const file = join(tmp.path, `${target.bucket}-${target.prefix}.json`);
  await writeFile(file, JSON.stringify(transfer, null, 2));
  const result = await runFerry(['run', file, '--json', '--state-dir', stateDir(target)], {
    cwd: tmp.path,
    env: {
      AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SECRET,
      ...env,
    },
  });
  const report = jsonLines(result.stdout).at(-1) as unknown as Report;
  expect(result.stdout + result.stderr).not.toContain(SECRET);
  expect(result.stderr).not.toMatch(STACK_LINE);
  return { ...result, report };
}

function store(bucket: string, prefix = ''): S3Store {
  const { accessKeyId } = server.credentials;
  return new S3Store({
    bucket,
    prefix,
    region: server.region,
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey: SECRET },
  });
}

async function list(bucket: string, prefix: string): Promise<ObjectInfo[]> {
  const objects: ObjectInfo[] = [];
  for await (const object of listAll(store(bucket), prefix)) objects.push(object);
  return objects;
}

/** Downloads every object under `<prefix>/<stream>/`; returns the local directory. */
async function download(target: Target, stream: string): Promise<string> {
  const s3 = store(target.bucket, target.prefix);
  const root = join(tmp.path, 'download', target.bucket, target.prefix);
  for await (const object of listAll(s3, `${stream}/`)) {
    const path = join(root, object.key);
    await mkdir(dirname(path), { recursive: true });
    await pipeline(await s3.get(object.key), createWriteStream(path));
  }
  return join(root, stream);
}

interface Summary {
  rows: bigint;
  ids: bigint;
  /** Order-independent hash of every row's content, the `dt` partition left out. */
  fingerprint: bigint;
}

/** What DuckDB reads from a stream's downloaded files. */
async function summarize(target: Target, stream: string): Promise<Summary> {
  const dir = await download(target, stream);
  const jsonl = target.config?.format === 'jsonl';
  const glob = sqlString(join(dir, jsonl ? '**/*.jsonl*' : '**/*.parquet'));
  const from = jsonl
    ? `read_json_auto(${glob}, hive_partitioning = false)`
    : `read_parquet(${glob}, hive_partitioning = false)`;
  const [row] = await queryDuckDB(
    `select count(*) as rows, count(distinct ${ROW_ID[stream] ?? ''}) as ids,
       coalesce(sum(hash(t)), 0)::hugeint as fingerprint from ${from} as t`,
  );
  return row as unknown as Summary;
}

function reportedRows(report: Report): Record<string, number> {
  return Object.fromEntries(Object.entries(report.streams).map(([name, s]) => [name, s.rows]));
}

let referenceRun: Promise<{ report: Report; summaries: Record<string, Summary> }> | undefined;

/** The same transfer without faults or proxy, once for the file. */
function reference(): Promise<{ report: Report; summaries: Record<string, Summary> }> {
  referenceRun ??= (async () => {
    const target = { bucket: 'e2e-reference', prefix: 'lake' };
    await server.createBucket(target.bucket);
    const { code, report } = await run(target);
    expect(code).toBe(0);
    // Where the refused runs must leave no state file, a run that succeeds leaves one.
    expect(existsSync(stateFile(target))).toBe(true);
    const summaries: Record<string, Summary> = {};
    for (const stream of STREAMS) summaries[stream] = await summarize(target, stream);
    return { report, summaries };
  })();
  return referenceRun;
}

/** A proxy in front of the server for the duration of `body`. */
async function withProxy(
  body: (proxy: S3Proxy) => Promise<void>,
  options: S3ProxyOptions = {},
): Promise<void> {
  const proxy = await startS3Proxy(server.endpoint, options);
  try {
    await body(proxy);
  } finally {
    await proxy.close();
  }
}

/**
 * Faults every third request, cycling through the kinds, but never the same method and URL twice:
 * each request then succeeds by its second attempt (of 5), so the run must succeed, whatever the
 * order in which concurrent requests arrive.
 */
function injectEveryThird(proxy: S3Proxy): void {
  const kinds: readonly S3Fault[] = ['slow-down', 'slow-down-bare', 'reset'];
  const faulted = new Set<string>();
  const decided = new WeakMap<RecordedRequest, S3Fault | undefined>();
  let seen = 0;
  const decide = (request: RecordedRequest): S3Fault | undefined => {
    if (decided.has(request)) return decided.get(request);
    seen += 1;
    const id = `${request.method} ${request.url}`;
    const fault = seen % 3 === 0 && !faulted.has(id) ? kinds[faulted.size % 3] : undefined;
    if (fault !== undefined) faulted.add(id);
    decided.set(request, fault);
    return fault;
  };
  for (const fault of kinds) {
    proxy.inject({ fault, times: Infinity, match: (r) => decide(r) === fault });
  }
}

describe('ferry run to s3 through faults', () => {
  it('rides out throttling and resets on every third request; the rows are exactly those of an undisturbed run', async () => {
    const { report: expected, summaries } = await reference();
    await withProxy(async (proxy) => {
      const target = {
        bucket: 'e2e-faults',
        prefix: 'lake',
        endpoint: proxy.endpoint,
        // Several files per stream: more requests, more faults.
        config: { max_rows_per_file: 1000 },
      };
      await server.createBucket(target.bucket);
      injectEveryThird(proxy);
      const { code, report } = await run(target);
      expect(code).toBe(0);
      const faults = proxy.requests.map((r) => r.fault).filter((f) => f !== undefined);
      expect(new Set(faults)).toEqual(new Set(['slow-down', 'slow-down-bare', 'reset']));
      expect(report.streams.pageview_events?.files).toBeGreaterThan(1);
      expect(reportedRows(report)).toEqual(reportedRows(expected));
      for (const stream of STREAMS) {
        const summary = await summarize(target, stream);
        expect(summary, stream).toEqual(summaries[stream]);
        expect(summary.rows, stream).toBe(BigInt(report.streams[stream]?.rows ?? -1));
        expect(summary.ids, stream).toBe(summary.rows);
      }
    });
  });

  it('fails before writing anything with unknown credentials or a missing bucket', async () => {
    const target = { bucket: 'e2e-refused', prefix: 'lake' };
    await server.createBucket(target.bucket);
    const unknown = await run(target, { AWS_ACCESS_KEY_ID: 'AKIAE2EUNKNOWNKEY' });
    expect(unknown.stderr).toContain('InvalidAccessKeyId');
    expect(await list(target.bucket, '')).toEqual([]);
    const missing = { bucket: 'e2e-missing', prefix: 'lake' };
    const absent = await run(missing);
    expect(absent.stderr).toContain('NoSuchBucket');
    // Nothing created it on the way.
    expect((await fetch(`${server.endpoint}/${missing.bucket}`)).status).toBe(404);
    for (const [result, at] of [
      [unknown, target],
      [absent, missing],
    ] as const) {
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'the s3 destination failed its check, so nothing was written',
      );
      expect(result.report.status).toBe('failed');
      expect(existsSync(stateFile(at))).toBe(false);
      const state = await readdir(stateDir(at)).catch(() => []);
      expect(state.filter((name) => name.endsWith('.json'))).toEqual([]);
    }
  });

  it('fails a run whose data file the store acknowledged but did not keep; the rerun writes each row once', async () => {
    const { summaries } = await reference();
    await withProxy(async (proxy) => {
      const target = {
        bucket: 'e2e-integrity',
        prefix: 'lake',
        endpoint: proxy.endpoint,
        config: { max_rows_per_file: 2000 },
      };
      await server.createBucket(target.bucket);
      // The first data file of the stream: not its manifest (_ferry/manifests/…) nor the probe.
      const dataFile = `/${target.bucket}/${target.prefix}/pageview_events/dt=`;
      proxy.inject({ fault: 'drop', match: (r) => decodeURIComponent(r.url).startsWith(dataFile) });
      const failed = await run(target);
      expect(failed.code).toBe(1);
      const dropped = proxy.requests.filter((r) => r.fault === 'drop');
      expect(dropped).toHaveLength(1);
      const path = decodeURIComponent(new URL(dropped[0]?.url ?? '', 'http://proxy').pathname);
      const missing = `verifying s3:/${path} after writing: the object is missing (expected `;
      expect(failed.stderr).toContain(missing);
      expect(failed.report.status).toBe('failed');
      expect(failed.report.error?.message).toContain(missing);
      const kept = proxy.requests.filter(
        (r) => r.method === 'PUT' && !r.fault && decodeURIComponent(r.url).startsWith(dataFile),
      );
      expect(kept.length).toBeGreaterThan(0);
      // The files the failed run did store were removed with it: readers see none of its rows.
      expect(await list(target.bucket, `${target.prefix}/pageview_events/`)).toEqual([]);

      proxy.reset();
      const rerun = await run(target);
      expect(rerun.code).toBe(0);
      const summary = await summarize(target, 'pageview_events');
      expect(summary).toEqual(summaries.pageview_events);
      expect(summary.ids).toBe(summary.rows);
      const stored = await list(target.bucket, `${target.prefix}/pageview_events/`);
      const written = rerun.report.streams.pageview_events?.written ?? [];
      expect(written.length).toBeGreaterThan(1);
      expect(written.map((f) => [f.location, f.bytes]).sort()).toEqual(
        stored.map((o) => [`s3://${target.bucket}/${o.key}`, o.size]).sort(),
      );
      expect(written.reduce((sum, f) => sum + f.rows, 0)).toBe(Number(summary.rows));
    });
  });

  it('recovers where S3 answers 403 for missing objects (ListBucket limited to the prefix)', async () => {
    // ferry policy limits s3:ListBucket to the prefix; S3 then answers a HEAD or GET of a missing
    // key with 403, not 404. A run that failed before its first commit left no manifest, and the
    // next run's recovery must still find that out.
    const { summaries } = await reference();
    await withProxy(
      async (proxy) => {
        const target = { bucket: 'e2e-hidden', prefix: 'lake', endpoint: proxy.endpoint };
        await server.createBucket(target.bucket);
        const dataFile = `/${target.bucket}/${target.prefix}/pageview_events/dt=`;
        proxy.inject({
          fault: 'drop',
          match: (r) => decodeURIComponent(r.url).startsWith(dataFile),
        });
        const failed = await run(target);
        expect(failed.code).toBe(1);
        expect(failed.report.error?.message).toMatch(
          /^verifying s3:\/\/e2e-hidden\/lake\/pageview_events\//,
        );
        proxy.reset();
        const rerun = await run(target);
        expect(rerun.stderr).not.toContain('error');
        expect(rerun.code).toBe(0);
        expect(await summarize(target, 'pageview_events')).toEqual(summaries.pageview_events);
      },
      { missingObjects: 'access-denied' },
    );
  });

  it('requests aws:kms with its key on every PutObject and CreateMultipartUpload, AES256 alone', async () => {
    await withProxy(async (proxy) => {
      const target = {
        bucket: 'e2e-sse',
        prefix: 'kms',
        endpoint: proxy.endpoint,
        // Uncompressed JSONL: the page views make a file over the 8 MiB part size (multipart).
        events: 7000,
        config: {
          format: 'jsonl',
          compression: 'none',
          server_side_encryption: 'aws:kms',
          kms_key_id: 'alias/ferry-e2e',
        },
      };
      await server.createBucket(target.bucket);
      const { code, report } = await run(target);
      expect(code).toBe(0);
      const sizes = Object.values(report.streams).flatMap((s) => s.written.map((f) => f.bytes));
      expect(Math.max(...sizes)).toBeGreaterThan(8 * MiB);
      // s3rver accepts SSE headers and ignores them: only the proxy sees what was requested.
      const kms = sseOf(proxy.requests);
      expect(kms.creates).not.toEqual([]);
      expect(kms.parts).not.toEqual([]);
      expect(new Set([...kms.puts, ...kms.creates])).toEqual(new Set(['aws:kms alias/ferry-e2e']));
      // S3 refuses SSE headers on UploadPart: the upload's encryption is set at its creation.
      expect(new Set(kms.parts)).toEqual(new Set(['none none']));
      for (const stream of STREAMS) {
        const { rows, ids } = await summarize(target, stream);
        expect(rows, stream).toBe(BigInt(report.streams[stream]?.rows ?? -1));
        expect(ids, stream).toBe(rows);
      }

      proxy.reset();
      const config = { format: 'jsonl', compression: 'none', server_side_encryption: 'AES256' };
      const aes: Target = { ...target, prefix: 'aes', events: 100, config };
      expect((await run(aes)).code).toBe(0);
      expect(new Set(sseOf(proxy.requests).puts)).toEqual(new Set(['AES256 none']));
    });
  });
});

/**
 * The SSE headers (`<type> <kms key id>`, `none` when absent) of each PutObject (a PUT that is not
 * an UploadPart), CreateMultipartUpload and UploadPart; asserts that the PutObjects include the
 * check's probe, data files and manifests, so that "every PutObject" covers all three.
 */
function sseOf(
  requests: readonly RecordedRequest[],
): Record<'puts' | 'creates' | 'parts', string[]> {
  const sse = (r: RecordedRequest) =>
    [
      r.headers['x-amz-server-side-encryption'] ?? 'none',
      r.headers['x-amz-server-side-encryption-aws-kms-key-id'] ?? 'none',
    ].join(' ');
  const query = (r: RecordedRequest) => new URL(r.url, 'http://proxy').searchParams;
  const puts = requests.filter((r) => r.method === 'PUT' && !query(r).has('partNumber'));
  for (const kind of ['/_ferry/check/', '_events/dt=', '/_ferry/manifests/']) {
    expect(
      puts.some((r) => decodeURIComponent(r.url).includes(kind)),
      kind,
    ).toBe(true);
  }
  return {
    puts: puts.map(sse),
    creates: requests.filter((r) => r.method === 'POST' && query(r).has('uploads')).map(sse),
    parts: requests.filter((r) => r.method === 'PUT' && query(r).has('partNumber')).map(sse),
  };
}
