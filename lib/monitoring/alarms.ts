/**
 * The CDN's alarms as plain data, from the catalog targets and the stack config. The shapes follow
 * `aws.cloudwatch.MetricAlarmArgs` / `CompositeAlarmArgs`, so `CdnAlarms` registers them as they are;
 * `T` is the type of ids and ARNs (strings in tests, Pulumi outputs in the component).
 * docs/monitoring.md explains each threshold.
 */
import type { Catalog, ContentTypeName } from '../catalog';
import {
  alarmNames, CLOUDFRONT_METRIC_REGION, CLOUDFRONT_NAMESPACE, contentTypeMetricName, customNamespace,
  INVALIDATION_METRICS, TAG_CONTENT_TYPE, TAG_SEVERITY, TAG_STACK,
} from './names';

export type Severity = 'critical' | 'warning';

/** How quickly and at what error levels each severity fires. */
export interface SeverityProfile {
  /** Period of alarms on CloudFront's 1-minute metrics, seconds. */
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  /**
   * Period of alarms on log-derived metrics, seconds. Log files usually arrive within an hour
   * (spec §11), so these use hour periods and look back several hours to see late lines.
   */
  readonly logPeriodSeconds: number;
  readonly logEvaluationPeriods: number;
  readonly logDatapointsToAlarm: number;
  /** 5xxErrorRate (percent) above which viewers are failing. */
  readonly errorRate5xxPercent: number;
  /** 4xxErrorRate (percent) above which something (a bad deploy, broken links, signing) is wrong. */
  readonly errorRate4xxPercent: number;
}

export const SEVERITY_PROFILES: Readonly<Record<Severity, SeverityProfile>> = Object.freeze({
  // 15 minutes of breach pages the on-call.
  critical: {
    periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 3,
    logPeriodSeconds: 3600, logEvaluationPeriods: 3, logDatapointsToAlarm: 2,
    errorRate5xxPercent: 1, errorRate4xxPercent: 10,
  },
  // Staging has little traffic, so a few errors are a large share: wait 30 minutes, tolerate more.
  warning: {
    periodSeconds: 300, evaluationPeriods: 6, datapointsToAlarm: 6,
    logPeriodSeconds: 3600, logEvaluationPeriods: 6, logDatapointsToAlarm: 4,
    errorRate5xxPercent: 5, errorRate4xxPercent: 25,
  },
});

/**
 * Fewest cacheable requests in a period for a per-type hit ratio to be judged: below it one cold
 * object moves the ratio by a point or more, and the period counts as healthy.
 */
export const MIN_HIT_RATIO_SAMPLE = 100;

export interface MetricStat<T> {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions?: Readonly<Record<string, T | string>>;
  readonly period: number;
  readonly stat: string;
}

export interface MetricQuery<T> {
  readonly id: string;
  readonly expression?: string;
  readonly label?: string;
  readonly returnData: boolean;
  readonly metric?: MetricStat<T>;
}

/** One `aws.cloudwatch.MetricAlarm`, with `id` naming the resource. */
export interface AlarmSpec<T> {
  readonly id: string;
  /** The alarm's name (`MetricAlarmArgs.name`). */
  readonly name: string;
  readonly alarmDescription: string;
  readonly comparisonOperator: 'LessThanThreshold' | 'GreaterThanThreshold';
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: 'notBreaching' | 'missing';
  readonly namespace?: string;
  readonly metricName?: string;
  readonly dimensions?: Readonly<Record<string, T | string>>;
  readonly period?: number;
  readonly statistic?: string;
  readonly extendedStatistic?: string;
  readonly metricQueries?: readonly MetricQuery<T>[];
  readonly alarmActions: readonly T[];
  readonly okActions: readonly T[];
  readonly tags: Readonly<Record<string, string>>;
}

/** The composite "CDN degraded" alarm. */
export interface CompositeAlarmSpec<T> {
  readonly id: string;
  readonly alarmName: string;
  readonly alarmDescription: string;
  readonly alarmRule: string;
  /** Names of the alarms the rule reads (they must exist first). */
  readonly children: readonly string[];
  readonly alarmActions: readonly T[];
  readonly okActions: readonly T[];
  readonly tags: Readonly<Record<string, string>>;
}

