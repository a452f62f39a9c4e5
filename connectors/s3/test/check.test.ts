import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger, validateConfig, type Context } from '@ferry/core';
import {
  conformanceFields,
  conformanceRows,
  conformanceStream,
  startS3Server,
  type S3Server,
} from '@ferry/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destination, destinationConfigSchema, type S3DestinationConfig } from '../src/index.js';

const BUCKET = 'ferry-check';
const SECRET = 'ferry-test-secret-Zk41';
let server: S3Server;

beforeAll(async () => {
  server = await startS3Server({ buckets: [BUCKET] });
});
afterAll(async () => {
  await server.close();
});

function context(): Context {
  return { logger: silentLogger, signal: new AbortController().signal };
}

function config(endpoint: string, overrides: Record<string, unknown> = {}): S3DestinationConfig {
  const input = {
    s3_bucket: BUCKET,
    s3_prefix: 'exports',
    s3_region: 'us-east-1',
    endpoint,
    force_path_style: true,
    aws_access_key_id: server.credentials.accessKeyId,
    aws_secret_access_key: SECRET,
    ...overrides,
  };
  const valid = validateConfig<S3DestinationConfig>(destinationConfigSchema, input);
  destination.validate?.(valid);
  return valid;
}

async function checkError(valid: S3DestinationConfig): Promise<string> {
  const result = await destination.check(context(), valid);
  if (result.ok) throw new Error('check succeeded');
  return result.error;
}

describe('s3 destination check against s3rver', () => {
  it('names the missing bucket, the operation and S3 error code', async () => {
    const error = await checkError(config(server.endpoint, { s3_bucket: 's3://no-such-bucket' }));
    expect(error).toBe(
      'confirming bucket no-such-bucket in region us-east-1: listing s3://no-such-bucket/exports: no such bucket (NoSuchBucket, HTTP 404)',
    );
  });

  it('names InvalidAccessKeyId for an unknown key id, and never the secret', async () => {
    const error = await checkError(
      config(server.endpoint, { aws_access_key_id: 'AKIAUNKNOWN', aws_session_token: SECRET }),
    );
    expect(error).toContain('listing s3://ferry-check/exports: the access key id is not known');
    expect(error).toContain('(InvalidAccessKeyId, HTTP 403)');
    // Bad credentials are not a missing permission: no IAM action would help.
    expect(error).not.toContain('the credentials need');
    expect(error).not.toContain(SECRET);
  });

  it('succeeds for "/exports/", "exports/" and "exports" alike, under one prefix', async () => {
    for (const prefix of ['/exports/', 'exports/', 'exports']) {
      const result = await destination.check(
        context(),
        config(server.endpoint, { s3_prefix: prefix }),
      );
      expect(result).toEqual({
        ok: true,
        details: ['wrote, read back and deleted a probe object in s3://ferry-check/exports'],
      });
    }
  });

  it('never puts a secret in check or write results', async () => {
    const valid = config(server.endpoint, { aws_session_token: SECRET });
    const said: string[] = [JSON.stringify(await destination.check(context(), valid))];
    const stream = conformanceStream('events', { fields: conformanceFields, writeMode: 'append' });
    const request = {
      streams: [stream],
      run: { runId: 'r1', batchId: 'b1', startedAt: new Date(), workerId: 'w1' },
      messages: (async function* () {
        await Promise.resolve();
        yield { type: 'batch' as const, stream: 'events', rows: conformanceRows(0, 5) };
      })(),
    };
    try {
      for await (const message of destination.write(context(), valid, request)) {
        said.push(JSON.stringify(message));
      }
    } catch (error) {
      said.push(error instanceof Error ? error.message : String(error));
    }
    expect(
      said.some((text) => text.includes('"type":"file"')),
      'a file was written',
    ).toBe(true);
    expect(said.join('\n')).not.toContain(SECRET);
  });
});

/**
 * A focused fake of S3 at the HTTP level, for what s3rver cannot do: it has no IAM (any secret
 * of a known key id may do anything) and no regions. `answer` gets each request.
 */
