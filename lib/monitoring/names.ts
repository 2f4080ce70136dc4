/**
 * Names shared by the monitoring resources, the policy pack and the scripts: where CloudFront's
 * metrics live, the custom namespace fed by log metric filters and the invalidation script, and the
 * names of the log group, dashboard and alarms. One place, so a script can find what the program made.
 */
import type { ContentTypeName } from '../catalog';

/** CloudFront metrics, billing metrics and CloudFront log delivery live in us-east-1 (spec §12). */
export const MONITORING_REGION = 'us-east-1';

/** CloudFront's metric namespace; every distribution metric has the dimension `Region=Global` (spec §12). */
export const CLOUDFRONT_NAMESPACE = 'AWS/CloudFront';
export const CLOUDFRONT_METRIC_REGION = 'Global';

/** Estimated charges (AWS/Billing, us-east-1, needs "Receive Billing Alerts" turned on in the account). */
export const BILLING_NAMESPACE = 'AWS/Billing';
/** `ServiceName` of CloudFront in AWS/Billing (the product code, spec §14). */
export const BILLING_SERVICE_NAME = 'AmazonCloudFront';

/** Namespace of this stack's own metrics (log metric filters, invalidation script). */
export function customNamespace(stack: string): string {
  return `MediaCdn/${stack}`;
}

/** Per-content-type metrics emitted by the log metric filters, per type. */
export const CONTENT_TYPE_METRICS = Object.freeze({
  /** GET/HEAD requests of the type's cached routes answered Hit or RefreshHit. */
  hits: 'CacheHits',
  /** GET/HEAD requests of the type's cached routes answered Hit, RefreshHit or Miss (CacheHitRate's denominator, spec §12). */
  cacheable: 'CacheableRequests',
  /** Bytes sent to viewers (sc-bytes) for every request of the type. */
  bytes: 'BytesDownloaded',
});
export type ContentTypeMetric = keyof typeof CONTENT_TYPE_METRICS;

/**
 * Metric name of a per-type metric, e.g. `CacheHits_video`. Metric filters cannot attach a constant
 * dimension (only values read from the log event), so the type is part of the name.
 */
export function contentTypeMetricName(metric: ContentTypeMetric, type: ContentTypeName): string {
  return `${CONTENT_TYPE_METRICS[metric]}_${type}`;
}

/**
 * Metrics the invalidation script publishes to {@link customNamespace} (PutMetricData, us-east-1),
 * dimension `DistributionId`: paths submitted (billed per path beyond 1,000 a month, spec §8.5) and
 * invalidations that failed.
 */
export const INVALIDATION_METRICS = Object.freeze({
  paths: 'InvalidationPaths',
  failures: 'InvalidationFailures',
});

/** Builds the PutMetricData input the invalidation script sends after a batch (one call, us-east-1). */
export function invalidationMetricData(stack: string, distributionId: string, batch: { paths: number; failed: boolean; at?: Date }) {
  const dimensions = [{ Name: 'DistributionId', Value: distributionId }];
  const at = batch.at ?? new Date();
  return {
    Namespace: customNamespace(stack),
    MetricData: [
      { MetricName: INVALIDATION_METRICS.paths, Dimensions: dimensions, Timestamp: at, Value: batch.paths, Unit: 'Count' as const },
      { MetricName: INVALIDATION_METRICS.failures, Dimensions: dimensions, Timestamp: at, Value: batch.failed ? 1 : 0, Unit: 'Count' as const },
    ],
  };
}

/**
 * Log group receiving the distribution's standard logs (v2). CloudWatch Logs asks that vended-log
 * groups be named under `/aws/vendedlogs/` so one resource policy covers them all.
 */
export function accessLogGroupName(stack: string): string {
  return `/aws/vendedlogs/cloudfront/media-cdn-${stack}`;
}

export function dashboardName(stack: string): string {
  return `media-cdn-${stack}`;
}

/** Names of the alarms, from a prefix such as `cdn-prod`; the policy pack matches these shapes. */
export const alarmNames = (prefix: string) => ({
  errorRate5xx: `${prefix}-5xx-rate`,
  errorRate4xx: `${prefix}-4xx-rate`,
  cacheHitRate: `${prefix}-cache-hit-rate`,
  hitRatio: (type: ContentTypeName) => `${prefix}-hit-ratio-${type}`,
  originLatency: `${prefix}-origin-latency-p95`,
  bandwidth: `${prefix}-bandwidth`,
  invalidationFailures: `${prefix}-invalidation-failures`,
  rumLcp: `${prefix}-rum-lcp-p90`,
  rumJsErrors: `${prefix}-rum-js-errors`,
  degraded: `${prefix}-degraded`,
  topic: `${prefix}-alarms`,
  budget: `${prefix}-cloudfront`,
});

/** Tag keys of the monitoring resources. */
export const TAG_CONTENT_TYPE = 'media-cdn:content-type';
export const TAG_SEVERITY = 'media-cdn:severity';
export const TAG_STACK = 'media-cdn:stack';
