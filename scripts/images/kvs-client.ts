/**
 * How the CloudFront KeyValueStore's failures read (the client itself: adapters/aws-clients.ts
 * `keyValueStoreClient`, which also explains the endpoint rewrite the service needs).
 */

import { awsCallFailure } from '../../lib/error-kinds';

export const KVS_ENDPOINT_ENV = 'AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE';

/** Whether a write failed because the store changed since its ETag was read: retry with a fresh ETag. */
export function isStaleEtagError(e: unknown): boolean {
  const err = e as { name?: string; message?: string };
  return err.name === 'ConflictException' || (err.name === 'ValidationException' && /pre-?condition failed/i.test(err.message ?? ''));
}

/**
 * One sentence for a KeyValueStore failure: what failed, what AWS said, and the fix. The environment's
 * failures (credentials, permissions, throttling, endpoints) read as `awsCallFailure` says them.
 */
export function describeKvsError(e: unknown, action: string, arn: string): string {
  const err = e as { name?: string; message?: string };
  const name = err.name ?? '';
  const said = (err.message ?? '').split('\n')[0] ?? '';
  if (name === 'ResourceNotFoundException') {
    return `KeyValueStore '${arn}' does not exist (${said}); check the imageIndexStoreArn stack output and --endpoint / ${KVS_ENDPOINT_ENV}.`;
  }
  if (name === 'ServiceQuotaExceededException') {
    return `KeyValueStore '${arn}' refused ${action}: ${said} (quotas: key 512 B, value 1 KB, store 5 MB, spec §15.1); remove stale keys or split the index (docs/images-and-compression.md).`;
  }
  const environment = awsCallFailure(e, action, `KeyValueStore '${arn}'`, `--endpoint / ${KVS_ENDPOINT_ENV} / AWS_ENDPOINT_URL`);
  if (environment) return environment.message;
  return `${action} on KeyValueStore '${arn}' failed: ${name || 'Error'}: ${said}.`;
}