async function fakeS3(
  answer: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ endpoint: string; server: Server }> {
  const fake = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      answer(request, response);
    });
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  const { port } = fake.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${String(port)}`, server: fake };
}

function xmlError(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/xml' });
  response.end(`<?xml version="1.0" encoding="UTF-8"?><Error>${body}</Error>`);
}

const EMPTY_LISTING = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${BUCKET}</Name><Prefix>exports/</Prefix><KeyCount>0</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`;

describe('s3 destination check against a fake S3 (IAM and regions)', () => {
  it('names the IAM action S3 refused: s3:PutObject for the probe object', async () => {
    const fake = await fakeS3((request, response) => {
      if (request.method === 'GET') {
        response.writeHead(200, { 'content-type': 'application/xml' });
        response.end(EMPTY_LISTING);
      } else xmlError(response, 403, '<Code>AccessDenied</Code><Message>Access Denied</Message>');
    });
    try {
      const error = await checkError(config(fake.endpoint));
      expect(error).toMatch(
        /^writing a probe object to s3:\/\/ferry-check\/exports\/_ferry\/check\/[0-9a-f]+: .*access denied \(AccessDenied, HTTP 403\); the credentials need s3:PutObject on arn:aws:s3:::ferry-check\/exports\/\*$/,
      );
      expect(error).not.toContain(SECRET);
    } finally {
      fake.server.close();
    }
  });

  it('names s3:GetObject, or a missing object, when reading the probe back is refused', async () => {
    const fake = await fakeS3((request, response) => {
      if (request.method === 'GET') {
        response.writeHead(200, { 'content-type': 'application/xml' });
        response.end(EMPTY_LISTING);
      } else if (request.method === 'PUT') {
        response.writeHead(200, { etag: '"0123456789abcdef0123456789abcdef"' });
        response.end();
      } else {
        response.writeHead(403);
        response.end();
      }
    });
    try {
      expect(await checkError(config(fake.endpoint))).toMatch(
        /^reading back the probe object s3:\/\/ferry-check\/exports\/_ferry\/check\/[0-9a-f]+: .*\(.*HTTP 403\); the credentials need s3:GetObject on arn:aws:s3:::ferry-check\/exports\/\* \(or the object is missing and s3:ListBucket does not cover its key\)$/,
      );
    } finally {
      fake.server.close();
    }
  });

  it('names s3:ListBucket when listing the bucket is refused', async () => {
    const fake = await fakeS3((_request, response) => {
      xmlError(response, 403, '<Code>AccessDenied</Code><Message>Access Denied</Message>');
    });
    try {
      const error = await checkError(config(fake.endpoint));
      expect(error).toBe(
        'confirming bucket ferry-check in region us-east-1: listing s3://ferry-check/exports: access denied (AccessDenied, HTTP 403); the credentials need s3:ListBucket on arn:aws:s3:::ferry-check',
      );
    } finally {
      fake.server.close();
    }
  });

  it('names the resource as ferry policy does: in the partition of s3_region, prefix escaped', async () => {
    const fake = await fakeS3((request, response) => {
      if (request.method === 'GET') {
        response.writeHead(200, { 'content-type': 'application/xml' });
        response.end(EMPTY_LISTING);
      } else xmlError(response, 403, '<Code>AccessDenied</Code><Message>Access Denied</Message>');
    });
    try {
      const valid = config(fake.endpoint, { s3_region: 'cn-north-1', s3_prefix: 'ex*ports' });
      expect(await checkError(valid)).toMatch(
        /; the credentials need s3:PutObject on arn:aws-cn:s3:::ferry-check\/ex\$\{\*\}ports\/\*$/,
      );
    } finally {
      fake.server.close();
    }
  });

  it("names the bucket's real region when S3 redirects", async () => {
    const fake = await fakeS3((_request, response) => {
      response.setHeader('x-amz-bucket-region', 'eu-west-1');
      xmlError(
        response,
        301,
        `<Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message><Endpoint>${BUCKET}.s3.eu-west-1.amazonaws.com</Endpoint><Bucket>${BUCKET}</Bucket>`,
      );
    });
    try {
      const error = await checkError(config(fake.endpoint));
      expect(error).toBe(
        'confirming bucket ferry-check: it is in eu-west-1, not in region us-east-1 (S3 answered PermanentRedirect, HTTP 301); set s3_region to "eu-west-1"',
      );
    } finally {
      fake.server.close();
    }
  });
});
