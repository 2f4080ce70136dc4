/**
 * The CloudWatch metric queries of `npm run report` (GetMetricData `MetricDataQueries`, spec §12):
 * each distribution metric twice, once as a series for the charts and once over one period covering
 * the whole range for the totals (exact for Sum, Average and percentiles alike).
 */
import { CLOUDFRONT_METRIC_REGION, CLOUDFRONT_NAMESPACE } from './names';

/** A GetMetricData query in the API's shape (no SDK import: lib stays pure). */
export interface MetricDataQuery {
  readonly Id: string;
  readonly Label: string;
  readonly ReturnData: true;
  readonly MetricStat: {
    readonly Metric: { readonly Namespace: string; readonly MetricName: string; readonly Dimensions: readonly { Name: string; Value: string }[] };
    readonly Period: number;
    readonly Stat: string;
  };
}

/** What the report reads, by key: metric name and statistic (spec §12). */
export const REPORT_METRICS = Object.freeze({
  requests: { metricName: 'Requests', stat: 'Sum', label: 'Requests' },
  bytesDownloaded: { metricName: 'BytesDownloaded', stat: 'Sum', label: 'Bytes downloaded' },
  errorRate4xx: { metricName: '4xxErrorRate', stat: 'Average', label: '4xx error rate (%)' },
  errorRate5xx: { metricName: '5xxErrorRate', stat: 'Average', label: '5xx error rate (%)' },
  totalErrorRate: { metricName: 'TotalErrorRate', stat: 'Average', label: 'Total error rate (%)' },
  cacheHitRate: { metricName: 'CacheHitRate', stat: 'Average', label: 'CacheHitRate (%)' },
  originLatencyP50: { metricName: 'OriginLatency', stat: 'p50', label: 'OriginLatency p50 (ms)' },
  originLatencyP95: { metricName: 'OriginLatency', stat: 'p95', label: 'OriginLatency p95 (ms)' },
  originLatencyP99: { metricName: 'OriginLatency', stat: 'p99', label: 'OriginLatency p99 (ms)' },
  errorRate401: { metricName: '401ErrorRate', stat: 'Average', label: '401 rate (%)' },
  errorRate403: { metricName: '403ErrorRate', stat: 'Average', label: '403 rate (%)' },
  errorRate404: { metricName: '404ErrorRate', stat: 'Average', label: '404 rate (%)' },
  errorRate502: { metricName: '502ErrorRate', stat: 'Average', label: '502 rate (%)' },
  errorRate503: { metricName: '503ErrorRate', stat: 'Average', label: '503 rate (%)' },
  errorRate504: { metricName: '504ErrorRate', stat: 'Average', label: '504 rate (%)' },
});
export type ReportMetricKey = keyof typeof REPORT_METRICS;

/** Metrics drawn as series (the others are totals only). */
export const SERIES_METRICS: readonly ReportMetricKey[] = ['requests', 'bytesDownloaded', 'errorRate4xx', 'errorRate5xx', 'cacheHitRate', 'originLatencyP95'];

/** Query ids: `t_<key>` for totals, `s_<key>` for series (ids must start with a lower-case letter). */
export const totalId = (key: ReportMetricKey) => `t_${key}`;
export const seriesId = (key: ReportMetricKey) => `s_${key}`;

export function reportMetricQueries(distributionId: string, seriesPeriod: number, totalPeriod: number): MetricDataQuery[] {
  const dims = [{ Name: 'DistributionId', Value: distributionId }, { Name: 'Region', Value: CLOUDFRONT_METRIC_REGION }];
  return metricQueries({ namespace: CLOUDFRONT_NAMESPACE, dims, metrics: REPORT_METRICS, series: SERIES_METRICS, totalId, seriesId }, seriesPeriod, totalPeriod);
}

/** A set of metrics a report reads: each once over the whole range (its total) and the `series` keys charted per period. */
export interface MetricSet<K extends string> {
  readonly namespace: string;
  readonly dims: readonly { Name: string; Value: string }[];
  readonly metrics: Readonly<Record<K, { readonly label: string; readonly metricName: string; readonly stat: string }>>;
  readonly series: readonly K[];
  readonly totalId: (key: K) => string;
  readonly seriesId: (key: K) => string;
}

/** GetMetricData queries of a metric set: one total per metric over `totalPeriod`, the series per `seriesPeriod`. */
export function metricQueries<K extends string>(set: MetricSet<K>, seriesPeriod: number, totalPeriod: number): MetricDataQuery[] {
  const query = (id: string, key: K, period: number): MetricDataQuery => ({
    Id: id,
    Label: set.metrics[key].label,
    ReturnData: true,
    MetricStat: { Metric: { Namespace: set.namespace, MetricName: set.metrics[key].metricName, Dimensions: set.dims }, Period: period, Stat: set.metrics[key].stat },
  });
  const keys = Object.keys(set.metrics) as K[];
  return [...keys.map((k) => query(set.totalId(k), k, totalPeriod)), ...set.series.map((k) => query(set.seriesId(k), k, seriesPeriod))];
}
