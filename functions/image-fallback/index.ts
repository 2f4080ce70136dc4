/**
 * Lambda entry point of the images fallback origin (bundled by esbuild when the program runs; the
 * AWS SDK v3 of the Node.js runtime is used, not bundled). One S3 client per bucket Region; the
 * settings come from the `MEDIA_CDN_IMAGE_FALLBACK` environment variable the program sets.
 * `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL` point the clients elsewhere (LocalStack), as everywhere.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { FALLBACK_SETTINGS_VARIABLE, parseFallbackSettings } from '../../lib/images/fallback';
import { createFallbackHandler, type FunctionUrlEvent, type FunctionUrlResult } from './handler';
import { s3ObjectReader } from './s3-reader';

const settings = parseFallbackSettings(process.env[FALLBACK_SETTINGS_VARIABLE]);
const reader = s3ObjectReader({
  replica: { client: new S3Client({ region: settings.replicaRegion }), bucket: settings.replicaBucket },
  primary: { client: new S3Client({ region: settings.primaryRegion }), bucket: settings.primaryBucket },
});
const serve = createFallbackHandler(reader, settings);

export async function handler(event: FunctionUrlEvent): Promise<FunctionUrlResult> {
  try {
    const r = await serve(event);
    console.log(JSON.stringify({ path: event.rawPath, status: r.statusCode, served: r.headers['x-media-cdn-fallback'] ?? null }));
    return r;
  } catch (e) {
    console.error(JSON.stringify({ path: event.rawPath, error: String(e) }));
    return { statusCode: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }, body: 'origin read failed\n', isBase64Encoded: false };
  }
}
