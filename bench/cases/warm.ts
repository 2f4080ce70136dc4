/**
 * warm.hitRatioUplift: hit ratio gained on a held-out hour by predictive warming at a fixed budget
 * (10 GiB pulled from the origin, full scale) over no warming; plus the same over warming the top-N
 * objects of the last hour, the three hit ratios and origin bytes. Measured with the simulator
 * (simulator/warming.ts): the prod plan on the seed workload (scale 0.005, seed 1) with a release
 * schedule — new 45-minute episodes of three popular series going live at 20:00 UTC, written as a
 * release manifest and read back like `--releases` — 18 hours of warm-up, 6 training hours whose
 * requests are the logs the predictor learns from, then the held-out hour 20:00–21:00 simulated once
 * per strategy, the warm requests one minute before it on the first edge location of each region.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlan } from '../../plan/run-plan';
import { simModelFromPlan } from '../../simulator/plan-model';
import { SEED_PROFILE } from '../../simulator/profile';
import { evaluateWarmingInSimulator } from '../../simulator/warming';
import { episodeReleaseManifest, readReleaseManifest } from '../../simulator/workload/releases';
import type { BenchCase } from '../types';

export const WARM_BENCH_BUDGET_BYTES = 10 * 2 ** 30;
export const WARM_BENCH_SERIES = ['t0', 't1', 't2'] as const;
export const WARM_BENCH_RELEASE_AT_SEC = Date.UTC(2025, 10, 24, 20) / 1000;

export const benchCase: BenchCase = {
  name: 'warm',
  description: 'predictive warming vs none and vs last-hour top-N on a held-out hour, simulated (prod, 10 GiB budget)',
  async run() {
    const model = simModelFromPlan(await buildPlan({ stack: 'prod' }));
    const dir = mkdtempSync(join(tmpdir(), 'media-cdn-bench-releases-'));
    try {
      const file = join(dir, 'releases.json');
      writeFileSync(file, JSON.stringify(episodeReleaseManifest(SEED_PROFILE, { series: WARM_BENCH_SERIES, releaseAtSec: WARM_BENCH_RELEASE_AT_SEC }), null, 1));
      const ev = evaluateWarmingInSimulator(model, { releases: readReleaseManifest(file), budgetBytes: WARM_BENCH_BUDGET_BYTES, scale: 0.005, seed: 1 });
      const pct = (x: number) => Math.round(10_000 * x) / 100;
      const gb = (x: number) => Math.round((10 * x) / 2 ** 30) / 10;
      return {
        'warm.hitRatioUplift': { value: Math.round(1000 * ev.upliftVsNone) / 1000, unit: 'percentage points vs no warming' },
        'warm.hitRatioUpliftVsTopN': { value: Math.round(1000 * ev.upliftVsTopN) / 1000, unit: 'percentage points vs last-hour top-N' },
        'warm.hitRatioNone': { value: pct(ev.none.hitRatio), unit: '%' },
        'warm.hitRatioTopN': { value: pct(ev.topN.hitRatio), unit: '%' },
        'warm.hitRatioPredictive': { value: pct(ev.predictive.hitRatio), unit: '%' },
        'warm.edgeHitRatioUplift': { value: Math.round(1000 * 100 * (ev.predictive.edgeHitRatio - ev.none.edgeHitRatio)) / 1000, unit: 'percentage points of edge hits vs no warming' },
        'warm.originGbNone': { value: gb(ev.none.originBytes), unit: 'GiB from the origins in the hour (viewers)' },
        'warm.originGbTopN': { value: gb(ev.topN.originBytes), unit: 'GiB from the origins in the hour (viewers + warming)' },
        'warm.originGbPredictive': { value: gb(ev.predictive.originBytes), unit: 'GiB from the origins in the hour (viewers + warming)' },
        'warm.predictiveWarmGb': { value: Math.round(100 * ev.predictive.warm.originBytes / 2 ** 30) / 100, unit: 'GiB pulled by predictive warming' },
        'warm.predictiveObjects': { value: ev.predictive.warm.objects, unit: 'simulated objects warmed by prediction' },
        'warm.predictiveReleaseObjects': { value: ev.predictive.warm.releaseObjects, unit: 'of them objects of the releases' },
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
