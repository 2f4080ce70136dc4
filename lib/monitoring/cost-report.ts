/**
 * The cost report of `npm run cost`: the month's estimate line by line (pricing model of spec §13),
 * the actual bill from Cost Explorer when there is one, invalidations, the forecast and the
 * optimization levers; rendered for a terminal and as JSON (`totalUsd`, `lines[]`, ...).
 */
import { renderTable } from '../format/table';
import { PRICE_REGION_GROUP_LABELS, type CostLine, type PriceRegionGroup } from '../semantics/pricing';
import type { Lever } from './cost-analysis';
import type { LogQueryCostComparison } from './log-query-cost';

export interface ActualBill {
  readonly from: string;
  readonly to: string;
  /** Billed total over the range (UnblendedCost). */
  readonly totalUsd: number;
  readonly byUsageType: readonly { readonly usageType: string; readonly usd: number; readonly quantity: number; readonly unit: string }[];
  readonly byRegion: readonly { readonly region: string; readonly usd: number }[];
  /** Cost Explorer calls made and what they cost (spec §14). */
  readonly apiCalls: number;
  readonly apiCostUsd: number;
}

export interface CostReport {
  readonly stack: string;
  /** `offline`: predicted usage priced by the model; `actual`: Cost Explorer. */
  readonly mode: 'offline' | 'actual';
  /** Where the usage came from. */
  readonly usageSource: string;
  readonly priceClass: string;
  /**
   * Offline: the predicted month's total. Actual: the billed total over the range.
   */
  readonly totalUsd: number;
  /** Offline: the model's lines for the month. Actual: the billed usage types over the range. */
  readonly lines: readonly CostLine[];
  /** The pricing model's month (actual mode: the range's usage averaged per month). */
  readonly monthlyEstimate: { readonly totalUsd: number; readonly lines: readonly CostLine[] };
  readonly actual?: ActualBill;
  readonly invalidations?: { readonly totalPaths: number; readonly totalUsd: number; readonly months: readonly { month: string; invalidations: number; paths: number; billedPaths: number; usd: number }[] };
  /** Offline, from the simulator: the month's invalidation paths as the planner bills them, and the naive count. */
  readonly predictedInvalidations?: PredictedInvalidations;
  readonly forecast?: { readonly start: string; readonly end: string; readonly usd: number } | { readonly unavailable: string };
  readonly optimizations: readonly Lever[];
  /** Querying the month's access logs: Logs Insights against Athena (lib/monitoring/log-query-cost.ts). */
  readonly logQueries?: LogQueryCostComparison;
  /** Prices' date and source. */
  readonly prices: string;
}

/** How an offline month's invalidation paths were predicted (simulator/invalidation-plan.ts). */
export interface PredictedInvalidations {
  readonly method: string;
  /** Paths a month the planner bills: what the month is priced with. */
  readonly plannedPathsPerMonth: number;
  /** Paths a month the changes asked for, before planning. */
  readonly requestedPathsPerMonth: number;
  /** The former prediction: one path per item of every change. */
  readonly naivePathsPerMonth: number;
  readonly byType: Readonly<Record<string, { readonly requestsPerDay: number; readonly requestedPathsPerDay: number; readonly plannedPathsPerDay: number }>>;
}

export const PRICES_NOTE = 'CloudFront pay-as-you-go list prices of spec §13 (2026, USD), lib/semantics/pricing.ts';

