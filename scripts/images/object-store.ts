/**
 * Where the image and compression scripts read and write objects: an S3 bucket (the stack's, or any
 * bucket behind --endpoint / AWS_ENDPOINT_URL such as s3rver or LocalStack) or a local folder laid out
 * like the bucket. Both take the same keys; the folder derives Content-Type and Content-Encoding from
 * extensions, as an uploader that sets them from the file name would.
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, paginateListObjectsV2, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { mediaTypeForKey, precompressedCopyOf } from '../../lib/compression/media-types';
import { awsCallFailure } from '../../lib/error-kinds';
import { InputError } from '../../lib/errors';
import { checkObjectKey } from '../../lib/object-key';

export interface ListedObject {
  readonly key: string;
  readonly size: number;
  /** S3 ETag without quotes; absent for local files. */
  readonly etag?: string;
}

export interface StoredObject {
  readonly body: Buffer;
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly cacheControl?: string;
  readonly etag?: string;
}

export interface PutOptions {
  readonly contentType: string;
  readonly cacheControl?: string;
  readonly contentEncoding?: string;
}

export interface ObjectStore {
  /** `s3://bucket` or the folder path, for messages. */
  readonly label: string;
  /** Every object under `prefix`, in key order. */
  list(prefix: string): Promise<ListedObject[]>;
  /** The object, or undefined when there is none. */
  get(key: string): Promise<StoredObject | undefined>;
  /** The object's metadata without its body (`body` is empty), or undefined when there is none. */
  head(key: string): Promise<StoredObject | undefined>;
  put(key: string, body: Buffer, opts: PutOptions): Promise<void>;
  /** Removes the object (a delete marker in a versioned bucket); a missing object is not an error. */
  delete(key: string): Promise<void>;
}

/** Rethrows an S3 failure in one line: a missing bucket as bad input, the environment's as exit 3 (`awsCallFailure`). */
export function explainS3Error(e: unknown, action: string, bucket: string): never {
  const err = e as { name?: string; message?: string };
  if (err.name === 'NoSuchBucket') throw new InputError(`bucket '${bucket}' does not exist (${(err.message ?? '').split('\n')[0]}); check the stack outputs or --endpoint.`);
  throw awsCallFailure(e, action, `bucket '${bucket}'`) ?? e;
}

export class S3ObjectStore implements ObjectStore {
  readonly label: string;
  constructor(private readonly client: S3Client, readonly bucket: string) {
    this.label = `s3://${bucket}`;
  }

  async list(prefix: string): Promise<ListedObject[]> {
    const out: ListedObject[] = [];
    try {
      for await (const page of paginateListObjectsV2({ client: this.client, pageSize: 1000 }, { Bucket: this.bucket, Prefix: prefix })) {
        for (const o of page.Contents ?? []) {
          if (!o.Key || o.Key.endsWith('/')) continue;
          out.push({ key: o.Key, size: o.Size ?? 0, ...(o.ETag ? { etag: o.ETag.replace(/"/g, '') } : {}) });
        }
      }
    } catch (e) {
      explainS3Error(e, 's3:ListBucket', this.bucket);
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async get(key: string): Promise<StoredObject | undefined> {
    return this.read(async () => {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return { ...metadataOf(r), body: Buffer.from(await r.Body!.transformToByteArray()) };
    });
  }

  async head(key: string): Promise<StoredObject | undefined> {
    return this.read(async () => ({ ...metadataOf(await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }))), body: Buffer.alloc(0) }));
  }

  /** A GetObject/HeadObject whose "no such key" is `undefined`; other failures explained. */
  private async read(send: () => Promise<StoredObject>): Promise<StoredObject | undefined> {
    try {
      return await send();
    } catch (e) {
      const name = (e as { name?: string }).name;
      if (name === 'NoSuchKey' || name === 'NotFound') return undefined;
      return explainS3Error(e, 's3:GetObject', this.bucket);
    }
  }

  async put(key: string, body: Buffer, opts: PutOptions): Promise<void> {
    checkObjectKey(key, 'object key');
    await this.client.send(new PutObjectCommand({
      Bucket: this.bucket, Key: key, Body: body, ContentType: opts.contentType,
      ...(opts.cacheControl ? { CacheControl: opts.cacheControl } : {}),
      ...(opts.contentEncoding ? { ContentEncoding: opts.contentEncoding } : {}),
    })).catch((e: unknown) => explainS3Error(e, 's3:PutObject', this.bucket));
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }))
      .catch((e: unknown) => explainS3Error(e, 's3:DeleteObject', this.bucket));
  }
}

/** The headers of a GetObject or HeadObject answer that the scripts use (ETag without quotes). */
function metadataOf(r: { ContentType?: string; ContentEncoding?: string; CacheControl?: string; ETag?: string }): Omit<StoredObject, 'body'> {
  return {
    ...(r.ContentType ? { contentType: r.ContentType } : {}),
    ...(r.ContentEncoding ? { contentEncoding: r.ContentEncoding } : {}),
    ...(r.CacheControl ? { cacheControl: r.CacheControl } : {}),
    ...(r.ETag ? { etag: r.ETag.replace(/"/g, '') } : {}),
  };
}

/** A local folder standing in for a bucket: key `a/b.jpg` is file `<root>/a/b.jpg`. */
export class DirObjectStore implements ObjectStore {
  readonly root: string;
  readonly label: string;
  constructor(root: string) {
    this.root = resolve(root);
    if (!existsSync(this.root) || !statSync(this.root).isDirectory()) throw new InputError(`--dir '${root}' is not a folder; give the folder that holds the objects (laid out like the bucket).`);
    this.label = this.root;
  }

  private file(key: string): string {
    const f = resolve(this.root, key);
    if (f !== this.root && !f.startsWith(this.root + sep)) throw new InputError(`key '${key}' points outside ${this.root}.`);
    return f;
  }

  async list(prefix: string): Promise<ListedObject[]> {
    const out: ListedObject[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile() && !e.name.endsWith('.tmp')) {
          const key = relative(this.root, p).split(sep).join('/');
          if (key.startsWith(prefix)) out.push({ key, size: statSync(p).size });
        }
      }
    };
    walk(this.root);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const meta = await this.head(key);
    return meta && { ...meta, body: readFileSync(this.file(key)) };
  }

  async head(key: string): Promise<StoredObject | undefined> {
    const f = this.file(key);
    if (!existsSync(f) || !statSync(f).isFile()) return undefined;
    const copy = precompressedCopyOf(key);
    const contentType = mediaTypeForKey(copy ? copy.sourceKey : key);
    return { body: Buffer.alloc(0), ...(contentType ? { contentType } : {}), ...(copy ? { contentEncoding: copy.encoding } : {}) };
  }

  async put(key: string, body: Buffer): Promise<void> {
    checkObjectKey(key, 'object key');
    const f = this.file(key);
    mkdirSync(dirname(f), { recursive: true });
    const tmp = `${f}.${process.pid}.tmp`;
    writeFileSync(tmp, body);
    renameSync(tmp, f);
  }

  async delete(key: string): Promise<void> {
    rmSync(this.file(key), { force: true });
  }
}
