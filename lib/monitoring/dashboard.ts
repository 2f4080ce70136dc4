/**
 * The CloudWatch dashboard body (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html)
 * built as plain JSON from the catalog and the stack config. docs/monitoring.md describes each widget.
 */
import type { Catalog } from '../catalog';
import {
  gbpsExpression, hitRatioExpression, overallHitRateTargetPercent, originLatencyThresholdMs, SEVERITY_PROFILES, type Severity,
} from './alarms';
import { breakdownQuery, topMissesQuery, withSource } from './insights-queries';
import { jsErrorRateExpression, RUM_APPLICATION_DIMENSION, RUM_METRIC_NAMES, RUM_NAMESPACE, RUM_THRESHOLDS } from './rum';
import {
  BILLING_NAMESPACE, BILLING_SERVICE_NAME, CLOUDFRONT_METRIC_REGION, CLOUDFRONT_NAMESPACE, contentTypeMetricName,
  customNamespace, INVALIDATION_METRICS, MONITORING_REGION,
} from './names';

export interface DashboardInputs {
  readonly catalog: Catalog;
  readonly stack: string;
  readonly distributionId: string;
  readonly logGroupName: string;
  readonly severity: Severity;
  readonly bandwidthCeilingGbps: number;
  /** 0 when the stack has no budget. */
  readonly monthlyBudgetUsd: number;
  /** ARNs of the alarms shown in the alarm-status widget; none, no widget. */
  readonly alarmArns?: readonly string[];
  /** The web player's CloudWatch RUM app monitor; absent, no RUM widgets. */
  readonly rum?: { readonly appMonitorName: string };
}

