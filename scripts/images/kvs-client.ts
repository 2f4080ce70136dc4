/**
 * The CloudFront KeyValueStore data-plane client the image pipeline writes its index with, and how its
 * failures read.
 *
 * Two things differ from the other SDK clients:
 * - **Signing.** The service only takes SigV4a (region set `*`). The SDK signs with the CRT
 *   (`@aws-sdk/signature-v4-crt`, native) or, once imported, the pure-JS `@aws-sdk/signature-v4a`,
 *   which this module imports for its side effect of registering the signer.
 * - **Custom endpoints.** The client's endpoint rules put the account id of the store's ARN in front of
 *   the host, also for an explicit `endpoint` (verified: `http://127.0.0.1:4598` becomes
 *   `http://123456789012.127.0.0.1:4598`, an invalid URL; `localhost` becomes
 *   `123456789012.localhost`, which the system resolver does not know). So a loopback endpoint is
 *   rewritten to `localhost` and the client's HTTP agents resolve `localhost` and `*.localhost` to the
 *   loopback address (RFC 6761 §6.3); other host names are left to DNS (LocalStack's
 *   `localhost.localstack.cloud` resolves with any prefix); other IP addresses are refused.
 *
 * Endpoint, most specific first: `--endpoint`, AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE, AWS_ENDPOINT_URL.
 */
import '@aws-sdk/signature-v4a';
import { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { lookup as dnsLookup } from 'node:dns';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { parseEndpoint } from '../lib/endpoint';
import { InputError } from '../../lib/errors';

export const KVS_ENDPOINT_ENV = 'AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE';

export interface KvsEndpointChoice {
  /** The URL given to the client (a loopback address replaced by `localhost`). */
  readonly endpoint: string;
  /** Where `localhost` and `*.localhost` resolve to, when the endpoint is on this machine. */
  readonly loopbackAddress?: string;
}

function isLoopback(ip: string): boolean {
  return isIP(ip) === 4 ? ip.startsWith('127.') : ip === '::1';
}

/**
 * Chooses the KeyValueStore endpoint from the flag and the environment; undefined for AWS's own.
 * @throws InputError for a URL that is not http(s) or an IP address that is not loopback.
 */
export function resolveKvsEndpoint(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): KvsEndpointChoice | undefined {
  const [source, raw] = flag !== undefined ? ['--endpoint', flag]
    : env[KVS_ENDPOINT_ENV] ? [KVS_ENDPOINT_ENV, env[KVS_ENDPOINT_ENV]]
      : env.AWS_ENDPOINT_URL ? ['AWS_ENDPOINT_URL', env.AWS_ENDPOINT_URL] : [undefined, undefined];
  if (raw === undefined || source === undefined) return undefined;
  const url = parseEndpoint(raw, source, 'http://127.0.0.1:4598');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost') return { endpoint: raw, loopbackAddress: '127.0.0.1' };
  if (isIP(host) === 0) return { endpoint: raw };
  if (!isLoopback(host)) {
    throw new InputError(`${source} '${raw}': the KeyValueStore client sends requests to <account>.<endpoint host>, which an IP address cannot take; give a host name that resolves with any prefix (e.g. http://localhost.localstack.cloud:4566), or localhost.`);
  }
  url.hostname = 'localhost';
  return { endpoint: url.toString().replace(/\/$/, raw.endsWith('/') ? '/' : ''), loopbackAddress: host };
}

/** A resolver that answers `localhost` and `*.localhost` with `address` and asks DNS for the rest. */
export function loopbackLookup(address: string): LookupFunction {
  const family = isIP(address);
  return (hostname, options, callback) => {
    if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
      if (options.all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
      else callback(null, address, family);
      return;
    }
    (dnsLookup as unknown as LookupFunction)(hostname, options, callback);
  };
}

export interface KvsClientOptions {
  /** Where AWS_ENDPOINT_URL[_CLOUDFRONT_KEYVALUESTORE] are read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Static credentials (tests against a local endpoint); default: the SDK's provider chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** The KeyValueStore client, for the given `--endpoint` (or the environment's, or AWS's). */
export function createKvsClient(endpointFlag?: string, opts: KvsClientOptions = {}): CloudFrontKeyValueStoreClient {
  const choice = resolveKvsEndpoint(endpointFlag, opts.env ?? process.env);
  const lookup = choice?.loopbackAddress ? loopbackLookup(choice.loopbackAddress) : undefined;
  return new CloudFrontKeyValueStoreClient({
    // The ARN is global; the Region only selects the partition, which must be the ARN's (aws).
    region: 'us-east-1',
    ...(choice ? { endpoint: choice.endpoint } : {}),
    ...(opts.credentials ? { credentials: { ...opts.credentials } } : {}),
    ...(lookup ? { requestHandler: { httpAgent: new HttpAgent({ keepAlive: true, lookup }), httpsAgent: new HttpsAgent({ keepAlive: true, lookup }) } } : {}),
  });
}

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
