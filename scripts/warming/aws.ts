/**
 * The S3 client the warmer lists buckets with: `--endpoint` (or the SDK's AWS_ENDPOINT_URL /
 * AWS_ENDPOINT_URL_S3) points it at LocalStack or the local s3rver, path-style; with a custom endpoint
 * and no credentials in the environment, LocalStack-style fake credentials are used.
 */
import { S3Client } from '@aws-sdk/client-s3';

export function warmS3Client(region: string, endpoint?: string): S3Client {
  const custom = endpoint !== undefined || process.env.AWS_ENDPOINT_URL !== undefined || process.env.AWS_ENDPOINT_URL_S3 !== undefined;
  return new S3Client({
    region,
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(custom ? { forcePathStyle: true } : {}),
    ...(custom && !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE ? { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } } : {}),
  });
}
