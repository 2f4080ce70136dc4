/**
 * The S3 calls of tagging: list a prefix page by page, read an object's headers and metadata, and
 * rewrite its metadata in place (CopyObject onto itself, or part by part above 5 GB). The request
 * shapes are lib/tagging's (`copyInPlaceRequest`, `copyPartRanges`); this module only sends them.
 */
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, HeadObjectCommand,
  paginateListObjectsV2, UploadPartCopyCommand, type CopyObjectCommandInput, type S3Client,
} from '@aws-sdk/client-s3';
import { copyPartRanges, MAX_SINGLE_COPY_BYTES, preservedHeaders, copySourceOf, copyInPlaceRequest, type ObjectHead } from '../../lib/tagging';

/** One ListObjectsV2 page: keys in order, and whether another page follows. */
export interface KeyPage {
  readonly keys: readonly { key: string; size: number }[];
  readonly last: boolean;
}

/** The pages of keys under `prefix`, after `startAfter` when resuming (the SDK's paginateListObjectsV2). */
export async function* keyPages(s3: S3Client, bucket: string, prefix: string, o: { startAfter?: string; pageSize?: number } = {}): AsyncGenerator<KeyPage> {
  const input = { Bucket: bucket, Prefix: prefix, ...(o.startAfter ? { StartAfter: o.startAfter } : {}) };
  for await (const r of paginateListObjectsV2({ client: s3, pageSize: o.pageSize ?? 1000 }, input)) {
    const keys = (r.Contents ?? []).filter((c) => c.Key !== undefined).map((c) => ({ key: c.Key!, size: c.Size ?? 0 }));
    yield { keys, last: !(r.IsTruncated && r.NextContinuationToken) };
  }
}

/** HeadObject as lib/tagging's `ObjectHead`; undefined when the object does not exist (any more). */
export async function headObject(s3: S3Client, bucket: string, key: string): Promise<ObjectHead | undefined> {
  try {
    const r = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return {
      metadata: r.Metadata ?? {},
      ...(r.ContentType !== undefined ? { contentType: r.ContentType } : {}),
      ...(r.CacheControl !== undefined ? { cacheControl: r.CacheControl } : {}),
      ...(r.ContentEncoding !== undefined ? { contentEncoding: r.ContentEncoding } : {}),
      ...(r.ContentDisposition !== undefined ? { contentDisposition: r.ContentDisposition } : {}),
      ...(r.ContentLanguage !== undefined ? { contentLanguage: r.ContentLanguage } : {}),
      ...(r.Expires !== undefined ? { expires: r.Expires } : {}),
      ...(r.ETag !== undefined ? { etag: r.ETag } : {}),
      ...(r.ContentLength !== undefined ? { size: r.ContentLength } : {}),
      ...(r.StorageClass !== undefined ? { storageClass: r.StorageClass } : {}),
      ...(r.ServerSideEncryption !== undefined ? { serverSideEncryption: r.ServerSideEncryption } : {}),
      ...(r.SSEKMSKeyId !== undefined ? { sseKmsKeyId: r.SSEKMSKeyId } : {}),
    };
  } catch (e) {
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (err.name === 'NotFound' || err.name === 'NoSuchKey' || err.$metadata?.httpStatusCode === 404) return undefined;
    throw e;
  }
}

/**
 * Replaces the object's user metadata, keeping its body and headers. Up to 5 GB one CopyObject
 * (conditional on the ETag read); above, a multipart copy of the object onto itself.
 */
export async function copyInPlace(s3: S3Client, bucket: string, key: string, head: ObjectHead, metadata: Readonly<Record<string, string>>, partBytes?: number): Promise<void> {
  if ((head.size ?? 0) <= MAX_SINGLE_COPY_BYTES) {
    await s3.send(new CopyObjectCommand(copyInPlaceRequest(bucket, key, head, metadata) as unknown as CopyObjectCommandInput));
    return;
  }
  const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, Metadata: { ...metadata }, ...preservedHeaders(head) }));
  const uploadId = created.UploadId!;
  try {
    const parts: { ETag: string; PartNumber: number }[] = [];
    const ranges = copyPartRanges(head.size!, partBytes);
    for (let i = 0; i < ranges.length; i++) {
      const r = await s3.send(new UploadPartCopyCommand({
        Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: i + 1, CopySource: copySourceOf(bucket, key), CopySourceRange: ranges[i],
        ...(head.etag !== undefined ? { CopySourceIfMatch: head.etag } : {}),
      }));
      parts.push({ ETag: r.CopyPartResult!.ETag!, PartNumber: i + 1 });
    }
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
  } catch (e) {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
    throw e;
  }
}
