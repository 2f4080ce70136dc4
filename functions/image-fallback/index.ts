/**
 * Lambda entry point of the images fallback origin (bundled by esbuild when the program runs; the
 * AWS SDK v3 of the Node.js runtime is used, not bundled). One S3 client per bucket Region; the
 * settings come from the `MEDIA_CDN_IMAGE_FALLBACK` environment variable the program sets.
 * `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL` point the clients elsewhere (LocalStack), as everywhere.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { FALLBACK_SETTINGS_VARIABLE, parseFallbackSettings } from '../../lib/images/fallback';
import { createFallbackHandler, FALLBACK_HEADER, type FunctionUrlEvent, type FunctionUrlResult } from './handler';
import { s3ObjectReader } from './s3-reader';

const settings = parseFallbackSettings(process.env[FALLBACK_SETTINGS_VARIABLE]);
/**
 * Short timeouts and one retry: during a Region failure the primary must fail fast, so that the
 * replica answers well within the function's timeout and concurrency is not held by hung reads.
 */
const client = (region: string) => new S3Client({ region, maxAttempts: 2, requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 } });
const reader = s3ObjectReader({
  replica: { client: client(settings.replicaRegion), bucket: settings.replicaBucket },
  primary: { client: client(settings.primaryRegion), bucket: settings.primaryBucket },
});
const serve = createFallbackHandler(reader, settings, (e) => console.error(JSON.stringify({ primaryUnreachable: String(e) })));

export async function handler(event: FunctionUrlEvent): Promise<FunctionUrlResult> {
  try {
    const r = await serve(event);
    console.log(JSON.stringify({ path: event.rawPath, status: r.statusCode, served: r.headers[FALLBACK_HEADER] ?? null }));
    return r;
  } catch (e) {
    console.error(JSON.stringify({ path: event.rawPath, error: String(e) }));
    return { statusCode: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }, body: 'origin read failed\n', isBase64Encoded: false };
  }
}
