import { InternalError } from '@ferry/core';
import { createHash, randomBytes } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the proxy received, before any fault. */
export interface RecordedRequest {
  readonly method: string;
  /** Path and query, e.g. `/bucket/key?uploads=`. */
  readonly url: string;
  /** Header names in lower case. */
  readonly headers: IncomingHttpHeaders;
  /** The fault injected instead of forwarding it, if any. */
  readonly fault?: S3Fault;
}

/**
 * What to answer instead of forwarding: `slow-down` is S3's throttling answer (503 with an XML
 * `SlowDown` code); `slow-down-bare` is a 503 without a body, as load balancers answer; `reset`
 * closes the connection without an answer (ECONNRESET at the client); `drop` reads a PutObject's
 * body and answers 200 with a made-up ETag without storing anything, as a misbehaving store or an
 * interfering proxy does. `drop` applies to PutObject requests only (a PUT that is neither an
 * UploadPart nor a CopyObject): other requests never qualify for a `drop` rule.
 * `require-md5` answers as older MinIO and Ceph RGW answer a DeleteObjects without MD5: 400
 * `MissingContentMD5` when the request has no `Content-MD5` header, 400 `BadDigest` when it is
 * not the base64 MD5 of the body; a request with the right one is forwarded (and recorded without
 * a fault). It counts every request it checks against `times`; pick the requests with `match`
 * (DeleteObjects: a POST with `?delete`).
 */
export type S3Fault = 'slow-down' | 'slow-down-bare' | 'reset' | 'drop' | 'require-md5';

/** A fault to inject into matching requests. */
export interface S3FaultRule {
  readonly fault: S3Fault;
  /** How many matching requests get the fault; default 1, `Infinity` for all. */
  readonly times?: number;
  /** Which requests qualify; default all. */
  readonly match?: (request: RecordedRequest) => boolean;
}

/** Options of {@link startS3Proxy}. */
export interface S3ProxyOptions {
  /**
   * Acts as if every bucket lived in this AWS region: a request signed (SigV4) for another region
   * is answered as S3 answers it, `400 AuthorizationHeaderMalformed` naming the right region in
   * the body and in `x-amz-bucket-region`, and is not forwarded. s3rver itself ignores regions.
   */
  readonly bucketRegion?: string;
  /**
   * `access-denied` answers a GET or HEAD of a missing object with `403 AccessDenied` instead of
   * s3rver's 404, as S3 does when the caller's `s3:ListBucket` does not cover the key (a HEAD or
   * GET carries no `s3:prefix`, so a ListBucket limited to a prefix never does). Default
   * `not-found`.
   */
  readonly missingObjects?: 'not-found' | 'access-denied';
}

/** A recording, fault-injecting HTTP proxy in front of an S3 server. */
export interface S3Proxy {
  /** `http://127.0.0.1:<port>`: point clients here instead of at the server. */
  readonly endpoint: string;
  /** Every request received so far, in order of arrival. */
  readonly requests: readonly RecordedRequest[];
  /** Adds a fault rule; the oldest matching rule with faults left applies. */
  inject(rule: S3FaultRule): void;
  /** Forgets recorded requests and rules. */
  reset(): void;
  /** Stops the proxy, dropping open connections. */
  close(): Promise<void>;
}

interface Rule {
  readonly fault: S3Fault;
  left: number;
  readonly match: (request: RecordedRequest) => boolean;
}

const SLOW_DOWN_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>' +
  '<Message>Please reduce your request rate.</Message></Error>';

/**
 * Starts an HTTP proxy on 127.0.0.1 forwarding every request to `target` (an s3rver endpoint),
 * recording it, and answering some with injected faults instead: what s3rver cannot do itself
 * (throttling, 5xx, resets, acknowledging a write it never stored, requiring Content-MD5) and
 * what it does not show (headers it ignores, such as SSE).
 * Forwarded requests keep their headers, so SigV4 signatures made for the proxy's host still
 * verify.
 */
