/**
 * The SDK behind lib/rollout's `RolloutApi`: distribution and continuous-deployment-policy calls with
 * the ETags CloudFront's optimistic concurrency needs, and (optional) CloudWatch request counts.
 */
import { GetMetricStatisticsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  GetContinuousDeploymentPolicyCommand, GetDistributionCommand, UpdateContinuousDeploymentPolicyCommand, UpdateDistributionCommand,
  UpdateDistributionWithStagingConfigCommand, type CloudFrontClient, type ContinuousDeploymentPolicyConfig, type Distribution, type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import type { DistributionState, RolloutApi } from '../../lib/rollout';

function state(d: Distribution | undefined, etag: string | undefined): DistributionState {
  if (!d?.Id || !d.DistributionConfig || !etag) throw new Error('CloudFront answered without a distribution or its ETag');
  return { id: d.Id, domainName: d.DomainName ?? '', status: d.Status ?? '', etag, config: d.DistributionConfig as unknown as DistributionState['config'] };
}

export function sdkRolloutApi(cf: CloudFrontClient): RolloutApi {
  return {
    async getDistribution(id) {
      const r = await cf.send(new GetDistributionCommand({ Id: id }));
      return state(r.Distribution, r.ETag);
    },
    async updateDistribution(id, ifMatch, config) {
      const r = await cf.send(new UpdateDistributionCommand({ Id: id, IfMatch: ifMatch, DistributionConfig: config as unknown as DistributionConfig }));
      return state(r.Distribution, r.ETag);
    },
    async getPolicy(id) {
      const r = await cf.send(new GetContinuousDeploymentPolicyCommand({ Id: id }));
      const p = r.ContinuousDeploymentPolicy;
      if (!p?.Id || !p.ContinuousDeploymentPolicyConfig || !r.ETag) throw new Error('CloudFront answered without a continuous deployment policy or its ETag');
      return { id: p.Id, etag: r.ETag, config: p.ContinuousDeploymentPolicyConfig as never };
    },
    async updatePolicy(id, ifMatch, config) {
      const r = await cf.send(new UpdateContinuousDeploymentPolicyCommand({ Id: id, IfMatch: ifMatch, ContinuousDeploymentPolicyConfig: config as unknown as ContinuousDeploymentPolicyConfig }));
      return { id, etag: r.ETag ?? '', config: r.ContinuousDeploymentPolicy?.ContinuousDeploymentPolicyConfig as never };
    },
    async promote(primaryId, stagingId, ifMatch) {
      const r = await cf.send(new UpdateDistributionWithStagingConfigCommand({ Id: primaryId, StagingDistributionId: stagingId, IfMatch: ifMatch }));
      return state(r.Distribution, r.ETag);
    },
  };
}

/**
 * Requests per distribution over the last `hours` from CloudWatch (AWS/CloudFront, a us-east-1 client);
 * undefined when unreachable. The client is destroyed afterwards.
 */
export async function cloudWatchRequestCounts(cw: CloudWatchClient, ids: readonly string[], hours = 3, now = new Date()): Promise<Record<string, number> | undefined> {
  try {
    const out: Record<string, number> = {};
    for (const id of ids) {
      const r = await cw.send(new GetMetricStatisticsCommand({
        Namespace: 'AWS/CloudFront', MetricName: 'Requests', Statistics: ['Sum'], Period: hours * 3600,
        StartTime: new Date(now.getTime() - hours * 3_600_000), EndTime: now,
        Dimensions: [{ Name: 'DistributionId', Value: id }, { Name: 'Region', Value: 'Global' }],
      }));
      out[id] = (r.Datapoints ?? []).reduce((s, d) => s + (d.Sum ?? 0), 0);
    }
    return out;
  } catch {
    return undefined;
  } finally {
    cw.destroy();
  }
}
