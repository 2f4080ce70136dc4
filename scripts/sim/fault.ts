/**
 * Fault mode (`--fault <scenario>@<start>+<duration>`): simulates the plan with one failure scenario
 * (lib/faults, simulator/faults.ts) and prints availability, errors by status, p95 TTFB before /
 * during / after, time to recover and origin requests; exit 1 when availability misses the
 * scenario's target.
 */
import { FAULT_SCENARIOS, parseFaultSpec } from '../../lib/faults/scenarios';
import { renderTable } from '../../lib/format/table';
import { simulateFault, type FaultResult } from '../../simulator/faults';
import { simModelFromPlan } from '../../simulator/plan-model';
import { parseSetOptions } from '../../simulator/what-if';
import { EXIT_CHECK_FAILED, EXIT_OK, writeJsonFile } from '../lib/cli';
import type { SimValues } from './options';
import { loadPlanWithWhatIf } from './plan-source';
import type { SimSettings } from './settings';

const fmtPct = (p: number) => `${p.toFixed(p >= 99.9 ? 4 : 2)} %`;
const fmtN = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);

/** The table of one fault run. */
export function renderFaultResult(r: FaultResult): string {
  const { before, during, after } = r.phases;
  const rows = [
    ['availability (all requests)', fmtPct(before.availabilityPct), fmtPct(during.availabilityPct), fmtPct(after.availabilityPct)],
    ['availability (cacheable)', fmtPct(before.cacheableAvailabilityPct), fmtPct(during.cacheableAvailabilityPct), fmtPct(after.cacheableAvailabilityPct)],
    ['p95 TTFB', fmtMs(before.p95TtfbMs), fmtMs(during.p95TtfbMs), fmtMs(after.p95TtfbMs)],
    ['origin requests', fmtN(before.originRequests), fmtN(during.originRequests), fmtN(after.originRequests)],
    ['viewer requests', fmtN(before.requests), fmtN(during.requests), fmtN(after.requests)],
  ];
  const errors = Object.entries(r.errorsByStatus).map(([s, n]) => `${s}: ${fmtN(n)}`).join(', ') || 'none';
  return [
    `fault ${r.scenario} from ${r.startSec} s for ${r.durationSec} s; failing origins: ${r.failingOrigins.join(', ') || 'none'}`,
    renderTable(['', 'before', 'during', 'after'], rows, ['left', 'right', 'right', 'right']),
    `errors by status: ${errors}; failovers ${fmtN(r.failovers)}, stale-if-error ${fmtN(r.staleIfErrorServed)}, cached errors ${fmtN(r.errorCacheHits)}; time to recover ${r.recoverySeconds} s`,
    `availability over the measured day (${r.targetScope} requests): ${fmtPct(r.availabilityPct)} against ${r.targetPct} %: ${r.pass ? 'met' : 'MISSED'}`,
  ].join('\n');
}

/** Fault mode; returns the exit code. */
export async function faultMode(v: SimValues, s: SimSettings): Promise<number> {
  const fault = parseFaultSpec(String(v.fault), 10 * 3600);
  const whatIf = parseSetOptions(v.set ?? []);
  const plan = await loadPlanWithWhatIf(v, whatIf);
  const model = simModelFromPlan(plan);
  const { result } = simulateFault(model, fault, {
    seed: s.seed, scale: s.scale, hours: s.hours, warmupHours: s.warmupHours, profile: s.profile, policy: s.policy,
    capacity: s.capacity, hitLevel: s.hitLevel, refreshHitIsHit: s.refreshHitIsHit,
    ...(s.releases.length > 0 ? { releases: s.releases } : {}),
  });
  console.log(`stack ${plan.stack}, scale ${s.scale}, seed ${s.seed}\n${renderFaultResult(result)}`);
  const scenario = FAULT_SCENARIOS.find((x) => x.name === result.scenario)!;
  if (scenario.targetNote) console.log(`target: ${scenario.targetNote}`);
  if (v.json) writeJsonFile(v.json, { mode: 'fault', stack: plan.stack, settings: { seed: s.seed, scale: s.scale, hours: s.hours, warmupHours: s.warmupHours }, fault: result });
  return result.pass ? EXIT_OK : EXIT_CHECK_FAILED;
}
