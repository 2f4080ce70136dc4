/**
 * Generating the seed workload and running the study (main policy, other policies, cache-size sweep)
 * with progress bars on stderr.
 */
import type { PolicyName } from '../../simulator/caches';
import type { OutcomeRecord } from '../../simulator/engine';
import type { SimModel } from '../../simulator/plan-model';
import type { Shard } from '../../simulator/shard';
import { prepare, type Prepared } from '../../simulator/simulate';
import { runStudy, type Study } from '../../simulator/study';
import { startProgress, type Progress } from '../lib/progress';
import type { SimSettings } from './settings';

function bar(quiet: boolean | undefined, label: string, total: number): Progress {
  return startProgress(label, total, { quiet: quiet ?? false });
}

/** Generates the seed workload's requests with a progress bar. */
export function prepareWithProgress(model: SimModel, s: SimSettings, quiet?: boolean, shard?: Shard): Prepared {
  const total = (s.hours + s.warmupHours) * 3600;
  const p = bar(quiet, 'generating requests (simulated s)', total);
  let last = 0;
  const prepared = prepare(model, {
    seed: s.seed, scale: s.scale, hours: s.hours, warmupHours: s.warmupHours, profile: s.profile,
    ...(s.releases.length > 0 ? { releases: s.releases } : {}),
    ...(shard ? { shard } : {}),
    onProgress: (_phase, done) => { p.increment(done - last); last = done; },
  });
  p.increment(total - last);
  p.stop();
  return prepared;
}

/** Runs the main policy, the others and the sweep with one progress bar over all runs. */
export function studyWithProgress(prepared: Prepared, s: SimSettings, policies: readonly PolicyName[], quiet?: boolean, record?: OutcomeRecord): Study {
  const runs = policies.length * new Set([1, ...s.sweep]).size;
  const n = prepared.materialized ? prepared.requests.length : prepared.expectedRequests;
  const p = bar(quiet, `simulating ${runs} run${runs > 1 ? 's' : ''} (requests)`, runs * n);
  let runBase = 0;
  let reported = 0;
  const advance = (to: number) => { if (to > reported) { p.increment(to - reported); reported = to; } };
  const study = runStudy(prepared, {
    policies, sweep: s.sweep, capacity: s.capacity, hitLevel: s.hitLevel, refreshHitIsHit: s.refreshHitIsHit,
    ...(record ? { record } : {}),
    onRun: (index) => { runBase = index * n; advance(runBase); },
    onProgress: (_phase, done) => advance(runBase + done),
  });
  advance(runs * n);
  p.stop();
  return study;
}
