/**
 * Where the scripts' AWS requests go and whose credentials sign them, decided once for every client
 * (adapters/aws-clients.ts).
 *
 * Endpoint, most specific first: `--endpoint`, `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`; none
 * means AWS's own endpoints. A custom endpoint is a stand-in (LocalStack, s3rver, the local servers),
 * so two safety rules apply:
 * - it must be on this machine (127.0.0.0/8, ::1, localhost) unless `--allow-remote-endpoint` is given:
 *   a typo or a hostile `AWS_ENDPOINT_URL` must not receive the scripts' requests;
 * - it is signed with fixed stand-in credentials (`test`/`test`, LocalStack's convention) unless
 *   `--use-real-credentials` is given: the caller's real keys never reach a stand-in by accident.
 * The choice is shown in one line on stderr just before the first request (describeEndpointChoice).
 */
import { isIP } from 'node:net';
import { InputError } from '../lib/errors';

/** Service ids as `AWS_ENDPOINT_URL_<SERVICE>` spells them (the SDK's service id, upper case, `_` for spaces). */
export type AwsService = 'S3' | 'CLOUDFRONT' | 'CLOUDWATCH' | 'CLOUDWATCH_LOGS' | 'COST_EXPLORER' | 'CLOUDFRONT_KEYVALUESTORE' | 'ATHENA';

/** Names of the services in messages. */
const SERVICE_NAMES: Readonly<Record<AwsService, string>> = {
  S3: 'S3',
  CLOUDFRONT: 'CloudFront',
  CLOUDWATCH: 'CloudWatch',
  CLOUDWATCH_LOGS: 'CloudWatch Logs',
  COST_EXPLORER: 'Cost Explorer',
  CLOUDFRONT_KEYVALUESTORE: 'CloudFront KeyValueStore',
  ATHENA: 'Athena',
};

/** LocalStack's conventional credentials: what every stand-in endpoint is signed with unless told otherwise. */
export const STAND_IN_CREDENTIALS = Object.freeze({ accessKeyId: 'test', secretAccessKey: 'test' });

/** How a command line chose the endpoint (`--endpoint`, `--allow-remote-endpoint`, `--use-real-credentials`). */
export interface ConnectionOptions {
  /** `--endpoint`: every service's requests go to this URL. */
  readonly endpoint?: string;
  /** `--allow-remote-endpoint`: a custom endpoint may be another machine. @default false */
  readonly allowRemoteEndpoint?: boolean;
  /** `--use-real-credentials`: sign requests to a custom endpoint with the caller's credentials. @default false */
  readonly useRealCredentials?: boolean;
  /** Where AWS_ENDPOINT_URL[_<SERVICE>] are read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

export interface EndpointChoice {
  readonly service: AwsService;
  /** The custom endpoint; undefined for AWS's own. */
  readonly url?: string;
  /** What named it: `--endpoint`, `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`. */
  readonly source?: string;
  /** Whether the custom endpoint is this machine. */
  readonly loopback: boolean;
  /** `stand-in`: STAND_IN_CREDENTIALS; `yours`: the SDK's default provider chain. */
  readonly credentials: 'stand-in' | 'yours';
}

/** An example endpoint per service, the default port of the matching local server. */
const EXAMPLES: Readonly<Record<AwsService, string>> = {
  S3: 'http://127.0.0.1:4568',
  CLOUDFRONT: 'http://127.0.0.1:4580',
  CLOUDWATCH: 'http://127.0.0.1:4566',
  CLOUDWATCH_LOGS: 'http://127.0.0.1:4566',
  COST_EXPLORER: 'http://127.0.0.1:4566',
  CLOUDFRONT_KEYVALUESTORE: 'http://127.0.0.1:4598',
  ATHENA: 'http://127.0.0.1:4597',
};

/**
 * Parses an endpoint URL; it must be http:// or https://.
 * @param source what the value came from, quoted in errors (`--endpoint`, `AWS_ENDPOINT_URL`, ...).
 * @param example an endpoint to suggest, e.g. the default port of the matching local server.
 * @throws InputError naming the source, the value and the fix.
 */
