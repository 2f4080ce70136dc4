/**
 * Data the local fakes answer with: a day of CloudWatch metrics for the distribution, Logs Insights
 * results for the report's queries, a month of Cost Explorer rows and a few invalidations.
 */
import { resolveCatalog } from '../../lib/catalog';
import { breakdownQuery, classQueries, topMissesQuery, topPathsQuery } from '../../lib/monitoring/insights-queries';
import type { CostRow, Datapoint, MetricQueryInput } from '../../local/aws-json-server';
import type { FakeInvalidation } from '../../local/aws-json-server/cloudfront';

/** Range totals by metric name and statistic. */
export const TOTALS: Record<string, number> = {
  'Requests/Sum': 1_000_000,
  'BytesDownloaded/Sum': 5e12,
  '4xxErrorRate/Average': 2.5,
  '5xxErrorRate/Average': 0.3,
  'TotalErrorRate/Average': 2.8,
  'CacheHitRate/Average': 93.5,
  'OriginLatency/p50': 40,
  'OriginLatency/p95': 160,
  'OriginLatency/p99': 310,
  '401ErrorRate/Average': 0.1,
  '403ErrorRate/Average': 1.2,
  '404ErrorRate/Average': 1.1,
  '502ErrorRate/Average': 0.1,
  '503ErrorRate/Average': 0.1,
  '504ErrorRate/Average': 0.05,
};

/**
 * One point per query over the whole range for totals (`t_*`); one point per period for series
 * (`s_*`), valued by its index so order and completeness can be checked.
 */
export function datapoints(q: MetricQueryInput, start: number, end: number): Datapoint[] {
  const stat = q.MetricStat!;
  if (q.Id.startsWith('t_')) return [{ t: start, v: TOTALS[`${stat.Metric.MetricName}/${stat.Stat}`] ?? 0 }];
  const out: Datapoint[] = [];
  for (let t = start, i = 0; t < end; t += stat.Period, i++) out.push({ t, v: i });
  return out;
}

const catalog = resolveCatalog();

export interface ClassRow { requests: number; hits: number; misses: number; ttfb: number; bytes: number }

/** Per class: every target met (video 96 %, thumbnails 92 %, metadata 90 %, static 99 %, api 85 %). */
export const CLASS_ROWS: Record<string, ClassRow> = {
  'video:cached': { requests: 600_000, hits: 576_000, misses: 24_000, ttfb: 0.15, bytes: 4.5e12 },
  'thumbnails:cached': { requests: 200_000, hits: 184_000, misses: 16_000, ttfb: 0.04, bytes: 4e11 },
  'metadata:cached': { requests: 100_000, hits: 90_000, misses: 10_000, ttfb: 0.08, bytes: 5e10 },
  'static:cached': { requests: 60_000, hits: 59_400, misses: 600, ttfb: 0.03, bytes: 4e10 },
  'api:cached': { requests: 30_000, hits: 25_500, misses: 4_500, ttfb: 0.12, bytes: 9e9 },
  'api:uncached': { requests: 10_000, hits: 0, misses: 10_000, ttfb: 0.14, bytes: 1e9 },
};

/** Logs Insights answers keyed by the exact query strings the report sends. */
export function insightsAnswers(rows: Record<string, ClassRow> = CLASS_ROWS): Map<string, Record<string, string | number>[]> {
  const answers = new Map<string, Record<string, string | number>[]>();
  for (const c of classQueries(catalog)) {
    const r = rows[`${c.contentType}:${c.routes}`]!;
    answers.set(c.query, [{ requests: r.requests, bytes: r.bytes, hits: r.hits, misses: r.misses, ttfbP95: r.ttfb }]);
  }
  answers.set(breakdownQuery('country'), [
    { 'c-country': 'US', requests: 500_000, timeTakenP95: 0.41, bytes: 2.5e12 },
    { 'c-country': 'DE', requests: 300_000, timeTakenP95: 0.52, bytes: 1.5e12 },
  ]);
  answers.set(breakdownQuery('edgeLocation'), [{ 'x-edge-location': 'IAD89-P1', requests: 400_000, timeTakenP95: 0.38, bytes: 2e12 }]);
  answers.set(topPathsQuery(), [{ 'cs-uri-stem': '/video/t1/seg-001.ts', requests: 9_000, bytes: 3.6e10 }]);
  answers.set(topMissesQuery(), [{ 'cs-uri-stem': '/metadata/t9.json', misses: 700, bytes: 3.5e6 }]);
  return answers;
}

/** A month of CloudFront usage as Cost Explorer reports it (2026-02, account-wide). */
export const COST_ROWS: CostRow[] = [
  { month: '2026-02-01', usageType: 'US-DataTransfer-Out-Bytes', region: 'global', usd: 850.0, quantity: 10_000, unit: 'GB' },
  { month: '2026-02-01', usageType: 'EU-DataTransfer-Out-Bytes', region: 'global', usd: 425.0, quantity: 5_000, unit: 'GB' },
  { month: '2026-02-01', usageType: 'SA-DataTransfer-Out-Bytes', region: 'global', usd: 220.0, quantity: 2_000, unit: 'GB' },
  { month: '2026-02-01', usageType: 'US-Requests-Tier2-HTTPS', region: 'global', usd: 100.0, quantity: 100_000_000, unit: 'Requests' },
  { month: '2026-02-01', usageType: 'EU-Requests-Tier2-HTTPS', region: 'global', usd: 60.0, quantity: 50_000_000, unit: 'Requests' },
  { month: '2026-02-01', usageType: 'USE1-Requests-OriginShield', region: 'us-east-1', usd: 4.5, quantity: 5_000_000, unit: 'Requests' },
  { month: '2026-02-01', usageType: 'Invalidations', region: 'global', usd: 2.5, quantity: 1_500, unit: 'Paths' },
  { month: '2026-02-01', usageType: 'Executions-CloudFrontFunctions', region: 'global', usd: 1.0, quantity: 12_000_000, unit: 'Invocations' },
];

/** Invalidations of the distribution, newest first: two in February 2026 (1,500 paths), one before. */
export const INVALIDATIONS: FakeInvalidation[] = [
  { id: 'I3', createTime: '2026-02-20T10:00:00.000Z', status: 'Completed', paths: Array.from({ length: 1000 }, (_, i) => `/metadata/t${i}.json`) },
  { id: 'I2', createTime: '2026-02-03T10:00:00.000Z', status: 'Completed', paths: Array.from({ length: 500 }, (_, i) => `/static/a${i}.js`) },
  { id: 'I1', createTime: '2026-01-15T10:00:00.000Z', status: 'Completed', paths: ['/static/*'] },
];
