/**
 * Gathers the monitoring report's data: CloudWatch metrics of the distribution (GetMetricData,
 * batched and paginated) and Logs Insights queries over the access logs (per content type, by
 * country and edge location, top paths and misses). The SDK clients are parameters.
 */
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { loadAnalyses } from '../../adapters/analytics-sql';
import { analysisParameters } from '../../lib/analytics/analyses';
import type { AnalysisResult } from '../../lib/analytics/results';
import { InputError } from '../../lib/errors';
import { logsFromAnalyses, REPORT_ANALYSES } from '../../lib/monitoring/athena-logs';
import { athenaQueryCostUsd } from '../../lib/semantics/pricing';
import { runAnalysisOnAthena, type PollOptions } from '../analytics/athena';
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
import { call } from './aws';
import { runInsightsQueries, type InsightsOptions } from './insights';
import type { StackContext } from './stack-context';

export interface ReportClients {
  readonly cloudWatch: CloudWatchClient;
  readonly logs: CloudWatchLogsClient;
  /** Needed for `logSource: 'athena'`. */
  readonly athena?: AthenaClient;
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
  /** Where the per-type figures come from. @default 'logs-insights' */
  readonly logSource?: 'logs-insights' | 'athena';
  /** Polling of the Athena queries (`logSource: 'athena'`). */
  readonly athenaPoll?: PollOptions;
  /** Starts a progress bar (scripts/lib/progress.ts). */
  readonly progress?: (label: string, total: number) => Progress;
}

const NO_PROGRESS: Progress = { increment() {}, setTotal() {}, stop() {} };

export async function collectReport(clients: ReportClients, opts: CollectOptions): Promise<ReportData> {
  const { outputs } = opts.source;
  const queryLogs = opts.queryLogs ?? true;
  const athena = opts.logSource === 'athena';
  if (queryLogs && athena && (!outputs.athenaWorkgroup || !outputs.glueDatabase)) {
    throw new InputError(`${opts.source.label} has no Athena workgroup (outputs athenaWorkgroup, glueDatabase): set media-cdn:logAnalytics true and run 'pulumi up', or use --source logs-insights.`);
  }
  if (queryLogs && !athena && !outputs.logGroupName) {
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
  if (athena) return { ...data, logs: await athenaLogs(clients, opts, progress) };

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

/** The per-type, country, edge and top-miss figures from the log analyses on the stack's Athena workgroup. */
async function athenaLogs(clients: ReportClients, opts: CollectOptions, progress: (label: string, total: number) => Progress): Promise<NonNullable<ReportData['logs']>> {
  if (!clients.athena) throw new Error('collectReport: logSource athena needs an Athena client');
  const { outputs } = opts.source;
  const target = { workgroup: outputs.athenaWorkgroup!, database: outputs.glueDatabase! };
  const analyses = loadAnalyses(opts.context.catalog).filter((a) => REPORT_ANALYSES.includes(a.name));
  const params = analysisParameters({ from: opts.range.from, to: opts.range.to, distributionId: outputs.distributionId });
  const bar = progress('Athena queries', analyses.length);
  const results: AnalysisResult[] = [];
  try {
    for (const a of analyses) {
      results.push(await call('athena:StartQueryExecution', `workgroup ${target.workgroup}`, () => runAnalysisOnAthena(clients.athena!, target, a, params, opts.athenaPoll)));
      bar.increment();
    }
  } finally {
    bar.stop();
  }
  const costUsd = results.reduce((s, r) => s + athenaQueryCostUsd(r.bytesScanned ?? 0), 0);
  return { ...logsFromAnalyses(results, opts.context.catalog), costUsd, workgroup: target.workgroup };
}
