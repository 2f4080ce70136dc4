/**
 * Gathers the monitoring report's data: CloudWatch metrics of the distribution (GetMetricData,
 * batched and paginated) and Logs Insights queries over the access logs (per content type, by
 * country and edge location, top paths and misses). The SDK clients are parameters.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { InputError } from '../../lib/errors';
import {
  breakdownQuery, classQueries, parseBreakdown, parseClassStats, parsePathRows, topMissesQuery, topPathsQuery,
} from '../../lib/monitoring/insights-queries';
import type { ReportData, Series } from '../../lib/monitoring/report';
import { rumReportQueries } from '../../lib/monitoring/rum';
import { rumDataFromResults } from '../../lib/monitoring/rum-report';
import { REPORT_METRICS, reportMetricQueries, SERIES_METRICS, seriesId, totalId, type ReportMetricKey } from '../../lib/monitoring/report-metrics';
import { seriesPeriodSeconds, wholeRangePeriodSeconds, type TimeRange } from '../../lib/monitoring/time-range';
import type { StackSource } from '../lib/cli';
import type { Progress } from '../lib/progress';
import { getMetricData } from './metric-data';
import { runInsightsQueries, type InsightsOptions } from './insights';
import type { StackContext } from './stack-context';

export interface ReportClients {
  readonly cloudWatch: CloudWatchClient;
  readonly logs: CloudWatchLogsClient;
}

export interface CollectOptions {
  readonly source: StackSource;
  readonly context: StackContext;
  readonly range: TimeRange;
  /** Query the access logs (needs the `logGroupName` output). @default true */
  readonly queryLogs?: boolean;
  readonly now?: Date;
  /** GetMetricData queries per call. @default 500 */
  readonly batchSize?: number;
  readonly insights?: InsightsOptions;
  /** Starts a progress bar (scripts/lib/progress.ts). */
  readonly progress?: (label: string, total: number) => Progress;
}

const NO_PROGRESS: Progress = { increment() {}, setTotal() {}, stop() {} };

export async function collectReport(clients: ReportClients, opts: CollectOptions): Promise<ReportData> {
  const { outputs } = opts.source;
  const queryLogs = opts.queryLogs ?? true;
  if (queryLogs && !outputs.logGroupName) {
    throw new InputError(`${opts.source.label} has no logGroupName output: the stack predates the monitoring components or was not updated; run 'pulumi up', or pass --no-logs for CloudWatch metrics only.`);
  }
  const progress = opts.progress ?? (() => NO_PROGRESS);
  const seriesPeriod = seriesPeriodSeconds(opts.range, opts.now);
  // The web player's RUM metrics (us-east-1, like the CDN's) when the stack has an app monitor.
  const rumMonitor = outputs.rumAppMonitorName || undefined;
  const queries = [
    ...reportMetricQueries(outputs.distributionId, seriesPeriod, wholeRangePeriodSeconds(opts.range)),
    ...(rumMonitor ? rumReportQueries(rumMonitor, seriesPeriod, wholeRangePeriodSeconds(opts.range)) : []),
  ];

  const metricsBar = progress('CloudWatch metrics (pages)', Math.ceil(queries.length / (opts.batchSize ?? 500)));
  let metrics;
  try {
    metrics = await getMetricData(clients.cloudWatch, queries, opts.range, {
      ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
      onPage: () => metricsBar.increment(),
      resource: `distribution ${outputs.distributionId}`,
    });
  } finally {
    metricsBar.stop();
  }

  const totals: Partial<Record<ReportMetricKey, number>> = {};
  for (const key of Object.keys(REPORT_METRICS) as ReportMetricKey[]) {
    const values = metrics.get(totalId(key))?.values ?? [];
    if (values.length === 0) continue;
    // One period spans the range; should the service split it, sums add and rates are averaged.
    totals[key] = REPORT_METRICS[key].stat === 'Sum' ? values.reduce((a, b) => a + b, 0) : values.reduce((a, b) => a + b, 0) / values.length;
  }
  const series: Partial<Record<ReportMetricKey, Series>> = {};
  for (const key of SERIES_METRICS) {
    const s = metrics.get(seriesId(key));
    if (s && s.values.length > 0) series[key] = { timestamps: s.timestamps.map((t) => t.toISOString()), values: s.values };
  }

  const data: ReportData = {
    stack: opts.context.stack,
    distributionId: outputs.distributionId,
    ...(outputs.logGroupName ? { logGroupName: outputs.logGroupName } : {}),
    from: opts.range.from.toISOString(),
    to: opts.range.to.toISOString(),
    seriesPeriodSeconds: seriesPeriod,
    totals,
    series,
    ...(rumMonitor ? { rum: rumDataFromResults(rumMonitor, metrics) } : {}),
  };
  if (!queryLogs) return data;

  const classes = classQueries(opts.context.catalog);
  const insightsQueries = [
    ...classes.map((c) => ({ key: `class:${c.contentType}:${c.routes}`, query: c.query })),
    { key: 'country', query: breakdownQuery('country') },
    { key: 'edgeLocation', query: breakdownQuery('edgeLocation') },
    { key: 'topPaths', query: topPathsQuery() },
    { key: 'topMisses', query: topMissesQuery() },
  ];
  const logsBar = progress('Logs Insights queries', insightsQueries.length);
  let results;
  try {
    results = await runInsightsQueries(clients.logs, outputs.logGroupName!, opts.range, insightsQueries, { ...opts.insights, onDone: () => logsBar.increment() });
  } finally {
    logsBar.stop();
  }
  const rows = (key: string) => results.get(key)?.rows ?? [];
  return {
    ...data,
    logs: {
      classes: classes.map((c) => ({ contentType: c.contentType, routes: c.routes, stats: parseClassStats(rows(`class:${c.contentType}:${c.routes}`)) })),
      countries: parseBreakdown(rows('country'), 'country'),
      edgeLocations: parseBreakdown(rows('edgeLocation'), 'edgeLocation'),
      topPaths: parsePathRows(rows('topPaths'), 'requests'),
      topMisses: parsePathRows(rows('topMisses'), 'misses'),
      bytesScanned: [...results.values()].reduce((s, r) => s + r.bytesScanned, 0),
    },
  };
}
