// `ferry-s3-server`: the tests' in-process S3 server (s3rver, with its listing fixed to group
// keys as S3 does), started by hand to try the s3 connectors without an AWS account:
//   npx ferry-s3-server --bucket ferry-demo [--port 4568] [--dir /tmp/s3]
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { constants } from 'node:os';
import { parseArgs } from 'node:util';
import { S3RVER_CREDENTIALS, startS3Server } from './s3.js';

const LEGACY = '--openssl-legacy-provider';

// s3rver signs its listing continuation tokens with DES, which OpenSSL 3 disables: without the
// legacy provider, a listing that needs a second page fails (TOOLING.md). Restart with it.
if (!process.execArgv.includes(LEGACY) && !(process.env.NODE_OPTIONS ?? '').includes(LEGACY)) {
  const server = spawn(process.execPath, [LEGACY, ...process.argv.slice(1)], { stdio: 'inherit' });
  // A signal sent to this process alone (`kill <pid>`, a test's child.kill) stops the server too;
  // Ctrl-C reaches both already, and the server stops once.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => server.kill(signal));
  }
  const code = await new Promise<number>((resolve) => {
    server.once('exit', (status, signal) => {
      resolve(status ?? (signal === null ? 1 : 128 + constants.signals[signal]));
    });
  });
  process.exit(code);
}

const { values } = parseArgs({
  options: {
    bucket: { type: 'string', multiple: true, default: [] },
    port: { type: 'string', default: '4568' },
    dir: { type: 'string' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`ferry-s3-server: --port must be a port number, not ${values.port}\n`);
  process.exit(2);
}
await portFree(port).catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  const why = code === 'EADDRINUSE' ? 'is in use' : `cannot be listened on (${code})`;
  process.stderr.write(
    `ferry-s3-server: port ${port} on 127.0.0.1 ${why}; pick another with --port\n`,
  );
  process.exit(2);
});
const server = await startS3Server({
  buckets: values.bucket,
  port,
  ...(values.dir === undefined ? {} : { directory: values.dir }),
}).catch((error: unknown) => {
  // A bad bucket name, a port in use: one line, no stack.
  const text = error instanceof Error ? error.message : String(error);
  process.stderr.write(`ferry-s3-server: ${text}\n`);
  process.exit(2);
});
const { accessKeyId, secretAccessKey } = S3RVER_CREDENTIALS;
process.stderr.write(
  [
    `S3 server on ${server.endpoint} (buckets: ${values.bucket.join(', ') || 'none'})`,
    `objects in ${values.dir ?? 'a temporary directory, removed on exit'}`,
    `config: "endpoint": "${server.endpoint}", "force_path_style": true, "s3_region": "${server.region}"`,
    `credentials: key id ${accessKeyId}, any secret (e.g. ${secretAccessKey})`,
    'Ctrl-C stops it.',
    '',
  ].join('\n'),
);
/** Resolves when `port` can be listened on (s3rver crashes on a port in use instead of failing). */
function portFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(port, '127.0.0.1', () => {
      probe.close(() => {
        resolve();
      });
    });
  });
}

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);
