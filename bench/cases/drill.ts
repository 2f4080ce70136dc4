/**
 * Failure drills of the prod plan on the local edge (127.0.0.1, bounded, self-stopping: docs/resilience.md),
 * one per origin-failure scenario (primary-s3-down, region-origin-down, origin-slow, error-burst,
 * api-down) at a small load (2 s phases, 40 requests/s, seed 1: about 25 s in all on 2 cores):
 *
 * - drill.failoverAvailabilityPct: the lowest availability across those scenarios, each over the
 *   requests its target is judged on (all requests, or the cacheable ones where proxied requests
 *   cannot fail over: lib/faults/scenarios.ts), over the whole drill; the target is 99.99 %.
 * - drill.recoverySeconds: the longest time to recover across them (from the end of the fault to the
 *   last failed request; 0 when nothing fails after it).
 */
import { faultScenario } from '../../lib/faults/scenarios';
import { runDrill, type DrillLoad } from '../../local/faults/drill';
import { buildPlan } from '../../plan/run-plan';
import type { BenchCase } from '../types';

export const DRILL_BENCH_SCENARIOS = ['primary-s3-down', 'region-origin-down', 'origin-slow', 'error-burst', 'api-down'] as const;
const LOAD: DrillLoad = { phaseSeconds: 2, ratePerSecond: 40, herd: 10, seed: 1 };

export const benchCase: BenchCase = {
  name: 'drill',
  description: 'origin-failure drills of the prod plan on the local edge: lowest availability and longest recovery',
  async run() {
    const plan = await buildPlan({ stack: 'prod' });
    let availability = 100, recovery = 0;
    for (const name of DRILL_BENCH_SCENARIOS) {
      const r = await runDrill(plan, faultScenario(name)!, LOAD);
      availability = Math.min(availability, r.availabilityPct);
      recovery = Math.max(recovery, r.figures.recoverySeconds);
    }
    return {
      'drill.failoverAvailabilityPct': { value: Number(availability.toFixed(3)), unit: '%' },
      'drill.recoverySeconds': { value: Number(recovery.toFixed(1)), unit: 's' },
    };
  },
};
