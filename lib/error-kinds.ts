/**
 * What went wrong, in one line a user can act on: the error boundary of every command
 * (adapters/command-line.ts `runMain`) turns the errors the environment raises — missing AWS
 * credentials, an endpoint that does not answer, access denied, throttling that outlived the retries,
 * a file system that refuses — into one sentence naming what failed and how to fix it, with an exit
 * code per kind. Anything else is a bug: one line too, and the stack trace only with `--debug`.
 * Pure: it reads the error's name, code and message, nothing else.
 */

/** Exit codes of the convention (README "Exit codes"). */
export const EXIT_CODES = {
  ok: 0,
  /** A check failed (a target missed, a policy violated, a verification below its threshold). */
  checkFailed: 1,
  /** Bad input: flags, files, stack config. */
  badInput: 2,
  /** The environment refused: credentials, network, permissions, throttling, disk. */
  environment: 3,
  /** A bug: an error nobody anticipated (run again with --debug for the stack trace). */
  internal: 4,
} as const;

export type ErrorKind = 'credentials' | 'unreachable' | 'access-denied' | 'throttled' | 'service-error' | 'file-system' | 'internal';

/** A failure of the environment already said in one line: the boundary prints it and exits 3. */
export class EnvironmentError extends Error {
  constructor(readonly kind: Exclude<ErrorKind, 'internal'>, message: string) {
    super(message);
    this.name = 'EnvironmentError';
  }
}

export interface ClassifiedError {
  readonly kind: ErrorKind;
  readonly exitCode: number;
  /** One line, no stack trace. */
  readonly line: string;
}

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly syscall?: unknown;
  readonly path?: unknown;
  readonly hostname?: unknown;
  readonly address?: unknown;
  readonly port?: unknown;
  readonly cause?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The first line of a message, trimmed to a readable length. */
function firstLine(message: string): string {
  const line = message.split('\n')[0]!.trim();
  return line.length > 240 ? `${line.slice(0, 237)}...` : line;
}

const CREDENTIAL_NAMES = new Set(['CredentialsProviderError', 'CredentialsError', 'ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException', 'InvalidAccessKeyId', 'SignatureDoesNotMatch']);
const DENIED_NAMES = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Forbidden', 'AuthorizationError']);
const THROTTLE_NAMES = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'SlowDown', 'RequestLimitExceeded', 'TooManyInvalidationsInProgress', 'ProvisionedThroughputExceededException']);
const SERVER_NAMES = new Set(['InternalError', 'InternalFailure', 'InternalServerError', 'InternalServerException', 'ServiceUnavailable', 'ServiceUnavailableException', 'ServiceException']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);
const FS_CODES: Readonly<Record<string, string>> = {
  ENOENT: 'does not exist; check the path',
  EACCES: 'is not readable or writable by this user; check its permissions',
  EPERM: 'is not permitted; check its permissions',
  EISDIR: 'is a directory; give a file path',
  ENOTDIR: 'has a part that is not a directory; check the path',
  ENOSPC: 'cannot be written: the disk is full; free space and run again (nothing was half-written)',
  EROFS: 'cannot be written: the file system is read-only; choose a writable path',
  EMFILE: 'cannot be opened: too many open files; raise the limit (ulimit -n) or lower --concurrency',
};

/** Follows `cause` links (fetch and the SDK wrap the socket error) to the innermost error-like value. */
function causes(e: ErrorLike): ErrorLike[] {
  const out: ErrorLike[] = [e];
  let c: unknown = e.cause;
  while (c && typeof c === 'object' && out.length < 5) { out.push(c); c = (c as ErrorLike).cause; }
  return out;
}

