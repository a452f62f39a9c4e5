// `npm run bench`: throughput of ferry's write paths against a hand-written export script, all
// in this process on the same rows, so the ratios hold across machines. Nothing is asserted.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { source as sample } from '@ferry/connector-sample';
import { silentLogger, type ConfiguredStream, type Row } from '@ferry/core';
import { createWriter, type FileFormat } from '@ferry/formats';
import { FileStateStore, loadTransfer, builtinRegistry, runTransfer } from '@ferry/runner';
import { startS3Server, type S3Server } from '@ferry/testkit';
import { writeFile } from 'node:fs/promises';

const ROWS = Number(process.env.FERRY_BENCH_ROWS ?? 200_000);
const config = {
  seed: 7,
  start_date: '2025-01-01',
  days: 2,
  events_per_day: ROWS / 2,
  workspaces: 3,
  hash_salt: '',
};
const ctx = { logger: silentLogger, signal: new AbortController().signal };

interface Result {
  readonly name: string;
  readonly seconds: number;
}

async function timed(name: string, work: () => Promise<void>): Promise<Result> {
  const start = performance.now();
  await work();
  return { name, seconds: (performance.now() - start) / 1000 };
}

async function generate(): Promise<{ stream: ConfiguredStream; batches: Row[][] }> {
  const catalog = await sample.discover(ctx, config);
  const entry = catalog.streams.find((s) => s.name === 'pageview_events');
  if (entry === undefined) throw new Error('no pageview_events');
  const stream: ConfiguredStream = { ...entry, syncMode: 'full_refresh', writeMode: 'append' };
  const batches: Row[][] = [];
  for await (const message of sample.read(ctx, config, { streams: [stream], state: {} })) {
    if (message.type === 'batch') batches.push([...message.rows]);
  }
  return { stream, batches };
}

const sink = (): Writable =>
  new Writable({
    write: (_chunk, _enc, done) => {
      done();
    },
  });

/** What a data engineer would write by hand: JSON.stringify, 1000-line chunks, gzip level 6. */
async function handWritten(batches: Row[][]): Promise<void> {
  const replacer = (_key: string, value: unknown): unknown =>
    typeof value === 'bigint' ? Number(value) : value;
  function* lines(): Iterable<string> {
    for (const rows of batches) {
      for (let i = 0; i < rows.length; i += 1000) {
        yield (
          rows
            .slice(i, i + 1000)
            .map((r) => JSON.stringify(r, replacer))
            .join('\n') + '\n'
        );
      }
    }
  }
  await pipeline(lines(), createGzip({ level: 6 }), sink());
}

async function ferryWriter(
  format: FileFormat,
  stream: ConfiguredStream,
  batches: Row[][],
): Promise<void> {
  const writer = createWriter(format, { fields: stream.fields });
  const drained = pipeline(writer.output, sink());
  for (const rows of batches) await writer.write(rows);
  await writer.close();
  await drained;
}

/** Where an end-to-end run writes: a local lake, or a bucket of the in-process S3 server. */
type Target = { readonly kind: 'filesystem' } | { readonly kind: 's3'; readonly server: S3Server };

function destination(target: Target, format: FileFormat, dir: string): object {
  if (target.kind === 'filesystem') {
    return { type: 'filesystem', config: { path: join(dir, 'lake'), format } };
  }
  const { server } = target;
  return {
    type: 's3',
    config: {
      s3_bucket: 'bench',
      s3_prefix: dir.split('/').pop(),
      s3_region: server.region,
      endpoint: server.endpoint,
      force_path_style: true,
      aws_access_key_id: server.credentials.accessKeyId,
      aws_secret_access_key: server.credentials.secretAccessKey,
      format,
    },
  };
}

/** Runs `transfer` (written into `dir`) with its state in `dir`; throws unless it succeeds. */
async function runOnce(transfer: object, dir: string): Promise<void> {
  const file = join(dir, 'bench.json');
  await writeFile(file, JSON.stringify(transfer));
  const loaded = await loadTransfer(file, { registry: builtinRegistry() });
  const report = await runTransfer({
    transfer: loaded,
    stateStore: new FileStateStore(join(dir, 'state')),
    logger: silentLogger,
  });
  if (report.status !== 'succeeded') {
    throw new Error(`bench run failed: ${report.error?.message ?? ''}`);
  }
}

const pageviews = [{ name: 'pageview_events', sync_mode: 'full_refresh' }];

