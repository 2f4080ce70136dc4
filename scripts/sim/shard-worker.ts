/**
 * A worker thread of `--workers n` (scripts/sim/workers.ts): builds the seed workload from the plan,
 * settings and sampled objects (shared, built once by the main thread) it is given, the cache keys of
 * its shard's objects only, and runs that shard; posts the raw statistics (and, from shard 0, what the
 * summary needs besides them).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { simModelFromPlan } from '../../simulator/plan-model';
import { statsToJson, type Shard } from '../../simulator/shard';
import { prepare, runPreparedShard, summaryContext } from '../../simulator/simulate';
import { planFromJson } from '../../simulator/stack-export';
import type { SampledObjects } from '../../simulator/workload/sample';
import type { SimSettings } from './settings';

const { plan, settings: s, shard, objects } = workerData as { plan: unknown; settings: SimSettings; shard: Shard; objects?: SampledObjects };
const p = prepare(simModelFromPlan(planFromJson(plan, 'the plan')), {
  seed: s.seed, scale: s.scale, hours: s.hours, warmupHours: s.warmupHours, profile: s.profile,
  ...(s.releases.length > 0 ? { releases: s.releases } : {}),
  shard, ...(objects ? { objects } : {}),
});
const stats = runPreparedShard(p, shard, { policy: s.policy, capacity: s.capacity, hitLevel: s.hitLevel, refreshHitIsHit: s.refreshHitIsHit });
// this shard's requests (generated for its objects only): the parent adds them up
parentPort!.postMessage({ stats: statsToJson(stats), context: summaryContext(p), requests: stats.simulated });
