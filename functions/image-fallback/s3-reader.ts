/**
 * `ObjectReader` on the AWS SDK v3 S3 client: GetObject/HeadObject with the viewer's conditional
 * headers, 404 → missing, 304 → not modified, bodies over the cap left unread. Used by the Lambda
 * (index.ts) and by the local fallback origin against s3rver (local/origins/image-fallback-origin.ts).
 */
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FallbackBucket } from '../../lib/images/fallback';
import type { ObjectReader, ReadRequest, ReadResult } from './handler';

export interface BucketClient {
  readonly client: S3Client;
  readonly bucket: string;
}

function statusOf(e: unknown): number | undefined {
  return (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

export function s3ObjectReader(buckets: Readonly<Record<FallbackBucket, BucketClient>>): ObjectReader {
  return {
    async read(which: FallbackBucket, key: string, req: ReadRequest): Promise<ReadResult> {
      const { client, bucket } = buckets[which];
      const conditions = {
        ...(req.ifNoneMatch ? { IfNoneMatch: req.ifNoneMatch } : {}),
        ...(req.ifModifiedSince ? { IfModifiedSince: new Date(req.ifModifiedSince) } : {}),
      };
      try {
        const r = req.head
          ? await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ...conditions }))
          : await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...conditions }));
        const contentLength = r.ContentLength ?? 0;
        let body: Buffer | undefined;
        if ('Body' in r && r.Body) {
          if (contentLength > req.maxBytes) {
            (r.Body as { destroy?: () => void }).destroy?.();
            return { kind: 'too-large', contentLength };
          }
          body = Buffer.from(await r.Body.transformToByteArray());
        } else if (!req.head && contentLength > req.maxBytes) {
          return { kind: 'too-large', contentLength };
        }
        return {
          kind: 'found',
          object: {
            contentLength,
            ...(body ? { body } : {}),
            ...(r.ContentType ? { contentType: r.ContentType } : {}),
            ...(r.CacheControl ? { cacheControl: r.CacheControl } : {}),
            ...(r.ETag ? { etag: r.ETag } : {}),
            ...(r.LastModified ? { lastModified: r.LastModified } : {}),
          },
        };
      } catch (e) {
        const name = (e as { name?: string }).name;
        // Only a missing key is "missing": NoSuchBucket (a wrong bucket or Region in the settings) must fail loudly.
        // HEAD has no error body, so its 404 is always NotFound.
        if (name === 'NoSuchKey' || (req.head && name === 'NotFound')) return { kind: 'missing' };
        // 304 carries no ETag the SDK exposes; the viewer's cached copy keeps its own.
        if (statusOf(e) === 304) return { kind: 'not-modified' };
        throw e;
      }
    },
  };
}