export interface DashboardWidget {
  readonly type: 'metric' | 'text' | 'log' | 'alarm';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface DashboardBody {
  readonly start: string;
  readonly periodOverride: 'inherit' | 'auto';
  readonly widgets: readonly DashboardWidget[];
}

/** Dashboard grid width (CloudWatch uses 24 columns). */
const GRID = 24;

type Annotation = { label: string; value: number; color?: string };
type Placed = Omit<DashboardWidget, 'x' | 'y'>;

/** Places widgets left to right, wrapping at the grid width. */
function layout(widgets: readonly Placed[]): DashboardWidget[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return widgets.map((w) => {
    if (x + w.width > GRID) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const placed = { ...w, x, y };
    x += w.width;
    rowHeight = Math.max(rowHeight, w.height);
    return placed;
  });
}

function metricWidget(title: string, metrics: unknown[][], opts: {
  stat?: string; period?: number; stacked?: boolean; annotations?: Annotation[]; yMin?: number; yMax?: number; width?: number; label?: string;
} = {}): Placed {
  const properties: Record<string, unknown> = {
    title, region: MONITORING_REGION, view: 'timeSeries', stacked: opts.stacked ?? false, metrics,
    period: opts.period ?? 300,
  };
  if (opts.stat) properties.stat = opts.stat;
  if (opts.annotations?.length) properties.annotations = { horizontal: opts.annotations };
  if (opts.yMin !== undefined || opts.yMax !== undefined || opts.label) {
    properties.yAxis = { left: { ...(opts.yMin !== undefined ? { min: opts.yMin } : {}), ...(opts.yMax !== undefined ? { max: opts.yMax } : {}), ...(opts.label ? { label: opts.label, showUnits: false } : {}) } };
  }
  return { type: 'metric', width: opts.width ?? 12, height: 6, properties };
}

function logWidget(title: string, logGroupName: string, query: string, width = 12): Placed {
  return { type: 'log', width, height: 6, properties: { title, region: MONITORING_REGION, view: 'table', query: withSource(logGroupName, query) } };
}

function pct(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}

/** The header: what the dashboard shows and the catalog's targets. */
function header(inp: DashboardInputs): Placed {
  const rows = inp.catalog.types.map((t) => `| ${t.name} | ${pct(t.targetHitRatio)} | ${t.targetLatencyMs} ms |`);
  const markdown = [
    `# media-cdn ${inp.stack} — distribution ${inp.distributionId}`,
    `CloudFront metrics (us-east-1, Region=Global), per-type metrics from the access logs in \`${inp.logGroupName}\` (hour periods: logs arrive late), alarm severity **${inp.severity}**. Widgets and thresholds: docs/monitoring.md.`,
    '',
    '| content type | hit-ratio target | p95 first-byte target |',
    '| --- | --- | --- |',
    ...rows,
  ].join('\n');
  return { type: 'text', width: GRID, height: 3 + Math.ceil(rows.length / 2), properties: { markdown } };
}

/** The web player's real-user metrics (AWS/RUM, dimension application_name = the app monitor). */
function rumWidgets(appMonitorName: string): Placed[] {
  const rum = (metricName: string, extra: Record<string, unknown>): unknown[] => [RUM_NAMESPACE, metricName, RUM_APPLICATION_DIMENSION, appMonitorName, extra];
  return [
    metricWidget('Web player: page load and LCP (ms) — RUM', [
      rum(RUM_METRIC_NAMES.navigation, { stat: 'p50', label: 'page load p50' }),
      rum(RUM_METRIC_NAMES.navigation, { stat: 'p90', label: 'page load p90' }),
      rum(RUM_METRIC_NAMES.lcp, { stat: 'p75', label: 'LCP p75' }),
      rum(RUM_METRIC_NAMES.lcp, { stat: 'p90', label: 'LCP p90' }),
    ], {
      yMin: 0,
      annotations: [
        { label: `LCP p90 alarm ${RUM_THRESHOLDS.lcpP90Ms} ms (poor)`, value: RUM_THRESHOLDS.lcpP90Ms, color: '#d62728' },
        { label: 'LCP good ≤ 2500 ms', value: 2500, color: '#2ca02c' },
      ],
    }),
    metricWidget('Web player: resource timing (ms) — RUM', [
      rum(RUM_METRIC_NAMES.resource, { stat: 'p50', label: 'resource p50' }),
      rum(RUM_METRIC_NAMES.resource, { stat: 'p90', label: 'resource p90' }),
    ], { yMin: 0 }),
    metricWidget('Web player: JavaScript errors per 100 page views — RUM', [
      rum(RUM_METRIC_NAMES.jsErrors, { id: 'errors', stat: 'Sum', visible: false }),
      rum(RUM_METRIC_NAMES.pageViews, { id: 'views', stat: 'Sum', visible: false }),
      [{ expression: jsErrorRateExpression(), label: 'errors per 100 page views', id: 'rate' }],
    ], { yMin: 0, annotations: [{ label: `alarm ${RUM_THRESHOLDS.jsErrorsPer100PageViews}`, value: RUM_THRESHOLDS.jsErrorsPer100PageViews, color: '#d62728' }] }),
    metricWidget('Web player: sessions, page views, HTTP errors — RUM', [
      rum(RUM_METRIC_NAMES.sessions, { label: 'sessions' }),
      rum(RUM_METRIC_NAMES.pageViews, { label: 'page views' }),
      rum(RUM_METRIC_NAMES.http4xx, { label: 'HTTP 4xx', yAxis: 'right' }),
      rum(RUM_METRIC_NAMES.http5xx, { label: 'HTTP 5xx', yAxis: 'right' }),
    ], { stat: 'Sum', yMin: 0 }),
  ];
}

/** Builds the dashboard body. Pure: same inputs, same JSON. */
export function buildDashboardBody(inp: DashboardInputs): DashboardBody {
  const { catalog } = inp;
  const profile = SEVERITY_PROFILES[inp.severity];
  const cf = (metricName: string, extra: Record<string, unknown> = {}): unknown[] =>
    [CLOUDFRONT_NAMESPACE, metricName, 'DistributionId', inp.distributionId, 'Region', CLOUDFRONT_METRIC_REGION, ...(Object.keys(extra).length ? [extra] : [])];
  const ns = customNamespace(inp.stack);
  const logPeriod = profile.logPeriodSeconds;

  const widgets: Placed[] = [
    header(inp),
    metricWidget('Requests', [cf('Requests', { label: 'Requests' })], { stat: 'Sum' }),
    metricWidget('Bandwidth to viewers (Gbps)', [
      cf('BytesDownloaded', { id: 'bytes', stat: 'Sum', visible: false }),
      [{ expression: gbpsExpression('bytes', 'graph'), label: 'Gbps', id: 'gbps' }],
    ], { annotations: [{ label: `ceiling ${inp.bandwidthCeilingGbps} Gbps (alarm)`, value: inp.bandwidthCeilingGbps, color: '#d62728' }], yMin: 0, label: 'Gbps' }),
    metricWidget('Error rates (%)', [cf('5xxErrorRate', { label: '5xx' }), cf('4xxErrorRate', { label: '4xx' }), cf('TotalErrorRate', { label: 'total' })], {
      stat: 'Average', yMin: 0,
      annotations: [
        { label: `5xx alarm ${profile.errorRate5xxPercent}%`, value: profile.errorRate5xxPercent, color: '#d62728' },
        { label: `4xx alarm ${profile.errorRate4xxPercent}%`, value: profile.errorRate4xxPercent, color: '#ff7f0e' },
      ],
    }),
    metricWidget('Error rates by status (%) — additional metrics', ['401', '403', '404', '502', '503', '504'].map((s) => cf(`${s}ErrorRate`, { label: s })), { stat: 'Average', yMin: 0 }),
    metricWidget('CacheHitRate (%) — distribution', [cf('CacheHitRate', { label: 'CacheHitRate' })], {
      stat: 'Average', yMin: 0, yMax: 100,
      annotations: [{ label: `alarm under ${overallHitRateTargetPercent(catalog)}% (lowest type target)`, value: overallHitRateTargetPercent(catalog), color: '#d62728' }],
    }),
    metricWidget('OriginLatency (ms)', ['p50', 'p90', 'p95', 'p99'].map((s) => cf('OriginLatency', { stat: s, label: s })), {
      yMin: 0,
      annotations: [
        { label: `p95 alarm ${originLatencyThresholdMs(catalog)} ms`, value: originLatencyThresholdMs(catalog), color: '#d62728' },
        ...[...new Set(catalog.types.map((t) => t.targetLatencyMs))].filter((ms) => ms !== originLatencyThresholdMs(catalog))
          .map((ms) => ({ label: `${catalog.types.filter((t) => t.targetLatencyMs === ms).map((t) => t.name).join(', ')} target ${ms} ms`, value: ms })),
      ],
    }),
    metricWidget('Hit ratio by content type (%) — access logs', catalog.types.flatMap((t) => [
      [ns, contentTypeMetricName('hits', t.name), { id: `hits_${t.name}`, stat: 'Sum', visible: false }],
      [ns, contentTypeMetricName('cacheable', t.name), { id: `cacheable_${t.name}`, stat: 'Sum', visible: false }],
      [{ expression: hitRatioExpression(`hits_${t.name}`, `cacheable_${t.name}`), label: `${t.name} (target ${pct(t.targetHitRatio)})`, id: `ratio_${t.name}` }],
    ]), {
      period: logPeriod, yMin: 0, yMax: 100,
      annotations: catalog.types.map((t) => ({ label: `${t.name} target`, value: t.targetHitRatio * 100 })),
    }),
    metricWidget('Bytes to viewers by content type — access logs', catalog.types.map((t) => [ns, contentTypeMetricName('bytes', t.name), { label: t.name }]), {
      stat: 'Sum', period: logPeriod, stacked: true, yMin: 0,
    }),
    logWidget('Requests and p95 time-taken (s) by country', inp.logGroupName, breakdownQuery('country', 25)),
    logWidget('Requests and p95 time-taken (s) by edge location', inp.logGroupName, breakdownQuery('edgeLocation', 25)),
    logWidget('Top misses (paths)', inp.logGroupName, topMissesQuery(20), GRID),
    metricWidget('Invalidations (npm run invalidate)', [
      [ns, INVALIDATION_METRICS.paths, 'DistributionId', inp.distributionId, { label: 'paths submitted' }],
      [ns, INVALIDATION_METRICS.failures, 'DistributionId', inp.distributionId, { label: 'failed invalidations', yAxis: 'right' }],
    ], { stat: 'Sum', period: 3600, yMin: 0 }),
    metricWidget('Estimated CloudFront charges this month (USD)', [
      [BILLING_NAMESPACE, 'EstimatedCharges', 'ServiceName', BILLING_SERVICE_NAME, 'Currency', 'USD', { label: 'EstimatedCharges' }],
    ], {
      stat: 'Maximum', period: 21600, yMin: 0,
      annotations: inp.monthlyBudgetUsd > 0 ? [{ label: `budget ${inp.monthlyBudgetUsd} USD`, value: inp.monthlyBudgetUsd, color: '#d62728' }] : [],
    }),
  ];
  if (inp.rum) widgets.push(...rumWidgets(inp.rum.appMonitorName));
  if (inp.alarmArns?.length) {
    widgets.push({ type: 'alarm', width: GRID, height: 4, properties: { title: 'Alarms', alarms: [...inp.alarmArns], sortBy: 'stateUpdatedTimestamp' } });
  }
  return { start: '-PT24H', periodOverride: 'inherit', widgets: layout(widgets) };
}
