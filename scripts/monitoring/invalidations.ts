/**
 * Invalidation paths billed in a range: ListInvalidations (every page) for the distribution, then
 * GetInvalidation for each one created in the range to count its paths (summaries carry no paths).
 * Paths are billed per month beyond the first 1,000 of the account (spec §8.5).
 */
import { mapConcurrent } from '../../lib/concurrency';
import { GetInvalidationCommand, paginateListInvalidations, type CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { billPaths } from '../../lib/invalidation/cost';
import type { TimeRange } from '../../lib/monitoring/time-range';
import { call } from './aws';

export interface InvalidationRecord {
  readonly id: string;
  readonly createTime: string;
  readonly status: string;
  readonly paths: number;
}

export interface InvalidationMonth {
  readonly month: string;
  readonly invalidations: number;
  readonly paths: number;
  /** Paths over the free 1,000, assuming no other distribution of the account used any. */
  readonly billedPaths: number;
  readonly usd: number;
}

export interface InvalidationSummary {
  readonly invalidations: InvalidationRecord[];
  readonly months: InvalidationMonth[];
  readonly totalPaths: number;
  readonly totalUsd: number;
}

export interface InvalidationOptions {
  /** GetInvalidation calls at once. @default 4 */
  readonly concurrency?: number;
  /** Summaries per ListInvalidations page. @default 100 */
  readonly pageSize?: number;
  readonly onListed?: (inRange: number) => void;
  readonly onDetail?: () => void;
}

export async function invalidationsInRange(cf: CloudFrontClient, distributionId: string, range: TimeRange, opts: InvalidationOptions = {}): Promise<InvalidationSummary> {
  const resource = `distribution ${distributionId}`;
  const inRange: { id: string; createTime: Date; status: string }[] = [];
  await call('cloudfront:ListInvalidations', resource, async () => {
    for await (const page of paginateListInvalidations({ client: cf, pageSize: opts.pageSize ?? 100 }, { DistributionId: distributionId })) {
      for (const s of page.InvalidationList?.Items ?? []) {
        const t = s.CreateTime;
        if (s.Id && t && t >= range.from && t < range.to) inRange.push({ id: s.Id, createTime: t, status: s.Status ?? '' });
      }
    }
  });
  opts.onListed?.(inRange.length);

  const records: InvalidationRecord[] = await mapConcurrent(inRange, opts.concurrency ?? 4, async (s) => {
    const r = await call('cloudfront:GetInvalidation', resource, () => cf.send(new GetInvalidationCommand({ DistributionId: distributionId, Id: s.id })));
    opts.onDetail?.();
    return { id: s.id, createTime: s.createTime.toISOString(), status: s.status, paths: r.Invalidation?.InvalidationBatch?.Paths?.Quantity ?? 0 };
  });
  records.sort((a, b) => a.createTime.localeCompare(b.createTime));

  const byMonth = new Map<string, { invalidations: number; paths: number }>();
  for (const r of records) {
    const m = r.createTime.slice(0, 7);
    const e = byMonth.get(m) ?? { invalidations: 0, paths: 0 };
    e.invalidations += 1;
    e.paths += r.paths;
    byMonth.set(m, e);
  }
  const months = [...byMonth.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, e]) => {
    const bill = billPaths(e.paths, 0);
    return { month, ...e, billedPaths: bill.billedPaths, usd: bill.usd };
  });
  return {
    invalidations: records,
    months,
    totalPaths: records.reduce((s, r) => s + r.paths, 0),
    totalUsd: months.reduce((s, m) => s + m.usd, 0),
  };
}
