import { planFor } from '../test/helpers/plan';
import { simModelFromPlan } from '../simulator/plan-model';
import { SEED_PROFILE } from '../simulator/profile';
import { buildWorkload } from '../simulator/workload/build';
import { generateEvents } from '../simulator/workload/arrivals';
(async () => {
  const model = simModelFromPlan(await planFor('prod'));
  const scale = Number(process.argv[2] ?? 0.05);
  const t0 = Date.now();
  const w = buildWorkload(model, { seed: 1, scale, profile: SEED_PROFILE });
  const t1 = Date.now();
  global.gc?.();
  const mu = process.memoryUsage();
  console.log(`build ${(t1 - t0) / 1000}s keys ${w.keys.count} objects ${w.objects} assets ${w.assets} heapUsed ${(mu.heapUsed / 2 ** 20).toFixed(0)} MiB rss ${(mu.rss / 2 ** 20).toFixed(0)} MiB`);
  const ev = generateEvents(w, -86400, 86400, 1);
  console.log(`events ${ev.length} in ${(Date.now() - t1) / 1000}s`);
  console.log('keyPath', w.keyPath.length);
})();
