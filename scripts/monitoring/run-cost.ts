/**
 * `npm run cost`: the actual bill from Cost Explorer (grouped by usage type and region), the
 * invalidation paths billed, the forecast and the optimization levers — or, offline, the month
 * predicted for the stack priced by the model. SDK clients and the usage source are parameters.
 */
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import type { ContentTypeName } from '../../lib/catalog';
import type { Plan } from '../../lib/plan';
import {
  estimateMonth, optimizationLevers, rebillForPriceClass, usageFromCostExplorer, type MonthlyUsage, type UsageContext,
} from '../../lib/monitoring/cost-analysis';
import { PRICES_NOTE, type CostReport, type PredictedInvalidations } from '../../lib/monitoring/cost-report';
import { compareLogQueryCosts } from '../../lib/monitoring/log-query-cost';
import { monthsIn, type TimeRange } from '../../lib/monitoring/time-range';
import { OTHER_PRICES, type CostLine } from '../../lib/semantics/pricing';
import type { StackSource } from '../lib/cli';
import type { Progress } from '../lib/progress';
import { getCloudFrontCostAndUsage, getCloudFrontForecast } from './cost-explorer';
import { invalidationsInRange } from './invalidations';
import type { StackContext } from './stack-context';

const NO_PROGRESS: Progress = { increment() {}, setTotal() {}, stop() {} };

/** A month of usage predicted for a plan, with what else the prediction knows. */
export interface PredictedMonth {
  readonly usage: MonthlyUsage;
  readonly bytesByContentTypeGb?: Partial<Record<ContentTypeName, number>>;
  readonly hitRatio?: number;
  readonly originShieldHitRatio?: number;
  readonly compressedShare?: number;
  /** True when the usage's groups are viewer locations, not yet billed under the price class. */
  readonly byViewerGroup?: boolean;
  /** How the invalidation paths were predicted (the simulator: planned, with the naive count beside). */
  readonly invalidationPlan?: PredictedInvalidations;
}

/** Where offline usage comes from (the simulator's `predictMonthlyUsage`, a file, a test). */
export interface UsageSource {
  readonly label: string;
  predict(plan: Plan): Promise<PredictedMonth> | PredictedMonth;
}

/** Viewer requests of the month (one access-log line each). */
function monthlyRequests(usage: MonthlyUsage): number {
  return Object.values(usage.requestsByGroup).reduce((a, b) => a + (b ?? 0), 0);
}

function context(ctx: StackContext, extra: Omit<PredictedMonth, 'usage' | 'byViewerGroup' | 'invalidationPlan'> = {}): UsageContext {
  return { priceClass: ctx.priceClass, catalog: ctx.catalog, ...extra };
}

/** The month predicted for the stack, priced by the model. */
export async function offlineCost(plan: Plan, ctx: StackContext, source: UsageSource): Promise<CostReport> {
  const { usage: predicted, byViewerGroup, invalidationPlan, ...extra } = await source.predict(plan);
  const usage = byViewerGroup === false ? predicted : rebillForPriceClass(predicted, ctx.priceClass);
  const estimate = estimateMonth(usage);
  return {
    stack: ctx.stack,
    mode: 'offline',
    usageSource: source.label,
    priceClass: ctx.priceClass,
    totalUsd: estimate.totalUsd,
    lines: estimate.lines,
    monthlyEstimate: estimate,
    optimizations: optimizationLevers(predicted, context(ctx, extra)),
    logQueries: compareLogQueryCosts({ requestsPerMonth: monthlyRequests(usage) }),
    ...(invalidationPlan ? { predictedInvalidations: invalidationPlan } : {}),
    prices: PRICES_NOTE,
  };
}

export interface ActualCostClients {
  readonly costExplorer: CostExplorerClient;
  readonly cloudFront: CloudFrontClient;
}

export interface ActualCostOptions {
  readonly source: StackSource;
  readonly context: StackContext;
  readonly range: TimeRange;
  readonly now?: Date;
  /** Skip ListInvalidations/GetInvalidation. */
  readonly skipInvalidations?: boolean;
  readonly progress?: (label: string, total: number) => Progress;
}

/** The bill over the range from Cost Explorer, with invalidations, the forecast and the levers. */
export async function actualCost(clients: ActualCostClients, opts: ActualCostOptions): Promise<CostReport> {
  const progress = opts.progress ?? (() => NO_PROGRESS);
  const ceBar = progress('Cost Explorer pages', 1);
  let ce;
  try {
    ce = await getCloudFrontCostAndUsage(clients.costExplorer, opts.range, () => { ceBar.increment(); });
  } finally {
    ceBar.stop();
  }
  const forecast = await getCloudFrontForecast(clients.costExplorer, opts.now ?? new Date());

  const byType = new Map<string, { usd: number; quantity: number; unit: string }>();
  const byRegion = new Map<string, number>();
  for (const r of ce.rows) {
    const t = byType.get(r.usageType) ?? { usd: 0, quantity: 0, unit: r.unit };
    t.usd += r.usd;
    t.quantity += r.quantity;
    byType.set(r.usageType, t);
    byRegion.set(r.region, (byRegion.get(r.region) ?? 0) + r.usd);
  }
  const usageTypes = [...byType.entries()].map(([usageType, v]) => ({ usageType, ...v })).sort((a, b) => b.usd - a.usd);
  const actualTotal = usageTypes.reduce((s, u) => s + u.usd, 0);
  const usage = usageFromCostExplorer(usageTypes, monthsIn(opts.range)).usage;
  const estimate = estimateMonth(usage);

  let invalidations;
  if (!opts.skipInvalidations) {
    const bar = progress('Invalidations', 0);
    try {
      invalidations = await invalidationsInRange(clients.cloudFront, opts.source.outputs.distributionId, opts.range, {
        onListed: (n) => bar.setTotal(n), onDetail: () => bar.increment(),
      });
    } finally {
      bar.stop();
    }
  }

  const lines: CostLine[] = usageTypes.map((u) => ({ item: u.usageType, quantity: u.quantity, unit: u.unit, usd: u.usd }));
  return {
    stack: opts.context.stack,
    mode: 'actual',
    usageSource: 'Cost Explorer (SERVICE = Amazon CloudFront, account-wide)',
    priceClass: opts.context.priceClass,
    totalUsd: actualTotal,
    lines,
    monthlyEstimate: estimate,
    actual: {
      from: opts.range.from.toISOString(),
      to: opts.range.to.toISOString(),
      totalUsd: actualTotal,
      byUsageType: usageTypes,
      byRegion: [...byRegion.entries()].map(([region, v]) => ({ region, usd: v })).sort((a, b) => b.usd - a.usd),
      apiCalls: ce.calls + 1,
      apiCostUsd: (ce.calls + 1) * OTHER_PRICES.costExplorerPerRequest,
    },
    ...(invalidations ? { invalidations: { totalPaths: invalidations.totalPaths, totalUsd: invalidations.totalUsd, months: invalidations.months } } : {}),
    forecast,
    optimizations: optimizationLevers(usage, context(opts.context)),
    logQueries: compareLogQueryCosts({ requestsPerMonth: monthlyRequests(usage) }),
    prices: PRICES_NOTE,
  };
}
