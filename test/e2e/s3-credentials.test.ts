import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listAll, S3Store } from '@ferry/storage';
import { startS3Server, type S3Server } from '@ferry/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runFerry, STACK_LINE, tempDir } from '../support/cli.js';

// An s3 destination with no keys in its config uses the AWS default credential chain. Its
// environment and shared-profile links are exercised here for real, against s3rver (which
// accepts any secret for its key id S3RVER and refuses other key ids). Web identity, container
// and instance roles need AWS's STS or a metadata endpoint, which nothing here can stand in
// for: the metadata lookup is switched off so that no test reaches out of the machine.
const BUCKET = 'ferry-chain';
const SECRET = 'chain-secret-Wq4pL7';

let server: S3Server;
let tmp: { path: string; cleanup: () => Promise<void> };

/** An environment in which the chain finds nothing but what a test adds. */
function isolated(extra: Record<string, string>): Record<string, string | undefined> {
  return {
    HOME: join(tmp.path, 'home'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmp.path, 'home/credentials'),
    AWS_CONFIG_FILE: join(tmp.path, 'home/config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_DEFAULT_PROFILE: undefined,
    AWS_ROLE_ARN: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    ...extra,
  };
}

/** A transfer into the bucket under `prefix`, without credentials in the file. */
async function transfer(prefix: string): Promise<string> {
  const file = join(tmp.path, `${prefix}.json`);
  const document = {
    name: prefix,
    source: { type: 'sample', config: { days: 1, events_per_day: 200 } },
    destination: {
      type: 's3',
      config: {
        s3_bucket: BUCKET,
        s3_prefix: prefix,
        s3_region: server.region,
        endpoint: server.endpoint,
        force_path_style: true,
      },
    },
    streams: [{ name: 'pageview_events' }],
  };
  await writeFile(file, JSON.stringify(document));
  return file;
}

async function keysUnder(prefix: string): Promise<string[]> {
  const store = new S3Store({
    bucket: BUCKET,
    prefix,
    region: server.region,
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: server.credentials,
  });
  const keys: string[] = [];
  for await (const object of listAll(store)) keys.push(object.key);
  return keys;
}

beforeAll(async () => {
  server = await startS3Server({ buckets: [BUCKET] });
  tmp = await tempDir();
  await mkdir(join(tmp.path, 'home'));
});

afterAll(async () => {
  await server.close();
  await tmp.cleanup();
});

describe('the AWS default credential chain (no keys in the config)', () => {
  it('takes the credentials from the environment', async () => {
    const file = await transfer('from-env');
    const env = isolated({
      AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SECRET,
    });
    const result = await runFerry(['run', file, '--json'], { cwd: tmp.path, env });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(0);
    const report = jsonLines(result.stdout).at(-1) as {
      streams: Record<string, { rows: number; written: { location: string }[] }>;
    };
    expect(report.streams.pageview_events?.rows).toBe(200);
    const written = report.streams.pageview_events?.written.map((w) => w.location) ?? [];
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(
      new RegExp(`^s3://${BUCKET}/from-env/pageview_events/dt=\\d{4}-\\d\\d-\\d\\d/\\d{14}_`),
    );
    expect(await keysUnder('from-env')).toContain(
      written[0]?.slice(`s3://${BUCKET}/from-env/`.length),
    );
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('takes the credentials of the profile AWS_PROFILE names in the shared file', async () => {
    await writeFile(
      join(tmp.path, 'home/credentials'),
      [
        '[default]',
        'aws_access_key_id = AKIANOTTHEONE',
        `aws_secret_access_key = ${SECRET}`,
        '[ferry-e2e]',
        `aws_access_key_id = ${server.credentials.accessKeyId}`,
        `aws_secret_access_key = ${SECRET}`,
        '',
      ].join('\n'),
    );
    const file = await transfer('from-profile');
    const named = await runFerry(['run', file], {
      cwd: tmp.path,
      env: isolated({ AWS_PROFILE: 'ferry-e2e' }),
    });
    expect(named.stderr).not.toMatch(STACK_LINE);
    expect(named.code).toBe(0);
    expect((await keysUnder('from-profile')).filter((k) => k.endsWith('.parquet'))).toHaveLength(1);
    // Without AWS_PROFILE the [default] profile is used: its key id is unknown to the server.
    const fallback = await runFerry(['check', file], { cwd: tmp.path, env: isolated({}) });
    expect(fallback.code).toBe(3);
    expect(fallback.stderr).toContain('the access key id is not known (InvalidAccessKeyId');
    for (const r of [named, fallback]) expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('says so when the chain finds no credentials: check exits 3, run exits 1 and records nothing', async () => {
    const file = await transfer('from-nowhere');
    const env = isolated({ AWS_SHARED_CREDENTIALS_FILE: join(tmp.path, 'home/none') });
    const check = await runFerry(['check', file], { cwd: tmp.path, env });
    expect(check.code).toBe(3);
    expect(check.stderr).toContain('no AWS credentials found (config or default chain)');
    const run = await runFerry(['run', file, '--state-dir', 'nowhere-state'], {
      cwd: tmp.path,
      env,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the s3 destination failed its check, so nothing was written');
    expect(run.stderr).toContain('no AWS credentials found');
    for (const r of [check, run]) expect(r.stderr).not.toMatch(STACK_LINE);
    const state = await readdir(join(tmp.path, 'nowhere-state')).catch(() => []);
    expect(state.filter((f) => f.endsWith('.json'))).toEqual([]);
  });
});
