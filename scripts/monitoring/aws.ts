/**
 * SDK clients of the monitoring and cost scripts, and the translation of AWS failures a user must
 * fix (permissions, credentials, missing resources, unreachable endpoints) into InputErrors.
 * CloudFront metrics, the access-log group, Cost Explorer and the CloudFront API all answer in
 * us-east-1 (spec §12, §14, §15.2).
 */
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { checkEndpoints, cloudFrontClient, cloudWatchClient, cloudWatchLogsClient, costExplorerClient, type AwsClientOptions, type AwsService, type ConnectionOptions } from '../../adapters/aws-clients';
import { InputError } from '../../lib/errors';
import { MONITORING_REGION } from '../../lib/monitoring/names';

export interface MonitoringClients {
  readonly cloudWatch: CloudWatchClient;
  readonly logs: CloudWatchLogsClient;
  readonly costExplorer: CostExplorerClient;
  readonly cloudFront: CloudFrontClient;
}

/** The services the monitoring and cost scripts call. */
export const MONITORING_SERVICES: readonly AwsService[] = ['CLOUDWATCH', 'CLOUDWATCH_LOGS', 'COST_EXPLORER', 'CLOUDFRONT'];

/** Checks the endpoints of every monitoring client (see adapters/aws-endpoint.ts); returns the options. */
export function validateConnection(o: ConnectionOptions): ConnectionOptions {
  checkEndpoints(MONITORING_SERVICES, o);
  return o;
}

/** Clients for us-east-1, through the one factory per service (endpoint, credentials, retries). */
export function createMonitoringClients(o: AwsClientOptions): MonitoringClients {
  return {
    cloudWatch: cloudWatchClient(o, MONITORING_REGION),
    logs: cloudWatchLogsClient(o, MONITORING_REGION),
    costExplorer: costExplorerClient(o),
    cloudFront: cloudFrontClient(o),
  };
}

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError', 'UnauthorizedException']);
const BAD_CREDENTIALS = new Set(['InvalidClientTokenId', 'UnrecognizedClientException', 'ExpiredToken', 'ExpiredTokenException', 'InvalidSignatureException', 'SignatureDoesNotMatch']);
const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'ETIMEDOUT']);

/**
 * Rethrows an SDK failure as an InputError when the user can fix it, naming the IAM action and the
 * resource; anything else is rethrown unchanged.
 * @param action IAM action of the call, e.g. `cloudwatch:GetMetricData`.
 */
export function explainAwsError(e: unknown, action: string, resource: string): never {
  const err = e as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = err.name ?? '';
  const said = (err.message ?? '').split('\n')[0] ?? '';
  if (DENIED.has(name) || err.$metadata?.httpStatusCode === 403) {
    throw new InputError(`missing permission ${action} on ${resource} (AWS said: ${said}); grant it to the caller's role — docs/monitoring.md lists the permissions the scripts need.`);
  }
  if (BAD_CREDENTIALS.has(name)) {
    throw new InputError(`AWS rejected the credentials calling ${action} (${name}: ${said}); refresh them (aws sso login, or set AWS_PROFILE).`);
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(said)) {
    throw new InputError(`no AWS credentials to call ${action}; set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (any values for a local --endpoint).`);
  }
  if (name === 'ResourceNotFoundException') {
    throw new InputError(`${resource} does not exist in ${MONITORING_REGION} (${said}); deploy the stack's monitoring (pulumi up) or check the outputs file.`);
  }
  if (NETWORK.has(err.code ?? '') || NETWORK.has(name)) {
    throw new InputError(`cannot reach the AWS endpoint for ${action} (${err.code ?? name}: ${said}); check --endpoint / AWS_ENDPOINT_URL and the network.`);
  }
  throw e;
}

/** Runs an SDK call, translating user-fixable failures. */
export async function call<T>(action: string, resource: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    explainAwsError(e, action, resource);
  }
}
