/**
 * warm.hitRatioUplift: CacheHitRate gained on a held-out hour by predictive warming at a fixed budget
 * (50 MiB pulled from the origin), over no warming; plus the same over warming the top-N objects of the
 * last hour, and the three hit ratios. The scenario (lib/warming/scenario.ts: 30 series, 6 training
 * hours, new episodes of 3 titles released at the start of the held-out hour) is replayed through the
 * local edge's caches with the staging plan's behaviors and TTLs.
 */
import { compileBehaviorSelector } from '../../lib/semantics';
import { distributionModelFromPlan } from '../../lib/warming/distribution-model';
import { evaluateWarming } from '../../lib/warming/evaluate';
import { buildScenario } from '../../lib/warming/scenario';
import { EdgeReplay } from '../../local/edge/replay';
import { buildPlan } from '../../plan/run-plan';
import type { BenchCase } from '../types';

export const WARM_BENCH_BUDGET_BYTES = 50 * 2 ** 20;

export const benchCase: BenchCase = {
  name: 'warm',
  description: 'predictive warming vs none and vs last-hour top-N on a held-out hour (50 MiB budget)',
  async run() {
    const model = distributionModelFromPlan(await buildPlan({ stack: 'staging' }));
    const sc = buildScenario();
    const select = compileBehaviorSelector(model.behaviors);
    const ev = evaluateWarming(new EdgeReplay(model, (p) => sc.objects.get(p)), {
      model, training: sc.training, heldOut: sc.heldOut, nowSec: sc.nowSec, windowSec: sc.windowSec, releases: sc.releases,
      budgetBytes: WARM_BENCH_BUDGET_BYTES, edges: ['IAD89-C1', 'FRA56-C1'], viewerAcceptEncoding: sc.acceptEncoding,
      predict: { residencySecOf: (p) => (select(p) ?? model.defaultBehavior).cachePolicy.maxTtl },
    });
    const pct = (x: number) => Math.round(10_000 * x) / 100;
    return {
      'warm.hitRatioUplift': { value: Math.round(100 * ev.upliftVsNone) / 100, unit: 'percentage points vs no warming' },
      'warm.hitRatioUpliftVsTopN': { value: Math.round(100 * ev.upliftVsTopN) / 100, unit: 'percentage points vs last-hour top-N' },
      'warm.hitRatioNone': { value: pct(ev.none.hitRatio), unit: '%' },
      'warm.hitRatioTopN': { value: pct(ev.topN.hitRatio), unit: '%' },
      'warm.hitRatioPredictive': { value: pct(ev.predictive.hitRatio), unit: '%' },
      'warm.predictiveObjects': { value: ev.predictive.warmedObjects, unit: 'objects' },
    };
  },
};
