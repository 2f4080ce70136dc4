/**
 * Cost Explorer calls of `npm run cost`: CloudFront cost and usage grouped by usage type and region
 * (GetCostAndUsage, every page), and the forecast for the rest of the month (GetCostForecast).
 * Each call, page included, is billed (lib/semantics/pricing `OTHER_PRICES.costExplorerPerRequest`,
 * spec §14), so the number of calls is reported.
 */
import { GetCostAndUsageCommand, GetCostForecastCommand, type CostExplorerClient, type Expression } from '@aws-sdk/client-cost-explorer';
import { CLOUDFRONT_SERVICE } from '../../lib/monitoring/cost-alerts';
import { isoDay, type TimeRange } from '../../lib/monitoring/time-range';
import { call } from './aws';

export const CLOUDFRONT_FILTER: Expression = { Dimensions: { Key: 'SERVICE', Values: [CLOUDFRONT_SERVICE] } };

export interface CostUsageRow {
  /** Start of the result period, YYYY-MM-DD. */
  readonly period: string;
  readonly usageType: string;
  readonly region: string;
  readonly usd: number;
  readonly quantity: number;
  readonly unit: string;
}

export interface CostAndUsage {
  readonly rows: CostUsageRow[];
  /** API calls made (pages), each billed `OTHER_PRICES.costExplorerPerRequest`. */
  readonly calls: number;
}

/** Days as Cost Explorer wants them: [start, end) in whole UTC days; end moves to the next day when the range ends mid-day. */
export function costExplorerPeriod(range: TimeRange): { Start: string; End: string } {
  const end = new Date(range.to.getTime());
  if (end.getUTCHours() + end.getUTCMinutes() + end.getUTCSeconds() + end.getUTCMilliseconds() > 0) end.setUTCDate(end.getUTCDate() + 1);
  return { Start: isoDay(range.from), End: isoDay(end) };
}

export async function getCloudFrontCostAndUsage(ce: CostExplorerClient, range: TimeRange, onPage?: () => void): Promise<CostAndUsage> {
  const rows: CostUsageRow[] = [];
  let token: string | undefined;
  let calls = 0;
  do {
    const page = await call('ce:GetCostAndUsage', 'Cost Explorer', () => ce.send(new GetCostAndUsageCommand({
      TimePeriod: costExplorerPeriod(range),
      Granularity: 'MONTHLY',
      Filter: CLOUDFRONT_FILTER,
      Metrics: ['UnblendedCost', 'UsageQuantity'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'USAGE_TYPE' }, { Type: 'DIMENSION', Key: 'REGION' }],
      ...(token ? { NextPageToken: token } : {}),
    })));
    calls += 1;
    for (const r of page.ResultsByTime ?? []) {
      for (const g of r.Groups ?? []) {
        const [usageType = '', region = ''] = g.Keys ?? [];
        rows.push({
          period: r.TimePeriod?.Start ?? '',
          usageType,
          region,
          usd: Number(g.Metrics?.UnblendedCost?.Amount ?? 0),
          quantity: Number(g.Metrics?.UsageQuantity?.Amount ?? 0),
          unit: g.Metrics?.UsageQuantity?.Unit ?? '',
        });
      }
    }
    token = page.NextPageToken;
    onPage?.();
  } while (token);
  return { rows, calls };
}

export type Forecast = { readonly start: string; readonly end: string; readonly usd: number } | { readonly unavailable: string };

/** Forecast of CloudFront spend from `now` to the end of its month; `unavailable` when Cost Explorer has too little history. */
export async function getCloudFrontForecast(ce: CostExplorerClient, now: Date): Promise<Forecast> {
  const start = isoDay(now);
  const endDate = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const end = isoDay(endDate);
  try {
    const r = await call('ce:GetCostForecast', 'Cost Explorer', () => ce.send(new GetCostForecastCommand({
      TimePeriod: { Start: start, End: end }, Metric: 'UNBLENDED_COST', Granularity: 'MONTHLY', Filter: CLOUDFRONT_FILTER,
    })));
    return { start, end, usd: Number(r.Total?.Amount ?? 0) };
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === 'DataUnavailableException') return { unavailable: `Cost Explorer has too little history to forecast (${(e as Error).message})` };
    throw e;
  }
}
