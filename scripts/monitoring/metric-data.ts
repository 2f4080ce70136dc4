/**
 * GetMetricData in batches of at most 500 queries (the API's limit), paged by the SDK's paginateGetMetricData until
 * every query is complete, and joining the pages of each query into one series.
 */
import { paginateGetMetricData, type CloudWatchClient, type MetricDataQuery as SdkQuery } from '@aws-sdk/client-cloudwatch';
import type { MetricDataQuery } from '../../lib/monitoring/report-metrics';
import type { TimeRange } from '../../lib/monitoring/time-range';
import { call } from './aws';

export const MAX_QUERIES_PER_CALL = 500;

export interface MetricSeriesResult {
  readonly timestamps: Date[];
  readonly values: number[];
}

export interface MetricDataOptions {
  /** Queries per call. @default 500 */
  readonly batchSize?: number;
  /** Called after each page (for progress). */
  readonly onPage?: () => void;
  /** Resource named in permission errors. */
  readonly resource?: string;
}

/** Results by query id, each sorted by time. */
export async function getMetricData(cw: CloudWatchClient, queries: readonly MetricDataQuery[], range: TimeRange, opts: MetricDataOptions = {}): Promise<Map<string, MetricSeriesResult>> {
  const batchSize = Math.min(opts.batchSize ?? MAX_QUERIES_PER_CALL, MAX_QUERIES_PER_CALL);
  const out = new Map<string, { points: [number, number][] }>();
  for (const q of queries) out.set(q.Id, { points: [] });
  for (let i = 0; i < queries.length; i += batchSize) {
    const batch = queries.slice(i, i + batchSize) as unknown as SdkQuery[];
    await call('cloudwatch:GetMetricData', opts.resource ?? 'the distribution metrics', async () => {
      for await (const page of paginateGetMetricData({ client: cw }, { MetricDataQueries: batch, StartTime: range.from, EndTime: range.to, ScanBy: 'TimestampAscending' })) {
        for (const r of page.MetricDataResults ?? []) {
          const series = out.get(r.Id ?? '');
          if (!series) continue;
          const ts = r.Timestamps ?? [];
          const vs = r.Values ?? [];
          for (let k = 0; k < Math.min(ts.length, vs.length); k++) series.points.push([ts[k]!.getTime(), vs[k]!]);
        }
        opts.onPage?.();
      }
    });
  }
  const result = new Map<string, MetricSeriesResult>();
  for (const [id, s] of out) {
    s.points.sort((a, b) => a[0] - b[0]);
    result.set(id, { timestamps: s.points.map((p) => new Date(p[0])), values: s.points.map((p) => p[1]) });
  }
  return result;
}