export interface AlarmInputs<T> {
  readonly catalog: Catalog;
  readonly stack: string;
  /** Name prefix, e.g. `cdn-prod`. */
  readonly prefix: string;
  readonly severity: Severity;
  readonly distributionId: T;
  readonly topicArn: T;
  readonly bandwidthCeilingGbps: number;
}

/** Overall CacheHitRate threshold, percent: the lowest per-type target (see docs/monitoring.md). */
export function overallHitRateTargetPercent(catalog: Catalog): number {
  return Math.min(...catalog.types.map((t) => t.targetHitRatio)) * 100;
}

/** OriginLatency p95 threshold, ms: the most lenient per-type latency target (see docs/monitoring.md). */
export function originLatencyThresholdMs(catalog: Catalog): number {
  return Math.max(...catalog.types.map((t) => t.targetLatencyMs));
}

/** Per-type hit-ratio threshold in percent: the catalog target × 100. */
export function hitRatioThresholdPercent(catalog: Catalog, type: ContentTypeName): number {
  return catalog.type(type).targetHitRatio * 100;
}

/** Metric-math expression of a type's hit ratio in percent over the `hits` and `cacheable` queries. */
export function hitRatioExpression(hitsId = 'hits', cacheableId = 'cacheable', minSample = MIN_HIT_RATIO_SAMPLE): string {
  return `IF(${cacheableId} >= ${minSample}, 100 * ${hitsId} / ${cacheableId}, 100)`;
}

/**
 * Metric-math expression turning a BytesDownloaded sum into Gbps: over a fixed `period` of seconds
 * (alarms), or over whatever period the graph uses (`PERIOD(id)`, dashboards).
 */
export function gbpsExpression(metricId: string, periodSeconds: number | 'graph'): string {
  return `${metricId} * 8 / ${periodSeconds === 'graph' ? `PERIOD(${metricId})` : periodSeconds} / 1000000000`;
}

