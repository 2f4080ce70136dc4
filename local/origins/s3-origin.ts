/**
 * The S3 origins of the local stack: an s3rver instance on 127.0.0.1 holding the plan's buckets, and
 * an S3 client (the real AWS SDK) pointed at it for seeding. LocalStack or any S3-compatible endpoint
 * can stand in for it (pass its URL to the edge instead).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { DUMMY_ACCOUNT } from 's3rver/lib/models/account';
import { s3Client, STAND_IN_CREDENTIALS } from '../../adapters/aws-clients';

/** s3rver's built-in credentials. */
export const S3RVER_CREDENTIALS = Object.freeze({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });

// s3rver knows one access key; accept the scripts' stand-in credentials too (LocalStack's convention),
// so every script works against either unchanged.
DUMMY_ACCOUNT.createKeyPair(STAND_IN_CREDENTIALS.accessKeyId, STAND_IN_CREDENTIALS.secretAccessKey);

export interface S3OriginServer {
  /** `http://127.0.0.1:<port>`: path-style bucket URLs. */
  readonly endpoint: string;
  readonly port: number;
  /** Folder holding the buckets. */
  readonly directory: string;
  close(): Promise<void>;
}

export interface S3OriginOptions {
  /** Buckets to create (existing ones are kept). */
  readonly buckets: readonly string[];
  /** Folder for the objects; a temporary folder, deleted on close, when absent. */
  readonly directory?: string;
  /** @default 0 (ephemeral) */
  readonly port?: number;
}

export async function startS3Origin(opts: S3OriginOptions): Promise<S3OriginServer> {
  const temporary = opts.directory === undefined;
  const directory = opts.directory ?? mkdtempSync(join(tmpdir(), 'media-cdn-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: opts.port ?? 0,
    silent: true,
    // any credentials work locally (scripts use their own or LocalStack-style 'test' keys)
    allowMismatchedSignatures: true,
    directory,
    configureBuckets: opts.buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    directory,
    async close() {
      await server.close();
      if (temporary) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * An S3 client for the local stack's own s3rver or a LocalStack endpoint (us-east-1, s3rver's
 * credentials); the one S3 factory (adapters/aws-clients.ts) with no line on stderr: the caller chose
 * the endpoint and the credentials.
 */
export function localS3Client(endpoint: string, credentials = S3RVER_CREDENTIALS): S3Client {
  return s3Client({ endpoint, credentials, allowRemoteEndpoint: true, announce: false }, 'us-east-1');
}
