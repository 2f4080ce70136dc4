/**
 * Rewriting an object's metadata in place (S3 CopyObject onto itself with `MetadataDirective:
 * REPLACE`) as plain request data: a replace-copy drops every header not given again, so the
 * request repeats the object's Content-Type, Cache-Control, Content-Encoding, Content-Disposition,
 * Content-Language, Expires, storage class and KMS key, and is conditional on the ETag the object
 * was read with (a concurrent upload makes it fail instead of being overwritten with old metadata).
 * Objects over 5 GB (CopyObject's limit) are copied part by part (UploadPartCopy).
 *
 * Source: https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html ,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/CopyingObjectsMPUapi.html
 */

/** What HeadObject says about an object (the fields a replace-copy must repeat). */
export interface ObjectHead {
  readonly contentType?: string;
  readonly cacheControl?: string;
  readonly contentEncoding?: string;
  readonly contentDisposition?: string;
  readonly contentLanguage?: string;
  readonly expires?: Date;
  /** With quotes, as S3 returns it. */
  readonly etag?: string;
  readonly size?: number;
  readonly storageClass?: string;
  readonly serverSideEncryption?: string;
  readonly sseKmsKeyId?: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** Largest object one CopyObject copies, bytes (5 GB). */
export const MAX_SINGLE_COPY_BYTES = 5 * 1024 ** 3;
/** Smallest and largest part of a multipart copy (5 MiB, 5 GiB) and most parts (10,000). */
export const MIN_PART_BYTES = 5 * 1024 ** 2;
export const MAX_PARTS = 10_000;
/** Part size used unless the object needs larger ones to stay within 10,000 parts. */
export const DEFAULT_COPY_PART_BYTES = 512 * 1024 ** 2;

/**
 * `x-amz-copy-source` of a key: `bucket/key` with each path segment percent-encoded (slashes kept,
 * which servers that decode with `decodeURI` need too).
 */
export function copySourceOf(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** Headers a replace-copy must send again so that only the metadata changes (CopyObject / CreateMultipartUpload field names). */
export function preservedHeaders(head: ObjectHead): Record<string, string | Date> {
  const out: Record<string, string | Date> = {};
  if (head.contentType !== undefined) out.ContentType = head.contentType;
  if (head.cacheControl !== undefined) out.CacheControl = head.cacheControl;
  if (head.contentEncoding !== undefined) out.ContentEncoding = head.contentEncoding;
  if (head.contentDisposition !== undefined) out.ContentDisposition = head.contentDisposition;
  if (head.contentLanguage !== undefined) out.ContentLanguage = head.contentLanguage;
  if (head.expires !== undefined) out.Expires = head.expires;
  if (head.storageClass !== undefined && head.storageClass !== 'STANDARD') out.StorageClass = head.storageClass;
  if (head.serverSideEncryption === 'aws:kms' || head.serverSideEncryption === 'aws:kms:dsse') {
    out.ServerSideEncryption = head.serverSideEncryption;
    if (head.sseKmsKeyId !== undefined) out.SSEKMSKeyId = head.sseKmsKeyId;
  }
  return out;
}

/** The CopyObject input that replaces an object's user metadata and nothing else. */
export function copyInPlaceRequest(bucket: string, key: string, head: ObjectHead, metadata: Readonly<Record<string, string>>): Record<string, unknown> {
  return {
    Bucket: bucket,
    Key: key,
    CopySource: copySourceOf(bucket, key),
    MetadataDirective: 'REPLACE',
    Metadata: { ...metadata },
    ...preservedHeaders(head),
    ...(head.etag !== undefined ? { CopySourceIfMatch: head.etag } : {}),
  };
}

/** Byte ranges (`bytes=a-b`, inclusive) of a multipart copy of `size` bytes. */
export function copyPartRanges(size: number, partBytes = DEFAULT_COPY_PART_BYTES): string[] {
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`copyPartRanges: size must be a whole number of bytes, got ${size}.`);
  const part = Math.max(MIN_PART_BYTES, partBytes, Math.ceil(size / MAX_PARTS));
  const out: string[] = [];
  for (let start = 0; start < size; start += part) out.push(`bytes=${start}-${Math.min(size, start + part) - 1}`);
  return out;
}
