/**
 * The real-user figures of `npm run report`: what the web player's CloudWatch RUM app monitor measured
 * over the range (sessions, page loads, LCP, resource timing, JavaScript and HTTP errors), checked
 * against the RUM alarm thresholds (lib/monitoring/rum.ts). Pure: the script fetches the metrics.
 */
import type { Check, CheckStatus, Series } from './report';
import { RUM_REPORT_METRICS, RUM_SERIES_METRICS, RUM_THRESHOLDS, rumSeriesId, rumTotalId, type RumReportMetricKey } from './rum';

/** What the app monitor measured; totals are undefined when CloudWatch had no data point. */
export interface RumData {
  readonly appMonitorName: string;
  readonly totals: Readonly<Partial<Record<RumReportMetricKey, number>>>;
  readonly series: Readonly<Partial<Record<RumReportMetricKey, Series>>>;
}

/** GetMetricData results by query id (the shape scripts/monitoring/metric-data.ts returns). */
export type MetricResults = ReadonlyMap<string, { readonly timestamps: readonly Date[]; readonly values: readonly number[] }>;

/**
 * The RUM figures from the results of `rumReportQueries`. One period spans the range; should the
 * service split it, sums add and percentiles are averaged.
 */
export function rumDataFromResults(appMonitorName: string, results: MetricResults): RumData {
  const totals: Partial<Record<RumReportMetricKey, number>> = {};
  for (const key of Object.keys(RUM_REPORT_METRICS) as RumReportMetricKey[]) {
    const values = results.get(rumTotalId(key))?.values ?? [];
    if (values.length === 0) continue;
    const sum = values.reduce((a, b) => a + b, 0);
    totals[key] = RUM_REPORT_METRICS[key].stat === 'Sum' ? sum : sum / values.length;
  }
  const series: Partial<Record<RumReportMetricKey, Series>> = {};
  for (const key of RUM_SERIES_METRICS) {
    const s = results.get(rumSeriesId(key));
    if (s && s.values.length > 0) series[key] = { timestamps: s.timestamps.map((t) => t.toISOString()), values: [...s.values] };
  }
  return { appMonitorName, totals, series };
}

/** JavaScript errors per 100 page views; undefined without page views. */
export function jsErrorsPer100PageViews(t: RumData['totals']): number | undefined {
  return t.pageViews && t.pageViews > 0 ? (100 * (t.jsErrors ?? 0)) / t.pageViews : undefined;
}

const status = (v: number | undefined, ok: (v: number) => boolean): CheckStatus => (v === undefined ? 'no data' : ok(v) ? 'pass' : 'FAIL');
const ms = (v: number | undefined) => (v === undefined ? '-' : `${Math.round(v)} ms`);

/** The RUM checks: LCP p90, page load p90 and JavaScript errors per 100 page views against the alarm thresholds. */
export function rumChecks(rum: RumData): Check[] {
  const t = rum.totals;
  const errorRate = jsErrorsPer100PageViews(t);
  return [
    { name: 'RUM LCP p90 (web player)', measured: ms(t.lcpP90), target: `≤ ${RUM_THRESHOLDS.lcpP90Ms} ms`, status: status(t.lcpP90, (v) => v <= RUM_THRESHOLDS.lcpP90Ms) },
    { name: 'RUM page load p90 (web player)', measured: ms(t.navigationP90), target: `≤ ${RUM_THRESHOLDS.navigationP90Ms} ms`, status: status(t.navigationP90, (v) => v <= RUM_THRESHOLDS.navigationP90Ms) },
    {
      name: 'RUM JS errors per 100 page views', measured: errorRate === undefined ? '-' : errorRate.toFixed(2),
      target: `≤ ${RUM_THRESHOLDS.jsErrorsPer100PageViews}`, status: status(errorRate, (v) => v <= RUM_THRESHOLDS.jsErrorsPer100PageViews),
    },
  ];
}

const int = (v: number | undefined) => (v === undefined ? '-' : Math.round(v).toLocaleString('en-US'));

/** The figures as a two-column table (what, measured). */
export function rumTable(rum: RumData): { headers: string[]; rows: string[][] } {
  const t = rum.totals;
  const errorRate = jsErrorsPer100PageViews(t);
  return {
    headers: ['web player (RUM)', 'measured'],
    rows: [
      ['sessions', int(t.sessions)],
      ['page views', int(t.pageViews)],
      ['page load p50 / p90', `${ms(t.navigationP50)} / ${ms(t.navigationP90)}`],
      ['LCP p75 / p90', `${ms(t.lcpP75)} / ${ms(t.lcpP90)}`],
      ['resource duration p90', ms(t.resourceP90)],
      ['JavaScript errors', `${int(t.jsErrors)}${errorRate === undefined ? '' : ` (${errorRate.toFixed(2)} per 100 page views)`}`],
      ['HTTP 4xx / 5xx (player requests)', `${int(t.http4xx)} / ${int(t.http5xx)}`],
    ],
  };
}
