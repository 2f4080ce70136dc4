/**
 * SDK clients of the monitoring and cost scripts, and the translation of AWS failures a user must
 * fix (permissions, credentials, missing resources, unreachable endpoints) into InputErrors.
 * CloudFront metrics, the access-log group, Cost Explorer and the CloudFront API all answer in
 * us-east-1 (spec §12, §14, §15.2).
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { InputError } from '../../lib/errors';
import { MONITORING_REGION } from '../../lib/monitoring/names';

export interface MonitoringClients {
  readonly cloudWatch: CloudWatchClient;
  readonly logs: CloudWatchLogsClient;
  readonly costExplorer: CostExplorerClient;
  readonly cloudFront: CloudFrontClient;
}

/**
 * Clients for us-east-1. With `endpoint` every client talks to it (LocalStack, a local fake);
 * without it the SDK honors AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> itself.
 */
export function createMonitoringClients(endpoint?: string): MonitoringClients {
  const config = { region: MONITORING_REGION, ...(endpoint ? { endpoint } : {}) };
  return {
    cloudWatch: new CloudWatchClient(config),
    logs: new CloudWatchLogsClient(config),
    costExplorer: new CostExplorerClient(config),
    cloudFront: new CloudFrontClient(config),
  };
}

export { validateEndpoint } from '../lib/endpoint';

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
