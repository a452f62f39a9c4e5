import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, defineDestination, type IamStatement } from '@ferry/core';
import { destination as filesystem } from '@ferry/connector-filesystem';
import { source as sample } from '@ferry/connector-sample';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Registry } from '../registry.js';
import { loadTransfer } from '../transfer.js';
import { transferPolicy } from './policy.js';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'ferry-policy-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A destination on "AWS" whose policy names the bucket of its config. */
const bucketed = defineDestination<{ bucket: string }>({
  type: 'bucketed',
  title: 'Bucketed',
  summary: 'Writes nowhere; has a policy.',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['bucket'],
    properties: { bucket: { type: 'string' } },
  },
  capabilities: { writeModes: ['append'], formats: [], layouts: [] },
  check: () => Promise.resolve({ ok: true }),
  async *write(_ctx, _config, request) {
    for await (const message of request.messages) yield { type: 'ack', stream: message.stream };
  },
  iamPolicy: (config): IamStatement[] => [
    {
      Sid: 'WriteObjects',
      Effect: 'Allow',
      Action: ['s3:PutObject'],
      Resource: [`arn:aws:s3:::${config.bucket}/*`],
    },
  ],
});

async function load(destination: object): Promise<ReturnType<typeof transferPolicy>> {
  const file = join(dir, 'transfer.json');
  await writeFile(file, JSON.stringify({ name: 'p', source: { type: 'sample' }, destination }));
  const registry = new Registry({ builtins: [sample, bucketed] });
  return transferPolicy(await loadTransfer(file, { registry }));
}

describe('ferry policy', () => {
  it('gathers the statements of the AWS sides, Sids prefixed with the role', async () => {
    const policy = await load({ type: 'bucketed', config: { bucket: 'exports' } });
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DestinationWriteObjects',
          Effect: 'Allow',
          Action: ['s3:PutObject'],
          Resource: ['arn:aws:s3:::exports/*'],
        },
      ],
    });
  });

  it('is a config error naming both connectors when no side runs on AWS', async () => {
    const registry = new Registry({ builtins: [sample, filesystem] });
    const file = join(dir, 'local.json');
    const destination = { type: 'filesystem', config: { path: join(dir, 'lake') } };
    await writeFile(file, JSON.stringify({ name: 'p', source: { type: 'sample' }, destination }));
    const transfer = await loadTransfer(file, { registry });
    expect(() => transferPolicy(transfer)).toThrow(ConfigError);
    expect(() => transferPolicy(transfer)).toThrow(
      'no side of this transfer runs on AWS (source "sample", destination "filesystem")',
    );
  });
});
