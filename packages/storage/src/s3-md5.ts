import type { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';

/** The parts of the SDK's HTTP request this middleware reads and changes. */
interface RequestParts {
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * Makes `client` send DeleteObjects with a `Content-MD5` header (base64 of the MD5 of the body)
 * instead of a flexible checksum. DeleteObjects requires a checksum; since SDK v3.729 it sends
 * `x-amz-checksum-crc32` (and `x-amz-sdk-checksum-algorithm`) but no `Content-MD5`, and older
 * MinIO and Ceph RGW answer that with `400 MissingContentMD5` (aws-sdk-js-v3 issues #6819 and
 * #6920). This is the SDK's documented workaround (supplemental-docs/MD5_FALLBACK.md): a
 * middleware that computes Content-MD5 and removes the `x-amz-checksum-*` headers. It runs in the
 * build step after the SDK's checksum middleware (priority `low`), so before signing: the signed
 * headers are the ones sent. Meant for custom endpoints only: AWS accepts the flexible checksum.
 */
export function sendContentMd5OnDeleteObjects(client: S3Client): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as RequestParts | undefined;
      if (context.commandName === 'DeleteObjectsCommand' && request?.headers !== undefined) {
        const body = bodyBytes(request.body);
        // A body of another shape (a stream) cannot be hashed without consuming it; DeleteObjects
        // is always serialized to a string, so this is only a guard.
        if (body !== undefined) useContentMd5(request, body);
      }
      return next(args);
    },
    { step: 'build', priority: 'low', name: 'ferryDeleteObjectsContentMd5' },
  );
}

function useContentMd5(request: RequestParts, body: Uint8Array): void {
  const kept = Object.entries(request.headers).filter(([name]) => {
    const lower = name.toLowerCase();
    return !lower.startsWith('x-amz-checksum-') && !lower.startsWith('x-amz-sdk-checksum-');
  });
  request.headers = {
    ...Object.fromEntries(kept),
    'content-md5': createHash('md5').update(body).digest('base64'),
  };
}

function bodyBytes(body: unknown): Uint8Array | undefined {
  if (body === undefined || body === null) return new Uint8Array(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return body instanceof Uint8Array ? body : undefined;
}
