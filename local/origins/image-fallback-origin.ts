/**
 * The images fallback origin on 127.0.0.1: the Lambda's own handler (functions/image-fallback) on a
 * local function URL, reading the plan's primary and replica images buckets from s3rver or LocalStack.
 */
import { createFallbackHandler } from '../../functions/image-fallback/handler';
import { s3ObjectReader } from '../../functions/image-fallback/s3-reader';
import { FALLBACK_DEFAULTS } from '../../lib/images/fallback';
import { startFunctionUrlOrigin, type FunctionUrlOrigin } from './function-url-origin';
import { localS3Client } from './s3-origin';

export interface ImageFallbackOriginOptions {
  readonly s3Endpoint: string;
  readonly primaryBucket: string;
  readonly replicaBucket: string;
  readonly port?: number;
  readonly maxBodyBytes?: number;
  readonly originalMaxAgeSeconds?: number;
}

export async function startImageFallbackOrigin(opts: ImageFallbackOriginOptions): Promise<FunctionUrlOrigin> {
  const client = localS3Client(opts.s3Endpoint);
  const reader = s3ObjectReader({ primary: { client, bucket: opts.primaryBucket }, replica: { client, bucket: opts.replicaBucket } });
  const handler = createFallbackHandler(reader, {
    maxBodyBytes: opts.maxBodyBytes ?? FALLBACK_DEFAULTS.maxBodyBytes,
    originalMaxAgeSeconds: opts.originalMaxAgeSeconds ?? FALLBACK_DEFAULTS.originalMaxAgeSeconds,
  });
  const origin = await startFunctionUrlOrigin(handler, opts.port);
  return {
    ...origin,
    close: async () => {
      await origin.close();
      client.destroy();
    },
  };
}
