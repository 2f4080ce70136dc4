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
import { awsCallFailure } from '../../lib/error-kinds';
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

/**
 * Rethrows an SDK failure in one line naming the IAM action and the resource: a missing resource as
 * bad input (exit 2), credentials, permissions, throttling and endpoints as the environment's (exit 3,
 * lib/error-kinds `awsCallFailure`); anything else unchanged.
 * @param action IAM action of the call, e.g. `cloudwatch:GetMetricData`.
 */
export function explainAwsError(e: unknown, action: string, resource: string): never {
  const err = e as { name?: string; message?: string };
  if (err.name === 'ResourceNotFoundException') {
    throw new InputError(`${resource} does not exist in ${MONITORING_REGION} (${(err.message ?? '').split('\n')[0]}); deploy the stack's monitoring (pulumi up) or check the outputs file.`);
  }
  throw awsCallFailure(e, action, resource) ?? e;
}

/** Runs an SDK call, translating user-fixable failures. */
export async function call<T>(action: string, resource: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    explainAwsError(e, action, resource);
  }
}
