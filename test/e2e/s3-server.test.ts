import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';

// `ferry-s3-server`, as the README starts it by hand: a server on 127.0.0.1 with the bucket made,
// listings grouped as S3 groups them, and paging that works (it restarts itself with OpenSSL's
// legacy provider, which s3rver's continuation tokens need).
const bin = join(repoRoot, 'node_modules/.bin/ferry-s3-server');

let child: ChildProcess;
let endpoint: string;

beforeAll(async () => {
  child = spawn(bin, ['--bucket', 'hand', '--port', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  endpoint = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      const found = /S3 server on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
      if (found?.[1] !== undefined) resolve(found[1]);
    });
    child.once('exit', (code) => {
      reject(new Error(`exited with ${String(code)}: ${text}`));
    });
  });
});

const stopped = async (): Promise<number | null> => {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  return exited;
};

afterAll(async () => {
  await stopped();
});

describe('ferry-s3-server', () => {
  it('serves its bucket, groups deep keys under their first directory, and pages', async () => {
    for (const key of ['t/dt=1/a', 't/dt=2/b', 'u/c', 'x', 'y']) {
      const put = await fetch(`${endpoint}/hand/${key}`, { method: 'PUT', body: key });
      expect(put.status).toBe(200);
    }
    const listing = await (await fetch(`${endpoint}/hand?list-type=2&delimiter=/`)).text();
    const prefixes = [...listing.matchAll(/<Prefix>([^<]+)<\/Prefix>/g)].map((m) => m[1]);
    expect(prefixes).toEqual(['t/', 'u/']);
    // A page of one key needs a continuation token (DES-signed by s3rver): no 500.
    const page = await fetch(`${endpoint}/hand?list-type=2&max-keys=1`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<NextContinuationToken>');
  });

  it('stops, server included, when its own process is sent SIGINT', async () => {
    // It restarts itself with the legacy provider: the signal must reach that second process.
    expect(await stopped()).toBe(0);
    await expect(fetch(`${endpoint}/hand?list-type=2`)).rejects.toThrow(/fetch failed/);
  });
});

describe('ferry-s3-server started wrong', () => {
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const started = spawn(bin, args, {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      let stderr = '';
      started.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      started.once('exit', (code) => {
        resolve({ code, stderr });
      });
    });

  it('says in one line what is wrong with a bucket name or a port in use, and exits 2', async () => {
    const badName = await run(['--bucket', 'Bad_Name', '--port', '0']);
    expect(badName).toEqual({
      code: 2,
      stderr: expect.stringMatching(
        /^ferry-s3-server: creating bucket "Bad_Name" on http:\/\/127\.0\.0\.1:\d+: Bucket names can contain lowercase letters, numbers, and hyphens\..* \(InvalidBucketName\)\n$/,
      ) as string,
    });
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      expect(await run(['--bucket', 'other', '--port', String(port)])).toEqual({
        code: 2,
        stderr: `ferry-s3-server: port ${port} on 127.0.0.1 is in use; pick another with --port\n`,
      });
    } finally {
      taken.close();
    }
  });
});