const usd = (v: number) => `${v < 0 ? '-' : ''}$${Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const qty = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 2 }));

function groupLabel(g: string | undefined): string {
  if (!g) return '-';
  return g in PRICE_REGION_GROUP_LABELS ? `${g} (${PRICE_REGION_GROUP_LABELS[g as PriceRegionGroup].split(',')[0]})` : g;
}

/** The Logs Insights / Athena comparison as lines of text. */
export function logQueriesText(c: LogQueryCostComparison): string[] {
  const row = (name: string, s: LogQueryCostComparison['athena']) => [name, usd(s.deliveryUsd), usd(s.storageUsd), usd(s.queriesUsd), usd(s.totalUsd), qty(s.gbScannedPerReport)];
  return [
    `Access-log queries for ${qty(c.requestsPerMonth)} log lines a month: Athena over Parquet costs ${(100 * c.ratio).toFixed(1)} % of CloudWatch Logs + Logs Insights.`,
    renderTable(['log store', 'delivery', 'storage', 'queries', 'total a month', 'GB scanned a report'], [row('CloudWatch Logs + Logs Insights', c.logsInsights), row('S3 Parquet + Athena', c.athena)], ['left', 'right', 'right', 'right', 'right', 'right']),
    `  assumed: ${c.assumptions.join('; ')}`,
  ];
}

/** Sums lines with the same item (across groups) for a short breakdown. */
export function linesByItem(lines: readonly CostLine[]): { item: string; usd: number }[] {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l.item, (m.get(l.item) ?? 0) + l.usd);
  return [...m.entries()].map(([item, v]) => ({ item, usd: v })).sort((a, b) => b.usd - a.usd);
}

export function renderCostText(r: CostReport): string {
  const parts: string[] = [];
  const est = r.monthlyEstimate;
  parts.push(
    r.mode === 'offline'
      ? `Monthly estimate for stack ${r.stack} (${r.priceClass}), usage predicted by ${r.usageSource}: ${usd(est.totalUsd)}`
      : `CloudFront bill for ${r.actual!.from} to ${r.actual!.to} (Cost Explorer, account-wide): ${usd(r.actual!.totalUsd)}; pricing model for the average month: ${usd(est.totalUsd)}`,
    `Prices: ${r.prices}.`,
    '',
    renderTable(['item', 'group', 'quantity', 'unit', 'USD'], est.lines.map((l) => [l.item, groupLabel(l.group), qty(l.quantity), l.unit, usd(l.usd)]), ['left', 'left', 'right', 'left', 'right']),
    '',
    renderTable(['breakdown', 'USD', 'share'], linesByItem(est.lines).map((x) => [x.item, usd(x.usd), est.totalUsd > 0 ? `${((100 * x.usd) / est.totalUsd).toFixed(1)}%` : '-']), ['left', 'right', 'right']),
  );
  if (r.actual) {
    parts.push('', 'Billed by usage type:', renderTable(['usage type', 'quantity', 'unit', 'USD'], r.actual.byUsageType.map((u) => [u.usageType, qty(u.quantity), u.unit, usd(u.usd)]), ['left', 'right', 'left', 'right']));
    parts.push('', 'Billed by region:', renderTable(['region', 'USD'], r.actual.byRegion.map((x) => [x.region, usd(x.usd)]), ['left', 'right']));
    parts.push(`Cost Explorer: ${r.actual.apiCalls} API call(s), ${usd(r.actual.apiCostUsd)}.`);
  }
  if (r.invalidations) {
    parts.push('', `Invalidation paths: ${r.invalidations.totalPaths} (${usd(r.invalidations.totalUsd)} if no other distribution used the free 1,000 a month).`);
    if (r.invalidations.months.length) parts.push(renderTable(['month', 'invalidations', 'paths', 'billed paths', 'USD'], r.invalidations.months.map((m) => [m.month, String(m.invalidations), String(m.paths), String(m.billedPaths), usd(m.usd)])));
  }
  if (r.predictedInvalidations) {
    const p = r.predictedInvalidations;
    parts.push('', `Invalidation paths a month: ${qty(p.plannedPathsPerMonth)} as the planner bills them (${qty(p.requestedPathsPerMonth)} asked for; the former one-path-per-item count: ${qty(p.naivePathsPerMonth)}). ${p.method}.`);
    parts.push(renderTable(['content type', 'requests a day', 'paths asked a day', 'paths planned a day'], Object.entries(p.byType).map(([t, b]) => [t, String(b.requestsPerDay), String(b.requestedPathsPerDay), String(b.plannedPathsPerDay)]), ['left', 'right', 'right', 'right']));
  }
  if (r.logQueries) parts.push('', ...logQueriesText(r.logQueries));
  if (r.forecast) {
    const f = r.forecast;
    parts.push('', 'usd' in f ? `Forecast ${f.start} to ${f.end}: ${usd(f.usd)}.` : `Forecast unavailable: ${f.unavailable}.`);
  }
  parts.push('', 'Optimization levers (monthly):');
  for (const l of r.optimizations) {
    parts.push('', `${l.title}: ${l.summary}`);
    if (l.table) parts.push(renderTable(l.table.headers, l.table.rows));
    if (l.assumptions.length) parts.push(`  assumed: ${l.assumptions.join('; ')}`);
  }
  return parts.join('\n');
}