export function parseEndpoint(raw: string, source = '--endpoint', example = 'http://127.0.0.1:4566'): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(`${source} '${raw}' is not a URL; give one such as ${example}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`${source} '${raw}' must be an http:// or https:// URL, such as ${example}.`);
  }
  return url;
}

/** Whether a host name or address is this machine: `localhost`, 127.0.0.0/8, ::1 (IPv4-mapped too). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./.test(host) || /^(0{1,4}:){7}0{0,3}1$/.test(host);
  return false;
}

/** The custom endpoint named for a service, and what named it; undefined for AWS's own. */
function namedEndpoint(service: AwsService, o: ConnectionOptions): { raw: string; source: string } | undefined {
  if (o.endpoint !== undefined) return { raw: o.endpoint, source: '--endpoint' };
  const env = o.env ?? process.env;
  const specific = `AWS_ENDPOINT_URL_${service}`;
  if (env[specific]) return { raw: env[specific], source: specific };
  if (env.AWS_ENDPOINT_URL) return { raw: env.AWS_ENDPOINT_URL, source: 'AWS_ENDPOINT_URL' };
  return undefined;
}

/**
 * Decides a service's endpoint and credentials.
 * @throws InputError for a value that is not an http(s) URL, or a custom endpoint on another machine
 *   without `allowRemoteEndpoint`.
 */
export function chooseEndpoint(service: AwsService, o: ConnectionOptions = {}): EndpointChoice {
  const named = namedEndpoint(service, o);
  if (named === undefined) return { service, loopback: false, credentials: 'yours' };
  const example = EXAMPLES[service];
  const url = parseEndpoint(named.raw, named.source, example);
  const loopback = isLoopbackHost(url.hostname);
  if (!loopback && o.allowRemoteEndpoint !== true) {
    throw new InputError(
      `${named.source} '${named.raw}' is not on this machine; the scripts send requests only to a local stand-in (127.0.0.1, ::1, localhost) unless told otherwise: add --allow-remote-endpoint to send them to ${url.host}, or give an endpoint such as ${example}.`,
    );
  }
  return { service, url: named.raw, source: named.source, loopback, credentials: o.useRealCredentials === true ? 'yours' : 'stand-in' };
}

/**
 * Checks every service's endpoint a command will use, before anything is sent; collects the problems.
 * A value several services share (`--endpoint`, AWS_ENDPOINT_URL) is checked once, for the first.
 */
export function checkEndpoints(services: readonly AwsService[], o: ConnectionOptions): void {
  const problems = new Set<string>();
  const checked = new Set<string>();
  for (const s of services) {
    const named = namedEndpoint(s, o);
    if (named && checked.has(named.source)) continue;
    if (named) checked.add(named.source);
    try {
      chooseEndpoint(s, o);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      e.problems.forEach((p) => problems.add(p));
    }
  }
  if (problems.size > 0) throw new InputError([...problems]);
}

/**
 * The one line shown before the first request. Lines for an endpoint every service shares (`--endpoint`,
 * `AWS_ENDPOINT_URL`, AWS's own) do not name the service, so a script with several clients prints one.
 */
export function describeEndpointChoice(c: EndpointChoice, credentials?: 'given'): string {
  const who = c.source === undefined || c.source === '--endpoint' || c.source === 'AWS_ENDPOINT_URL' ? 'AWS' : SERVICE_NAMES[c.service];
  const signed = credentials === 'given' ? 'the credentials the caller passed'
    : c.credentials === 'yours' ? (c.url === undefined ? "your credentials (the SDK's default chain)" : "your credentials (the SDK's default chain; --use-real-credentials)")
      : `stand-in credentials '${STAND_IN_CREDENTIALS.accessKeyId}', not yours (--use-real-credentials sends yours)`;
  if (c.url === undefined) return `aws: ${who} requests go to AWS's own endpoints, signed with ${signed}`;
  const where = c.loopback ? 'this machine' : 'another machine, allowed by --allow-remote-endpoint';
  return `aws: ${who} requests go to ${c.url} (${c.source}; ${where}), signed with ${signed}`;
}