export function buildAlarmSpecs<T>(inp: AlarmInputs<T>): { alarms: AlarmSpec<T>[]; composite: CompositeAlarmSpec<T> } {
  const p = SEVERITY_PROFILES[inp.severity];
  const names = alarmNames(inp.prefix);
  const cf = { DistributionId: inp.distributionId, Region: CLOUDFRONT_METRIC_REGION };
  const tags = { [TAG_STACK]: inp.stack, [TAG_SEVERITY]: inp.severity };
  const actions = { alarmActions: [inp.topicArn], okActions: [inp.topicArn] };
  const fast = { evaluationPeriods: p.evaluationPeriods, datapointsToAlarm: p.datapointsToAlarm };
  const slow = { evaluationPeriods: p.logEvaluationPeriods, datapointsToAlarm: p.logDatapointsToAlarm };
  const sev = `[${inp.severity}]`;
  const minutes = (p.periodSeconds * p.evaluationPeriods) / 60;

  const cloudFront = (id: string, name: string, metricName: string, statistic: { statistic?: string; extendedStatistic?: string },
    comparisonOperator: AlarmSpec<T>['comparisonOperator'], threshold: number, alarmDescription: string): AlarmSpec<T> => ({
    id, name, alarmDescription, comparisonOperator, threshold, ...fast, treatMissingData: 'notBreaching',
    namespace: CLOUDFRONT_NAMESPACE, metricName, dimensions: cf, period: p.periodSeconds, ...statistic, ...actions, tags,
  });

  const alarms: AlarmSpec<T>[] = [
    cloudFront('5xx-rate', names.errorRate5xx, '5xxErrorRate', { statistic: 'Average' }, 'GreaterThanThreshold', p.errorRate5xxPercent,
      `${sev} More than ${p.errorRate5xxPercent}% of viewer requests got a 5xx for ${minutes} minutes: origins failing or unreachable.`),
    cloudFront('4xx-rate', names.errorRate4xx, '4xxErrorRate', { statistic: 'Average' }, 'GreaterThanThreshold', p.errorRate4xxPercent,
      `${sev} More than ${p.errorRate4xxPercent}% of viewer requests got a 4xx for ${minutes} minutes: broken links, expired signatures or a bad deploy.`),
    cloudFront('cache-hit-rate', names.cacheHitRate, 'CacheHitRate', { statistic: 'Average' }, 'LessThanThreshold', overallHitRateTargetPercent(inp.catalog),
      `${sev} Distribution-wide CacheHitRate under ${overallHitRateTargetPercent(inp.catalog)}%, the lowest content-type target: at least one type misses its target.`),
    cloudFront('origin-latency-p95', names.originLatency, 'OriginLatency', { extendedStatistic: 'p95' }, 'GreaterThanThreshold', originLatencyThresholdMs(inp.catalog),
      `${sev} p95 OriginLatency over ${originLatencyThresholdMs(inp.catalog)} ms, the most lenient content-type latency target: misses are too slow for every type.`),
  ];

  for (const t of inp.catalog.types) {
    const threshold = hitRatioThresholdPercent(inp.catalog, t.name);
    const ns = customNamespace(inp.stack);
    const stat = (metric: 'hits' | 'cacheable'): MetricStat<T> => ({
      namespace: ns, metricName: contentTypeMetricName(metric, t.name), period: p.logPeriodSeconds, stat: 'Sum',
    });
    alarms.push({
      id: `hit-ratio-${t.name}`,
      name: names.hitRatio(t.name),
      alarmDescription: `${sev} Hit ratio of ${t.name} (cached routes, from the access logs) under its catalog target of ${threshold}%.`,
      comparisonOperator: 'LessThanThreshold',
      threshold,
      ...slow,
      treatMissingData: 'notBreaching',
      metricQueries: [
        { id: 'hits', metric: stat('hits'), returnData: false },
        { id: 'cacheable', metric: stat('cacheable'), returnData: false },
        { id: 'ratio', expression: hitRatioExpression(), label: `${t.name} hit ratio (%)`, returnData: true },
      ],
      ...actions,
      tags: { ...tags, [TAG_CONTENT_TYPE]: t.name },
    });
  }

  alarms.push({
    id: 'bandwidth',
    name: names.bandwidth,
    alarmDescription: `${sev} The distribution served more than ${inp.bandwidthCeilingGbps} Gbps for ${minutes} minutes; the quota is 150 Gbps per distribution (spec §15.1).`,
    comparisonOperator: 'GreaterThanThreshold',
    threshold: inp.bandwidthCeilingGbps,
    ...fast,
    treatMissingData: 'notBreaching',
    metricQueries: [
      { id: 'bytes', metric: { namespace: CLOUDFRONT_NAMESPACE, metricName: 'BytesDownloaded', dimensions: cf, period: p.periodSeconds, stat: 'Sum' }, returnData: false },
      { id: 'gbps', expression: gbpsExpression('bytes', p.periodSeconds), label: 'Bandwidth (Gbps)', returnData: true },
    ],
    ...actions,
    tags,
  });

  alarms.push({
    id: 'invalidation-failures',
    name: names.invalidationFailures,
    alarmDescription: `${sev} An invalidation submitted by npm run invalidate failed: stale objects stay cached until their TTL ends.`,
    comparisonOperator: 'GreaterThanThreshold',
    threshold: 0,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: 'notBreaching',
    namespace: customNamespace(inp.stack),
    metricName: INVALIDATION_METRICS.failures,
    dimensions: { DistributionId: inp.distributionId },
    period: p.periodSeconds,
    statistic: 'Sum',
    ...actions,
    tags,
  });

  const children = [names.errorRate5xx, names.cacheHitRate, names.originLatency];
  const composite: CompositeAlarmSpec<T> = {
    id: 'degraded',
    alarmName: names.degraded,
    alarmDescription: `${sev} CDN degraded: viewers see errors, the cache is not holding, or misses are slow.`,
    alarmRule: children.map((n) => `ALARM("${n}")`).join(' OR '),
    children,
    ...actions,
    tags,
  };
  return { alarms, composite };
}
