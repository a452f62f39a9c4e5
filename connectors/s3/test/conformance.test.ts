import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { field, t, validateConfig, type ConfiguredStream } from '@ferry/core';
import { listAll, S3Store } from '@ferry/storage';
import {
  describeDestination,
  describeRoundTrip,
  describeSource,
  queryDuckDB,
  sqlString,
  writeSampleTables,
  startS3Server,
  type S3Server,
} from '@ferry/testkit';
import { afterAll, beforeAll } from 'vitest';
import {
  destination,
  destinationConfigSchema,
  source,
  sourceConfigSchema,
  type S3DestinationConfig,
  type S3SourceConfig,
} from '../src/index.js';
import { storeOptions } from '../src/store.js';

// The fixture is a config as a user writes it; each case gets its own prefix on one s3rver.
const fixture = JSON.parse(
  readFileSync(new URL('fixtures/destination.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

const BUCKET = 'ferry-lake';
let server: S3Server;
let prefixes = 0;

beforeAll(async () => {
  server = await startS3Server({ buckets: [BUCKET] });
});
afterAll(async () => {
  await server.close();
});

function serverConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...fixture,
    endpoint: server.endpoint,
    aws_access_key_id: server.credentials.accessKeyId,
    aws_secret_access_key: server.credentials.secretAccessKey,
    ...overrides,
  };
}

function freshConfig(): Record<string, unknown> {
  prefixes += 1;
  return serverConfig({ s3_prefix: `/conformance/run-${String(prefixes)}/` });
}

/**
 * What DuckDB, a plain reader, sees of a stream: every data file under the stream's prefix,
 * downloaded through S3 into a temporary directory.
 */
async function read(config: unknown, stream: ConfiguredStream): Promise<Record<string, unknown>[]> {
  const valid = validateConfig<S3DestinationConfig>(destinationConfigSchema, config);
  const store = new S3Store(storeOptions(valid));
  const extension = valid.format === 'parquet' ? '.parquet' : '.jsonl.gz';
  const dir = mkdtempSync(join(tmpdir(), 'ferry-s3-conformance-'));
  let files = 0;
  try {
    for await (const object of listAll(store, `${stream.name}/`)) {
      if (!object.key.endsWith(extension)) continue;
      const target = join(dir, object.key);
      mkdirSync(dirname(target), { recursive: true });
      await writeFile(target, await buffer(await store.get(object.key)));
      files += 1;
    }
  } finally {
    store.destroy();
  }
  if (files === 0) return [];
  const glob = sqlString(join(dir, `**/*${extension}`));
  const from =
    valid.format === 'parquet'
      ? `read_parquet(${glob})`
      : `read_json(${glob}, format = 'newline_delimited', columns = {id: 'VARCHAR'})`;
  return queryDuckDB(`select id::VARCHAR as id from ${from}`);
}

describeDestination(destination, {
  // flush_interval_s 0 commits at every checkpoint, so the kit sees intermediate acks too.
  config: freshConfig,
  read,
  invalidConfigs: [
    { name: 'no bucket', config: { s3_region: 'us-east-1' }, pointer: '/s3_bucket' },
    {
      name: 'a path after the bucket name',
      config: { s3_bucket: 's3://acme/exports', s3_region: 'us-east-1' },
      pointer: '/s3_bucket',
    },
    {
      name: 'an unknown key',
      config: { s3_bucket: 'acme', s3_region: 'us-east-1', bucket: 'acme' },
      pointer: '/bucket',
    },
    {
      name: 'kms_key_id without aws:kms',
      config: {
        s3_bucket: 'acme',
        s3_region: 'us-east-1',
        server_side_encryption: 'AES256',
        kms_key_id: 'alias/ferry',
      },
      pointer: '/kms_key_id',
    },
    {
      name: 'temporary credentials without their session token',
      config: {
        s3_bucket: 'acme',
        s3_region: 'us-east-1',
        aws_access_key_id: 'ASIAIOSFODNN7EXAMPLE',
        aws_secret_access_key: 'x',
      },
      pointer: '/aws_session_token',
    },
    {
      name: 'a region with spaces',
      config: { s3_bucket: 'acme', s3_region: 'eu west 1' },
      pointer: '/s3_region',
    },
    {
      name: 'a bucket ARN',
      config: { s3_bucket: 'arn:aws:s3:::acme', s3_region: 'us-east-1' },
      pointer: '/s3_bucket',
    },
    {
      name: 'an endpoint without scheme',
      config: { s3_bucket: 'acme', s3_region: 'us-east-1', endpoint: '127.0.0.1:9000' },
      pointer: '/endpoint',
    },
    {
      name: 'a secret without an access key id',
      config: { s3_bucket: 'acme', s3_region: 'us-east-1', aws_secret_access_key: 'x' },
      pointer: '/aws_secret_access_key',
    },
  ],
  failingChecks: [
    { name: 'the bucket does not exist', config: () => serverConfig({ s3_bucket: 'no-such-one' }) },
    {
      name: 'the access key id is unknown',
      config: () => serverConfig({ aws_access_key_id: 'AKIAUNKNOWN' }),
    },
  ],
  readme: new URL('../README.md', import.meta.url),
});

/** The connection keys of a destination config: where a source finds what it wrote. */
function sourceSide(config: Record<string, unknown>): Record<string, unknown> {
  const { format: _format, flush_interval_s: _flush, ...connection } = config;
  return connection;
}

const sourceFixture = JSON.parse(
  readFileSync(new URL('fixtures/source.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

/** A schema prefix of tables written by DuckDB (see `writeSampleTables`), uploaded to s3rver. */
async function filledPrefix(): Promise<Record<string, unknown>> {
  const config = { ...sourceFixture, ...sourceSide(freshConfig()) };
  const valid = validateConfig<S3SourceConfig>(sourceConfigSchema, config);
  const store = new S3Store(storeOptions(valid));
  const dir = mkdtempSync(join(tmpdir(), 'ferry-s3-source-'));
  try {
    for (const key of await writeSampleTables(dir))
      await store.put(key, readFileSync(join(dir, key)));
  } finally {
    store.destroy();
  }
  return config;
}

describeSource(source, {
  config: filledPrefix,
  invalidConfigs: [
    { name: 'no bucket', config: { s3_region: 'us-east-1' }, pointer: '/s3_bucket' },
    {
      name: 'an unknown format',
      config: { s3_bucket: 'acme', s3_region: 'us-east-1', format: 'avro' },
      pointer: '/format',
    },
    {
      name: 'a path after the bucket name',
      config: { s3_bucket: 's3://acme/warehouse', s3_region: 'us-east-1' },
      pointer: '/s3_bucket',
    },
    {
      name: 'an encryption setting (the destination has it, the source does not)',
      config: { s3_bucket: 'acme', s3_region: 'us-east-1', server_side_encryption: 'AES256' },
      pointer: '/server_side_encryption',
    },
  ],
  failingChecks: [
    {
      name: 'the bucket does not exist',
      config: () => sourceSide(serverConfig({ s3_bucket: 'no-such-one' })),
    },
    {
      name: 'the access key id is unknown',
      config: () => sourceSide(serverConfig({ aws_access_key_id: 'AKIAUNKNOWN' })),
    },
  ],
  readme: new URL('../README.md', import.meta.url),
});

describeRoundTrip(destination, source, {
  destinationConfig: freshConfig,
  sourceConfig: (config) => sourceSide(config as Record<string, unknown>),
  // The Pontoon layout writes <stream>/dt=<date>/...: the source reads dt back as a date column.
  addedFields: [field('dt', t.date)],
  exempt: {
    'round-trip jsonl':
      'JSON Lines carries no types: the source infers them from values, so int32, decimal and binary columns come back as int64, float64 and string',
  },
});
