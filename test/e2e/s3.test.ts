import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { listAll, S3Store } from '@ferry/storage';
import { queryDuckDB, sqlString, startS3Proxy, startS3Server, type S3Server } from '@ferry/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, repoRoot, runFerry, STACK_LINE, tempDir } from '../support/cli.js';

// `ferry run` of examples/events-to-s3.json pointed at an in-process S3 server (s3rver): what a
// user does with MinIO or R2. s3rver accepts any secret for its key id, so a made-up secret can
// be checked for leaks.
const BUCKET = 'ferry-e2e';
const SECRET = 'e2e-secret-Zq8vN3';

interface Report {
  status: string;
  batch_id: string;
  started_at: string;
  streams: Record<string, { rows: number; files: number }>;
}

let server: S3Server;
let tmp: { path: string; cleanup: () => Promise<void> };
let env: Record<string, string | undefined>;

beforeAll(async () => {
  server = await startS3Server({ buckets: [BUCKET] });
  tmp = await tempDir();
  const example = JSON.parse(
    await readFile(join(repoRoot, 'examples/events-to-s3.json'), 'utf8'),
  ) as {
    source: { config: Record<string, unknown> };
    destination: { config: Record<string, unknown> };
  };
  example.source.config.events_per_day = 3000;
  Object.assign(example.destination.config, { endpoint: server.endpoint, force_path_style: true });
  await writeFile(join(tmp.path, 'transfer.json'), JSON.stringify(example, null, 2));
  env = {
    FERRY_S3_BUCKET: BUCKET,
    AWS_REGION: server.region,
    AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SECRET,
    // Unset, to see that ferry keeps the SDK's Node version warning off the user's screen.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined,
  };
});

afterAll(async () => {
  await server.close();
  await tmp.cleanup();
});

function store(): S3Store {
  return new S3Store({
    bucket: BUCKET,
    prefix: 'exports',
    region: server.region,
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: server.credentials.accessKeyId, secretAccessKey: SECRET },
  });
}

/** Downloads every object under `stream/` and returns the local paths with their keys. */
async function download(stream: string): Promise<{ key: string; path: string }[]> {
  const files: { key: string; path: string }[] = [];
  const s3 = store();
  for await (const object of listAll(s3, `${stream}/`)) {
    const path = join(tmp.path, 'download', object.key);
    await mkdir(dirname(path), { recursive: true });
    await pipeline(await s3.get(object.key), createWriteStream(path));
    files.push({ key: object.key, path });
  }
  return files;
}