export async function startS3Proxy(target: string, options: S3ProxyOptions = {}): Promise<S3Proxy> {
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  let rules: Rule[] = [];
  const server = createServer((req, res) => {
    const seen: RecordedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
    };
    const signedFor = signingRegion(seen);
    const { bucketRegion } = options;
    if (bucketRegion !== undefined && signedFor !== undefined && signedFor !== bucketRegion) {
      requests.push(seen);
      answerWrongRegion(req, res, { signedFor, bucketRegion });
      return;
    }
    const rule = rules.find((r) => r.left > 0 && canInject(r.fault, seen) && r.match(seen));
    if (rule === undefined) {
      requests.push(seen);
      const hideMissing = options.missingObjects === 'access-denied' && isObjectRead(seen);
      forward(req, res, { upstream, hideMissing });
      return;
    }
    rule.left -= 1;
    if (rule.fault === 'require-md5') {
      const index = requests.push(seen) - 1;
      requireMd5(req, res, {
        upstream,
        rejected: () => {
          requests[index] = { ...seen, fault: 'require-md5' };
        },
      });
      return;
    }
    requests.push({ ...seen, fault: rule.fault });
    answerFault(req, res, rule.fault);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    inject: (rule) => {
      rules.push({ fault: rule.fault, left: rule.times ?? 1, match: rule.match ?? (() => true) });
    },
    reset: () => {
      requests.length = 0;
      rules = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** The region of a SigV4 `Authorization` header's scope (`Credential=AKID/date/REGION/s3/…`). */
function signingRegion(request: RecordedRequest): string | undefined {
  const header = request.headers.authorization;
  return header === undefined ? undefined : /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(header)?.[1];
}

function answerWrongRegion(
  req: IncomingMessage,
  res: ServerResponse,
  regions: { readonly signedFor: string; readonly bucketRegion: string },
): void {
  const { signedFor, bucketRegion } = regions;
  req.resume();
  req.once('end', () => {
    // HEAD answers carry no body: the header is then all a client learns (as from S3).
    const xml =
      req.method === 'HEAD'
        ? undefined
        : '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AuthorizationHeaderMalformed</Code>' +
          `<Message>The authorization header is malformed; the region '${signedFor}' is wrong; ` +
          `expecting '${bucketRegion}'</Message><Region>${bucketRegion}</Region></Error>`;
    res.writeHead(400, {
      'x-amz-bucket-region': bucketRegion,
      ...(xml === undefined ? {} : { 'content-type': 'application/xml' }),
    });
    res.end(xml);
  });
}

/** A PutObject: a PUT of an object that is neither an UploadPart nor a CopyObject. */
function isPutObject(request: RecordedRequest): boolean {
  const query = new URL(request.url, 'http://proxy').searchParams;
  return (
    request.method === 'PUT' &&
    !query.has('partNumber') &&
    request.headers['x-amz-copy-source'] === undefined
  );
}

function canInject(fault: S3Fault, request: RecordedRequest): boolean {
  return fault !== 'drop' || isPutObject(request);
}

function answerFault(req: IncomingMessage, res: ServerResponse, fault: S3Fault): void {
  if (fault === 'reset') {
    req.socket.destroy();
    return;
  }
  // Read the body first: answering mid-upload would look like a reset to the client.
  req.resume();
  req.once('end', () => {
    if (fault === 'drop') {
      res.writeHead(200, { etag: `"${randomBytes(16).toString('hex')}"`, 'content-length': 0 });
      res.end();
      return;
    }
    const xml = fault === 'slow-down';
    res.writeHead(503, xml ? { 'content-type': 'application/xml' } : {});
    res.end(xml ? SLOW_DOWN_XML : undefined);
  });
}

/** Forwards the request when its `Content-MD5` is the body's, else answers as a store would. */
function requireMd5(
  req: IncomingMessage,
  res: ServerResponse,
  context: { readonly upstream: URL; readonly rejected: () => void },
): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.once('end', () => {
    const body = Buffer.concat(chunks);
    const sent = req.headers['content-md5'];
    if (sent === createHash('md5').update(body).digest('base64')) {
      forward(req, res, { upstream: context.upstream, hideMissing: false, body });
      return;
    }
    context.rejected();
    const [code, message] =
      sent === undefined
        ? ['MissingContentMD5', 'Missing required header for this request: Content-Md5.']
        : ['BadDigest', 'The Content-Md5 you specified did not match what we received.'];
    res.writeHead(400, { 'content-type': 'application/xml' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    );
  });
}

/** A GET or HEAD of an object (a path below a bucket), not a listing or a bucket request. */
function isObjectRead(request: RecordedRequest): boolean {
  const path = new URL(request.url, 'http://proxy').pathname;
  return (request.method === 'GET' || request.method === 'HEAD') && /^\/[^/]+\/./.test(path);
}

const ACCESS_DENIED_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>' +
  '<Message>Access Denied</Message></Error>';

function forward(
  req: IncomingMessage,
  res: ServerResponse,
  to: { readonly upstream: URL; readonly hideMissing: boolean; readonly body?: Buffer },
): void {
  const { upstream } = to;
  // Node already answered `Expect: 100-continue`; passing it on would make s3rver wait again.
  const { expect: _expect, ...headers } = req.headers;
  const out = httpRequest(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers,
    },
    (answer) => {
      if (to.hideMissing && answer.statusCode === 404) {
        answer.resume();
        const body = req.method === 'HEAD' ? undefined : ACCESS_DENIED_XML;
        res.writeHead(403, body === undefined ? {} : { 'content-type': 'application/xml' });
        res.end(body);
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on('error', (error) => {
    res.destroy(
      new InternalError(`proxying ${req.method ?? ''} ${req.url ?? ''}`, { cause: error }),
    );
  });
  if (to.body === undefined) req.pipe(out);
  else out.end(to.body);
}
