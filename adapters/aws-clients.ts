/**
 * The one factory per AWS service the scripts, the local stack and the benchmarks build SDK clients
 * with: endpoint and credentials (adapters/aws-endpoint.ts: `--endpoint`, AWS_ENDPOINT_URL_<SERVICE>,
 * AWS_ENDPOINT_URL, loopback-only stand-ins signed with stand-in credentials), S3 path-style addressing
 * and checksums only where required for custom endpoints, the SDK's standard retry mode with a bounded
 * number of attempts, and request timeouts that throw.
 */
import '@aws-sdk/signature-v4a';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { S3Client } from '@aws-sdk/client-s3';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { lookup as dnsLookup } from 'node:dns';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { InputError } from '../lib/errors';
import { chooseEndpoint, describeEndpointChoice, STAND_IN_CREDENTIALS, type AwsService, type ConnectionOptions, type EndpointChoice } from './aws-endpoint';

export * from './aws-endpoint';

/** CloudFront's control plane, CloudWatch's CloudFront metrics, Cost Explorer sign in us-east-1 (spec §12, §15.2). */
export const GLOBAL_REGION = 'us-east-1';

/** SDK attempts per call unless a command says otherwise (the SDK's standard retry mode). */
export const DEFAULT_MAX_ATTEMPTS = 3;
/** Timeout of one request, ms, unless a command says otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface AwsClientOptions extends ConnectionOptions {
  /** SDK attempts per call. @default DEFAULT_MAX_ATTEMPTS */
  readonly maxAttempts?: number;
  /** A fixed delay between the SDK's attempts, ms (tests); its exponential backoff otherwise. */
  readonly retryDelayMs?: number;
  /** Timeout of one request, ms. @default DEFAULT_REQUEST_TIMEOUT_MS */
  readonly requestTimeoutMs?: number;
  /** Credentials to sign with, overriding the endpoint rules (the local stack's own s3rver, tests). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Where the one line describing the choice goes, just before the first request; false for none. @default stderr, once per distinct line */
  readonly announce?: ((line: string) => void) | false;
}

const announced = new Set<string>();
function announceOnce(line: string): void {
  if (announced.has(line)) return;
  announced.add(line);
  process.stderr.write(`${line}\n`);
}

interface Config {
  readonly choice: EndpointChoice;
  readonly config: Record<string, unknown>;
  /** Shows the choice before the client's first request. */
  readonly announced: <C extends { middlewareStack: { add: AddMiddleware } }>(client: C) => C;
}

// The middleware stack's `add`, loosely typed: one announcing middleware fits every client.
type AddMiddleware = (m: never, o: { step: 'initialize'; name: string }) => void;

/** Settings every client shares; announces the choice. */
function baseConfig(service: AwsService, region: string, o: AwsClientOptions, handler: Record<string, unknown> = {}): Config {
  const choice = chooseEndpoint(service, o);
  const maxAttempts = o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const timeout = o.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const config: Record<string, unknown> = {
    region,
    maxAttempts,
    retryMode: 'standard',
    // throwOnRequestTimeout: without it the SDK only logs a warning when the timeout passes.
    requestHandler: { requestTimeout: timeout, throwOnRequestTimeout: true, connectionTimeout: Math.min(timeout, 10_000), ...handler },
  };
  if (choice.url !== undefined) config.endpoint = choice.url;
  if (o.retryDelayMs !== undefined) {
    const delayMs = o.retryDelayMs;
    config.retryStrategy = new ConfiguredRetryStrategy(maxAttempts, () => delayMs);
  }
  if (o.credentials) config.credentials = { ...o.credentials };
  else if (choice.credentials === 'stand-in') config.credentials = { ...STAND_IN_CREDENTIALS };
  const announce = o.announce === false ? undefined : (o.announce ?? announceOnce);
  const line = describeEndpointChoice(choice, o.credentials ? 'given' : undefined);
  const announced = <C extends { middlewareStack: { add: AddMiddleware } }>(client: C): C => {
    if (!announce) return client;
    let shown = false;
    const middleware = (next: (args: unknown) => Promise<unknown>) => (args: unknown) => {
      if (!shown) announce(line);
      shown = true;
      return next(args);
    };
    client.middlewareStack.add(middleware as never, { step: 'initialize', name: 'announceEndpointChoice' });
    return client;
  };
  return { choice, config, announced };
}

/** S3 in a bucket's Region; path-style and checksums only where S3 requires them on a custom endpoint. */
export function s3Client(o: AwsClientOptions, region: string): S3Client {
  const { choice, config, announced } = baseConfig('S3', region, o);
  // Local S3 servers (s3rver, LocalStack) need path-style URLs and know no flexible checksums.
  return announced(new S3Client({ ...config, ...(choice.url !== undefined ? { forcePathStyle: true } : {}), requestChecksumCalculation: 'WHEN_REQUIRED' }));
}

/** CloudFront's control plane (us-east-1). */
export function cloudFrontClient(o: AwsClientOptions): CloudFrontClient {
  const { config, announced } = baseConfig('CLOUDFRONT', GLOBAL_REGION, o);
  return announced(new CloudFrontClient(config));
}

