/**
 * The upload helper: puts a new object with the cache-tag metadata the catalog derives for its key
 * (and its `release`), so it is tagged from its first fetch and never needs `npm run tag`. The
 * metadata itself is lib/tagging `taggedMetadata`; this only sends PutObject.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { cacheControlForPath } from '../../lib/catalog';
import { taggedMetadata, type TagSettings } from '../../lib/tagging';

export interface TaggedUpload {
  readonly bucket: string;
  readonly key: string;
  readonly body: Buffer | Uint8Array | string;
  readonly contentType: string;
  /** @default the catalog's Cache-Control for the key's route (lib/catalog cacheControlForPath: TTL and stale windows) */
  readonly cacheControl?: string;
  readonly contentEncoding?: string;
  /** Other user metadata (e.g. `release`), kept; the cache-tag key is set from the catalog. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * PutObject with the object's cache tags in its user metadata. Returns the tags.
 * @throws InputError when a derived tag breaks CloudFront's rules (nothing is uploaded then).
 */
export async function putTaggedObject(s3: S3Client, settings: TagSettings, o: TaggedUpload): Promise<string[]> {
  const { metadata, tags } = taggedMetadata(settings, o.key, o.metadata ?? {});
  await s3.send(new PutObjectCommand({
    Bucket: o.bucket, Key: o.key, Body: o.body, ContentType: o.contentType, Metadata: metadata,
    CacheControl: o.cacheControl ?? cacheControlForPath(settings.catalog, o.key),
    ...(o.contentEncoding !== undefined ? { ContentEncoding: o.contentEncoding } : {}),
  }));
  return tags;
}