/** Classifies an error thrown out of a command. `endpoint` names where AWS requests were going, if known. */
export function classifyError(error: unknown, endpoint?: string): ClassifiedError {
  if (error instanceof EnvironmentError) return { kind: error.kind, exitCode: EXIT_CODES.environment, line: error.message };
  const e: ErrorLike = error && typeof error === 'object' ? (error) : { message: String(error) };
  const chain = causes(e);
  const name = str(e.name);
  const message = firstLine(str(e.message) || String(error));
  const where = endpoint ? ` at ${endpoint}` : '';
  if (CREDENTIAL_NAMES.has(name) || /could not load credentials|security token included in the request is (invalid|expired)/i.test(message)) {
    return {
      kind: 'credentials', exitCode: EXIT_CODES.environment,
      line: `AWS credentials are missing or invalid (${message}); set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (aws configure, aws sso login), or point --endpoint at a local stand-in; plans and dry runs that need no AWS listing run without credentials.`,
    };
  }
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  if (DENIED_NAMES.has(name) || status === 403) {
    return { kind: 'access-denied', exitCode: EXIT_CODES.environment, line: `AWS denied the request${where} (${name || 'HTTP 403'}: ${message}); grant the missing permission to the credentials in use (docs/deployment.md lists what each script needs).` };
  }
  if (THROTTLE_NAMES.has(name) || status === 429) {
    return { kind: 'throttled', exitCode: EXIT_CODES.environment, line: `AWS kept throttling the request${where} after every retry (${name || 'HTTP 429'}: ${message}); wait a minute and run again, or lower --rate/--concurrency.` };
  }
  if (SERVER_NAMES.has(name) || (status !== undefined && status >= 500)) {
    return { kind: 'service-error', exitCode: EXIT_CODES.environment, line: `AWS kept failing the request${where} after every retry (${name || `HTTP ${status}`}: ${message}); the service is in trouble: run again later (nothing was half-done).` };
  }
  const net = chain.find((c) => NETWORK_CODES.has(str(c.code)));
  if (net) {
    const target = str(net.hostname) || (str(net.address) ? `${str(net.address)}${typeof net.port === 'number' ? `:${net.port}` : ''}` : '') || endpoint || 'the endpoint';
    return { kind: 'unreachable', exitCode: EXIT_CODES.environment, line: `cannot reach ${target} (${str(net.code)}); check the network, the --endpoint or AWS_ENDPOINT_URL value, and that the service (or local stand-in) is running.` };
  }
  const fs = chain.find((c) => str(c.code) in FS_CODES && (typeof c.syscall === 'string' || typeof c.path === 'string'));
  if (fs) {
    const path = str(fs.path);
    return { kind: 'file-system', exitCode: EXIT_CODES.environment, line: `${path ? `'${path}'` : 'a file'} ${FS_CODES[str(fs.code)]} (${str(fs.code)}${str(fs.syscall) ? ` on ${str(fs.syscall)}` : ''}).` };
  }
  return { kind: 'internal', exitCode: EXIT_CODES.internal, line: `internal error: ${name && name !== 'Error' ? `${name}: ` : ''}${message} (a bug: run again with --debug for the stack trace, and report it).` };
}

/**
 * One AWS call's failure in the environment's words, naming the IAM action and the resource: an
 * EnvironmentError (exit 3) for missing credentials, a missing permission, throttling or a failing
 * service after the SDK's retries, and an endpoint that does not answer; undefined for anything else,
 * which the caller judges (a resource that does not exist is usually bad input).
 * @param endpointHint where the user sets the endpoint of this service.
 */
export function awsCallFailure(error: unknown, action: string, resource: string, endpointHint = '--endpoint / AWS_ENDPOINT_URL'): EnvironmentError | undefined {
  const c = classifyError(error);
  const e: ErrorLike = error && typeof error === 'object' ? (error) : { message: String(error) };
  const name = str(e.name);
  const said = firstLine(str(e.message) || String(error));
  switch (c.kind) {
    case 'credentials':
      return new EnvironmentError(c.kind, `no usable AWS credentials to call ${action} (${said}); set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (aws configure, aws sso login; any values for a local --endpoint).`);
    case 'access-denied':
      return new EnvironmentError(c.kind, `missing permission ${action} on ${resource} (AWS said: ${said}); grant it to the caller's role (docs/deployment.md lists what each script needs).`);
    case 'throttled':
      return new EnvironmentError(c.kind, `AWS kept throttling ${action} on ${resource} after every retry (${name}: ${said}); wait a minute and run again, or lower --rate/--concurrency.`);
    case 'service-error':
      return new EnvironmentError(c.kind, `AWS kept failing ${action} on ${resource} after every retry (${name || 'HTTP 5xx'}: ${said}); the service is in trouble: run again later.`);
    case 'unreachable': {
      const code = causes(e).map((x) => str(x.code)).find((x) => NETWORK_CODES.has(x)) ?? name;
      return new EnvironmentError(c.kind, `cannot reach the AWS endpoint for ${action} on ${resource} (${code}: ${said}); check ${endpointHint} and the network.`);
    }
    default:
      return undefined;
  }
}