export function cloudWatchClient(o: AwsClientOptions, region: string = GLOBAL_REGION): CloudWatchClient {
  const { config, announced } = baseConfig('CLOUDWATCH', region, o);
  return announced(new CloudWatchClient(config));
}

export function cloudWatchLogsClient(o: AwsClientOptions, region: string = GLOBAL_REGION): CloudWatchLogsClient {
  const { config, announced } = baseConfig('CLOUDWATCH_LOGS', region, o);
  return announced(new CloudWatchLogsClient(config));
}

export function costExplorerClient(o: AwsClientOptions): CostExplorerClient {
  const { config, announced } = baseConfig('COST_EXPLORER', GLOBAL_REGION, o);
  return announced(new CostExplorerClient(config));
}

/** Athena in the Region of the stack's workgroup, Glue catalog and log bucket. */
export function athenaClient(o: AwsClientOptions, region: string): AthenaClient {
  const { config, announced } = baseConfig('ATHENA', region, o);
  return announced(new AthenaClient(config));
}

export interface KvsEndpoint {
  /** The URL given to the client (a loopback address replaced by `localhost`). */
  readonly endpoint: string;
  /** Where `localhost` and `*.localhost` resolve to, when the endpoint is on this machine. */
  readonly loopbackAddress?: string;
}

/**
 * The KeyValueStore client's form of a custom endpoint. Its endpoint rules put the account id of the
 * store's ARN in front of the host, also for an explicit `endpoint` (verified: `http://127.0.0.1:4598`
 * becomes `http://123456789012.127.0.0.1:4598`, an invalid URL; `localhost` becomes
 * `123456789012.localhost`, which the system resolver does not know). So a loopback endpoint is
 * rewritten to `localhost` and the client's HTTP agents resolve `localhost` and `*.localhost` to the
 * loopback address (RFC 6761 §6.3); other host names are left to DNS (LocalStack's
 * `localhost.localstack.cloud` resolves with any prefix); other IP addresses are refused.
 * @throws InputError for an IP address that is not loopback.
 */
export function kvsEndpoint(choice: EndpointChoice): KvsEndpoint | undefined {
  if (choice.url === undefined) return undefined;
  const raw = choice.url;
  const url = new URL(raw);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost') return { endpoint: raw, loopbackAddress: '127.0.0.1' };
  if (isIP(host) === 0) return { endpoint: raw };
  if (!choice.loopback) {
    throw new InputError(`${choice.source} '${raw}': the KeyValueStore client sends requests to <account>.<endpoint host>, which an IP address cannot take; give a host name that resolves with any prefix (e.g. http://localhost.localstack.cloud:4566), or localhost.`);
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

/**
 * The CloudFront KeyValueStore data-plane client. The service takes only SigV4a (region set `*`),
 * which the pure-JS `@aws-sdk/signature-v4a` imported above registers. The ARN is global; the Region
 * only selects the partition, which must be the ARN's (aws).
 */
export function keyValueStoreClient(o: AwsClientOptions): CloudFrontKeyValueStoreClient {
  const kvs = kvsEndpoint(chooseEndpoint('CLOUDFRONT_KEYVALUESTORE', o));
  const lookup = kvs?.loopbackAddress ? loopbackLookup(kvs.loopbackAddress) : undefined;
  const handler = lookup ? { httpAgent: new HttpAgent({ keepAlive: true, lookup }), httpsAgent: new HttpsAgent({ keepAlive: true, lookup }) } : {};
  const { config, announced } = baseConfig('CLOUDFRONT_KEYVALUESTORE', GLOBAL_REGION, o, handler);
  return announced(new CloudFrontKeyValueStoreClient({ ...config, ...(kvs ? { endpoint: kvs.endpoint } : {}) }));
}

/** The command-line options that choose the endpoint, for every script that calls AWS. */
export const AWS_CONNECTION_OPTIONS = {
  endpoint: { type: 'string' },
  'allow-remote-endpoint': { type: 'boolean' },
  'use-real-credentials': { type: 'boolean' },
} as const;

export const AWS_CONNECTION_HELP = {
  endpoint: 'send AWS calls to this URL (LocalStack, s3rver, the local endpoints); AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> work too. Only this machine unless --allow-remote-endpoint',
  'allow-remote-endpoint': 'let --endpoint / AWS_ENDPOINT_URL* name another machine',
  'use-real-credentials': "sign requests to a custom endpoint with your AWS credentials (default: stand-in 'test' keys)",
} as const;

/** The connection options of a parsed command line. */
export function connectionOptions(v: { readonly endpoint?: unknown; readonly 'allow-remote-endpoint'?: unknown; readonly 'use-real-credentials'?: unknown }): ConnectionOptions {
  return {
    ...(typeof v.endpoint === 'string' ? { endpoint: v.endpoint } : {}),
    ...(v['allow-remote-endpoint'] === true ? { allowRemoteEndpoint: true } : {}),
    ...(v['use-real-credentials'] === true ? { useRealCredentials: true } : {}),
  };
}
