/**
 * Monthly usage of a plan on the seed workload, in the shape `monthlyCostUsd` (lib/semantics/pricing)
 * takes: transfer and requests per price group, Origin Shield requests, invalidation paths, function
 * invocations. For cost analysis scripts: `monthlyCostUsd((await predictMonthlyUsage(plan)).usage)`.
 * The invalidation paths are the simulated day's changes planned by the project's planner
 * (./invalidation-plan.ts), not one path per changed item.
 */
import type { Plan } from '../lib/plan';
import type { MonthlyUsage } from '../lib/semantics/pricing';
import { simModelFromPlan } from './plan-model';
import { planDayInvalidations, type PlannedInvalidations } from './invalidation-plan';
import { SEED_PROFILE } from './profile';
import { DAYS_PER_MONTH } from './results';
import { simulatePlan, type SimulateOptions } from './simulate';

export interface UsageOptions {
  /** Share of objects simulated, (0, 1]. Smaller is faster and noisier. @default 0.005 */
  readonly scale?: number;
  /** Workload seed. @default 1 */
  readonly seed?: number;
  /** Anything else simulatePlan accepts (policy, capacities, profile). */
  readonly simulate?: Omit<SimulateOptions, 'scale' | 'seed'>;
}

export interface PredictedUsage {
  readonly usage: MonthlyUsage;
  /** How the invalidation paths of `usage` were planned, with the naive count beside them. */
  readonly invalidationPlan: PlannedInvalidations;
}

/** Predicts a month of CloudFront usage for a plan (a few seconds at the default scale). */
export async function predictMonthlyUsage(plan: Plan, opts: UsageOptions = {}): Promise<PredictedUsage> {
  const seed = opts.seed ?? 1;
  const result = simulatePlan(plan, { warmupHours: 12, ...opts.simulate, scale: opts.scale ?? 0.005, seed });
  const cacheTagHeader = typeof plan.outputs.cacheTagHeader === 'string' ? plan.outputs.cacheTagHeader : '';
  const invalidationPlan = await planDayInvalidations({
    catalog: simModelFromPlan(plan).catalog, profile: opts.simulate?.profile ?? SEED_PROFILE, seed, naivePathsPerMonth: result.cost.usage.invalidationPaths ?? 0, cacheTagHeader,
  });
  return { usage: { ...result.cost.usage, invalidationPaths: invalidationPlan.plannedPathsPerMonth }, invalidationPlan };
}

/** The static route's traffic in a month on the seed workload, and the distribution's whole transfer. */
export interface StaticVolumeEstimate {
  /** Viewer requests a month to the static content type (CSS, JS, fonts, the app shell). */
  readonly requestsPerMonth: number;
  /** GB a month the distribution sends to viewers (it sets the price tier). */
  readonly monthlyTransferGb: number;
}

/** Predicts the static volume of a plan: what `npm run compression` prices its savings at. */
export function predictStaticVolume(plan: Plan, opts: UsageOptions = {}): StaticVolumeEstimate {
  const result = simulatePlan(plan, { warmupHours: 12, ...opts.simulate, scale: opts.scale ?? 0.005, seed: opts.seed ?? 1 });
  const transfer = Object.values(result.cost.usage.transferGbByGroup).reduce((n, gb) => n + (gb ?? 0), 0);
  return { requestsPerMonth: Math.round(result.types.static.requests * DAYS_PER_MONTH), monthlyTransferGb: transfer };
}
