/**
 * Custom CloudWatch metrics of invalidations, as PutMetricData inputs (plain data). The namespace,
 * the dimension and the two metrics the dashboard and the `invalidation-failures` alarm read
 * (`InvalidationPaths`, `InvalidationFailures`) are lib/monitoring's (`invalidationMetricData`);
 * this module adds the planner's and the worker's figures in the same namespace:
 *
 * - `InvalidationPathsRequested`: paths asked for, before planning (dedupe, wildcards);
 * - `InvalidationBilledPaths`: sent paths beyond the month's free 1,000 (estimated, spec §8.5);
 * - `InvalidationTimeToCompletion`: seconds from CreateInvalidation to `Completed`.
 */
import { invalidationMetricData, MONITORING_REGION } from '../monitoring/names';

/** Region of the custom metrics (lib/monitoring: us-east-1, beside CloudFront's own). */
export { MONITORING_REGION as METRICS_REGION };
/** Namespace of a stack's custom metrics, `MediaCdn/<stack>` (lib/monitoring). */
export { customNamespace } from '../monitoring/names';

export const EXTRA_INVALIDATION_METRICS = Object.freeze({
  requested: 'InvalidationPathsRequested',
  billed: 'InvalidationBilledPaths',
  timeToCompletion: 'InvalidationTimeToCompletion',
});

export interface MetricDatum {
  readonly MetricName: string;
  readonly Dimensions: readonly { readonly Name: string; readonly Value: string }[];
  readonly Timestamp: Date;
  readonly Value: number;
  readonly Unit: 'Count' | 'Seconds';
}

export interface MetricInput {
  readonly Namespace: string;
  readonly MetricData: readonly MetricDatum[];
}

function datum(name: string, distributionId: string, value: number, unit: MetricDatum['Unit'], at: Date): MetricDatum {
  return { MetricName: name, Dimensions: [{ Name: 'DistributionId', Value: distributionId }], Timestamp: at, Value: value, Unit: unit };
}

/** After a batch was sent (or given up): paths sent, failure flag, and the paths beyond the free tier. */
export function batchSentMetrics(namespace: string, distributionId: string, b: { paths: number; billedPaths: number; failed: boolean; at: Date }): MetricInput {
  const base = invalidationMetricData('-', distributionId, { paths: b.paths, failed: b.failed, at: b.at });
  return {
    Namespace: namespace,
    MetricData: [...base.MetricData, datum(EXTRA_INVALIDATION_METRICS.billed, distributionId, b.failed ? 0 : b.billedPaths, 'Count', b.at)],
  };
}

/** When a request was planned: the paths asked for before planning. */
export function requestPlannedMetrics(namespace: string, distributionId: string, requested: number, at: Date): MetricInput {
  return { Namespace: namespace, MetricData: [datum(EXTRA_INVALIDATION_METRICS.requested, distributionId, requested, 'Count', at)] };
}

/** When an invalidation completed. */
export function completionMetrics(namespace: string, distributionId: string, seconds: number, at: Date): MetricInput {
  return { Namespace: namespace, MetricData: [datum(EXTRA_INVALIDATION_METRICS.timeToCompletion, distributionId, Math.max(0, seconds), 'Seconds', at)] };
}