describe('the s3 destination through the CLI', () => {
  it('writes the Pontoon layout under the prefix; DuckDB reads back exactly the reported rows and values', async () => {
    const result = await runFerry(['run', 'transfer.json', '--json'], { cwd: tmp.path, env });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).not.toContain('NodeVersionSupportWarning');
    expect(result.code).toBe(0);
    const report = jsonLines(result.stdout).at(-1) as unknown as Report;
    expect(report.status).toBe('succeeded');
    const start = new Date(report.started_at).toISOString();
    const stamp = start.slice(0, 19).replace(/[-T:]/g, '');
    for (const [stream, counts] of Object.entries(report.streams)) {
      const files = await download(stream);
      const key = new RegExp(
        `^${stream}/dt=${start.slice(0, 10)}/${stamp}_${report.batch_id}_\\d+\\.parquet$`,
      );
      for (const file of files) expect(file.key).toMatch(key);
      expect(files).toHaveLength(counts.files);
      const glob = sqlString(join(tmp.path, 'download', stream, '**/*.parquet'));
      const [row] = await queryDuckDB(`select count(*) as n from read_parquet(${glob})`);
      expect(row?.n, stream).toBe(BigInt(counts.rows));
    }
    expect(report.streams.pageview_events?.rows).toBe(6000);
    expect(result.stdout + result.stderr).not.toContain(SECRET);

    // Exact values: the same transfer into a local lake (whose values the lake and format tests
    // check against DuckDB) holds the same rows, column for column, nested values included.
    const local = JSON.parse(await readFile(join(tmp.path, 'transfer.json'), 'utf8')) as object;
    const lake = join(tmp.path, 'lake');
    await writeFile(
      join(tmp.path, 'local.json'),
      JSON.stringify({
        ...local,
        name: 'events-to-local',
        destination: { type: 'filesystem', config: { path: lake } },
      }),
    );
    const reference = await runFerry(['run', 'local.json'], { cwd: tmp.path, env });
    expect(reference.code).toBe(0);
    for (const stream of Object.keys(report.streams)) {
      const files = (root: string) =>
        `read_parquet(${sqlString(join(root, stream, '**/*.parquet'))}, hive_partitioning = false)`;
      const s3 = files(join(tmp.path, 'download'));
      const fs = files(lake);
      const [diff] = await queryDuckDB(
        `select (select count(*) from (select * from ${s3} except all select * from ${fs})) as only_s3,
                (select count(*) from (select * from ${fs} except all select * from ${s3})) as only_local,
                (select count(*) from ${fs}) as local_rows`,
      );
      expect(diff, stream).toEqual({
        only_s3: 0n,
        only_local: 0n,
        local_rows: BigInt(report.streams[stream]?.rows ?? -1),
      });
    }
  });

  it('examples/s3-to-lake.json imports that export back: the same rows, and dt as a date', async () => {
    // Reads what the first test exported (same bucket and prefix).
    const example = JSON.parse(
      await readFile(join(repoRoot, 'examples/s3-to-lake.json'), 'utf8'),
    ) as { source: { config: object }; destination: { config: object } };
    Object.assign(example.source.config, { endpoint: server.endpoint, force_path_style: true });
    const imported = join(tmp.path, 'imported');
    Object.assign(example.destination.config, { path: imported });
    await writeFile(join(tmp.path, 'import.json'), JSON.stringify(example));
    const run = await runFerry(['run', 'import.json', '--json'], { cwd: tmp.path, env });
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.code).toBe(0);
    const report = jsonLines(run.stdout).at(-1) as unknown as Report;
    expect(Object.keys(report.streams).sort()).toEqual([
      'domains',
      'pageview_events',
      'videoview_events',
    ]);
    for (const stream of Object.keys(report.streams)) {
      const exported = `read_parquet(${sqlString(join(tmp.path, 'download', stream, '**/*.parquet'))}, hive_partitioning = false)`;
      const back = `read_parquet(${sqlString(join(imported, stream, '**/*.parquet'))}, hive_partitioning = false)`;
      const [diff] = await queryDuckDB(
        `select (select count(*) from (select * exclude (dt) from ${back} except all select * from ${exported})) as extra,
                (select count(*) from (select * from ${exported} except all select * exclude (dt) from ${back})) as lost,
                (select count(*) from ${back}) as rows,
                (select typeof(any_value(dt)) from ${back}) as dt_type`,
      );
      expect(diff, stream).toEqual({
        extra: 0n,
        lost: 0n,
        rows: BigInt(report.streams[stream]?.rows ?? -1),
        dt_type: 'DATE',
      });
    }
    const again = await runFerry(['run', 'import.json', '--json'], { cwd: tmp.path, env });
    const second = jsonLines(again.stdout).at(-1) as unknown as Report;
    expect(Object.values(second.streams).map((s) => s.rows)).toEqual([0, 0, 0]);
    expect(run.stdout + run.stderr + again.stdout + again.stderr).not.toContain(SECRET);
  });

  it('check exits 3 naming a missing bucket or an unknown access key, never the secret', async () => {
    const missing = await runFerry(['check', 'transfer.json'], {
      cwd: tmp.path,
      env: { ...env, FERRY_S3_BUCKET: 'no-such-bucket' },
    });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('NoSuchBucket');
    const unknown = await runFerry(['check', 'transfer.json'], {
      cwd: tmp.path,
      env: { ...env, AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY' },
    });
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('InvalidAccessKeyId');
    for (const r of [missing, unknown]) {
      expect(r.stdout + r.stderr).not.toContain(SECRET);
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
  });

  it("check and run name the bucket's region when s3_region is wrong; run records nothing", async () => {
    // s3rver ignores regions: the proxy answers like S3 for a bucket in eu-west-1.
    const regional = await startS3Proxy(server.endpoint, { bucketRegion: 'eu-west-1' });
    try {
      const document = JSON.parse(await readFile(join(tmp.path, 'transfer.json'), 'utf8')) as {
        destination: { config: Record<string, unknown> };
      };
      document.destination.config.endpoint = regional.endpoint;
      await writeFile(join(tmp.path, 'regional.json'), JSON.stringify(document));
      const hint =
        'it is in eu-west-1, not in region us-east-1 (S3 answered AuthorizationHeaderMalformed, HTTP 400); set s3_region to "eu-west-1"';
      const check = await runFerry(['check', 'regional.json'], { cwd: tmp.path, env });
      expect(check.code).toBe(3);
      expect(check.stderr).toContain(`confirming bucket ${BUCKET}: ${hint}`);
      const run = await runFerry(['run', 'regional.json', '--state-dir', 'regional-state'], {
        cwd: tmp.path,
        env,
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(hint);
      await expect(readdir(join(tmp.path, 'regional-state'))).resolves.toEqual([]);
      const fixed = await runFerry(['check', 'regional.json'], {
        cwd: tmp.path,
        env: { ...env, AWS_REGION: 'eu-west-1' },
      });
      expect(fixed.stderr).toContain('destination s3: ok');
      expect(fixed.code).toBe(0);
      for (const r of [check, run, fixed]) {
        expect(r.stdout + r.stderr).not.toContain(SECRET);
        expect(r.stderr).not.toMatch(STACK_LINE);
      }
    } finally {
      await regional.close();
    }
  });

  it('policy prints the least IAM policy, scoped to the bucket and prefix', async () => {
    const result = await runFerry(['policy', 'transfer.json'], { cwd: tmp.path, env });
    expect(result.code).toBe(0);
    const policy = JSON.parse(result.stdout) as { Version: string; Statement: unknown[] };
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Sid: 'DestinationListPrefix',
        Resource: [`arn:aws:s3:::${BUCKET}`],
        Condition: { StringLike: { 's3:prefix': ['exports/*'] } },
      }),
      expect.objectContaining({
        Sid: 'DestinationWriteObjects',
        Resource: [`arn:aws:s3:::${BUCKET}/exports/*`],
      }),
    ]);
  });

  it('policy needs only the variables the policy depends on, since it comes before the credentials', async () => {
    const unset = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined };
    const result = await runFerry(['policy', 'transfer.json'], {
      cwd: tmp.path,
      env: { ...env, ...unset },
    });
    expect(result.code).toBe(0);
    const policy = JSON.parse(result.stdout) as { Statement: { Resource: string[] }[] };
    expect(policy.Statement.map((s) => s.Resource)).toEqual([
      [`arn:aws:s3:::${BUCKET}`],
      [`arn:aws:s3:::${BUCKET}/exports/*`],
    ]);
    expect(result.stderr).toBe(
      'note: not set, and not needed for the policy: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY\n',
    );

    // The region picks the partition of the ARNs (aws, aws-cn, aws-us-gov): it is needed.
    const noRegion = await runFerry(['policy', 'transfer.json'], {
      cwd: tmp.path,
      env: { ...env, ...unset, AWS_REGION: undefined },
    });
    expect(noRegion.code).toBe(2);
    expect(noRegion.stdout).toBe('');
    expect(noRegion.stderr).toContain(
      '/destination/config/s3_region: environment variable AWS_REGION is not set, and the policy depends on it',
    );

    const noBucket = await runFerry(['policy', 'transfer.json'], {
      cwd: tmp.path,
      env: { ...env, ...unset, FERRY_S3_BUCKET: undefined },
    });
    expect(noBucket.code).toBe(2);
    expect(noBucket.stdout).toBe('');
    expect(noBucket.stderr).toContain(
      '/destination/config/s3_bucket: environment variable FERRY_S3_BUCKET is not set, and the config needs it',
    );
    // Only what stands in the way is named, not every unset variable.
    expect(noBucket.stderr).not.toContain('AWS_REGION');
    expect(noBucket.stderr).not.toMatch(STACK_LINE);
  });
});