async function endToEnd(
  format: FileFormat,
  target: Target = { kind: 'filesystem' },
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-bench-'));
  try {
    const source = { type: 'sample', config };
    await runOnce(
      { name: 'bench', source, destination: destination(target, format, dir), streams: pageviews },
      dir,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A Parquet lake of the page views, written once, untimed; `read` is timed on it. */
async function withLake(read: (lake: string, dir: string) => Promise<void>): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-bench-'));
  try {
    const lake = join(dir, 'lake');
    const write = { type: 'filesystem', config: { path: lake, format: 'parquet' } };
    await runOnce(
      { name: 'seed', source: { type: 'sample', config }, destination: write, streams: pageviews },
      dir,
    );
    const start = performance.now();
    await read(lake, dir);
    return (performance.now() - start) / 1000;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The lake read back by the filesystem source and written again as Parquet. */
function lakeToLake(lake: string, dir: string): Promise<void> {
  return runOnce(
    {
      name: 'import',
      source: { type: 'filesystem', config: { path: lake } },
      destination: { type: 'filesystem', config: { path: join(dir, 'copy'), format: 'parquet' } },
      streams: pageviews,
    },
    dir,
  );
}

/** Rows per file of the small-files case: {@link ROWS} rows in 20,000 files (by default). */
const SMALL_FILE_ROWS = Math.max(1, Math.round(ROWS / 20_000));

/**
 * A table of many small JSON Lines files (as a streaming export leaves them), written untimed,
 * imported incrementally into Parquet: measures the per-file cost (listing, opening, state).
 */
async function smallFiles(): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-bench-'));
  try {
    const files = Math.ceil(ROWS / SMALL_FILE_ROWS);
    for (let f = 0; f < files; f += 1) {
      const day = join(
        dir,
        'lake',
        'events',
        `dt=2025-01-${String(1 + (f % 28)).padStart(2, '0')}`,
      );
      if (f < 28) await mkdir(day, { recursive: true });
      const lines = Array.from({ length: SMALL_FILE_ROWS }, (_, i) => {
        const id = f * SMALL_FILE_ROWS + i;
        return `{"event_id":${id},"url":"https://example.com/p/${id % 97}","at":"2025-01-01T00:00:00Z"}\n`;
      });
      await writeFile(join(day, `part-${String(f).padStart(6, '0')}.jsonl`), lines.join(''));
    }
    const start = performance.now();
    await runOnce(
      {
        name: 'small',
        source: { type: 'filesystem', config: { path: join(dir, 'lake') } },
        destination: { type: 'filesystem', config: { path: join(dir, 'out'), format: 'parquet' } },
      },
      dir,
    );
    return (performance.now() - start) / 1000;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const generated = await timed('sample source: generate rows (no writing)', async () => {
  await generate();
});
const { stream, batches } = await generate();
const s3 = await startS3Server({ buckets: ['bench'] });
let results: Result[];
try {
  results = [
    generated,
    await timed('reference: hand-written JSON.stringify + gzip 6', () => handWritten(batches)),
    await timed('@ferry/formats jsonl.gz writer', () => ferryWriter('jsonl', stream, batches)),
    await timed('@ferry/formats parquet writer', () => ferryWriter('parquet', stream, batches)),
    await timed('ferry run: sample -> filesystem jsonl.gz', () => endToEnd('jsonl')),
    await timed('ferry run: sample -> filesystem parquet', () => endToEnd('parquet')),
    // s3rver runs in this process too (storing, hashing): the ratio includes the server's share.
    await timed('ferry run: sample -> s3 (s3rver) parquet', () =>
      endToEnd('parquet', { kind: 's3', server: s3 }),
    ),
    { name: 'ferry run: filesystem parquet -> parquet', seconds: await withLake(lakeToLake) },
    {
      name: `ferry run: ${Math.ceil(ROWS / SMALL_FILE_ROWS).toLocaleString('en-US')} small jsonl files -> parquet`,
      seconds: await smallFiles(),
    },
  ];
} finally {
  // s3rver keeps the process alive until it is closed, also when a case throws.
  await s3.close();
}
const reference = results[1]?.seconds ?? 1;
process.stdout.write(
  `pageview_events, ${ROWS.toLocaleString('en-US')} rows (FERRY_BENCH_ROWS to change)\n\n`,
);
process.stdout.write(`${'case'.padEnd(46)} ${'rows/s'.padStart(10)}  vs reference\n`);
for (const r of results) {
  const rate = Math.round(ROWS / r.seconds).toLocaleString('en-US');
  process.stdout.write(
    `${r.name.padEnd(46)} ${rate.padStart(10)}  ${(reference / r.seconds).toFixed(2)}x\n`,
  );
}
process.stdout.write(`\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB\n`);
