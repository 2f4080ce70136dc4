/**
 * Monthly usage of a plan on the seed workload, in the shape `monthlyCostUsd` (lib/semantics/pricing)
 * takes: transfer and requests per price group, Origin Shield requests, invalidation paths, function
 * invocations. For cost analysis scripts: `monthlyCostUsd(predictMonthlyUsage(plan))`.
 */
import type { Plan } from '../lib/plan';
import type { MonthlyUsage } from '../lib/semantics/pricing';
import { simulatePlan, type SimulateOptions } from './simulate';

export interface UsageOptions {
  /** Share of objects simulated, (0, 1]. Smaller is faster and noisier. @default 0.005 */
  readonly scale?: number;
  /** Workload seed. @default 1 */
  readonly seed?: number;
  /** Anything else simulatePlan accepts (policy, capacities, profile). */
  readonly simulate?: Omit<SimulateOptions, 'scale' | 'seed'>;
}

/** Predicts a month of CloudFront usage for a plan (synchronous; a few seconds at the default scale). */
export function predictMonthlyUsage(plan: Plan, opts: UsageOptions = {}): MonthlyUsage {
  const result = simulatePlan(plan, { warmupHours: 12, ...opts.simulate, scale: opts.scale ?? 0.005, seed: opts.seed ?? 1 });
  return result.cost.usage;
}
