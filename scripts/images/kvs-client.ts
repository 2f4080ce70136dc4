/**
 * How the CloudFront KeyValueStore's failures read (the client itself: adapters/aws-clients.ts
 * `keyValueStoreClient`, which also explains the endpoint rewrite the service needs).
 */

export const KVS_ENDPOINT_ENV = 'AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE';

const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'ETIMEDOUT']);

/** Whether a write failed because the store changed since its ETag was read: retry with a fresh ETag. */
export function isStaleEtagError(e: unknown): boolean {
  const err = e as { name?: string; message?: string };
  return err.name === 'ConflictException' || (err.name === 'ValidationException' && /pre-?condition failed/i.test(err.message ?? ''));
}

/** One sentence for a KeyValueStore failure: what failed, what AWS said, and the fix. */
export function describeKvsError(e: unknown, action: string, arn: string): string {
  const err = e as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = err.name ?? '';
  const said = (err.message ?? '').split('\n')[0] ?? '';
  if (name === 'ResourceNotFoundException') {
    return `KeyValueStore '${arn}' does not exist (${said}); check the imageIndexStoreArn stack output and --endpoint / ${KVS_ENDPOINT_ENV}.`;
  }
  if (name === 'AccessDeniedException' || err.$metadata?.httpStatusCode === 403) {
    return `missing permission ${action} on KeyValueStore '${arn}' (AWS said: ${said}); grant it to the caller's role.`;
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(said)) {
    return `no AWS credentials to call ${action}; set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (any values for a local --endpoint).`;
  }
  if (NETWORK.has(err.code ?? '') || NETWORK.has(name)) {
    return `cannot reach the KeyValueStore endpoint for ${action} on '${arn}' (${err.code ?? name}: ${said}); check --endpoint / ${KVS_ENDPOINT_ENV} / AWS_ENDPOINT_URL and the network.`;
  }
  if (name === 'ServiceQuotaExceededException') {
    return `KeyValueStore '${arn}' refused ${action}: ${said} (quotas: key 512 B, value 1 KB, store 5 MB, spec §15.1); remove stale keys or split the index (docs/images-and-compression.md).`;
  }
  return `${action} on KeyValueStore '${arn}' failed: ${name || 'Error'}: ${said}.`;
}
