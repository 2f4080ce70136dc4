/**
 * Latency of the shipped prod stack on the seed workload, as `npm start` simulates it (scale 0.005,
 * seed 1, 24 h measured after 24 h of warm-up): p95 time to first byte per content type and the
 * share of all requests within 100 ms; the video viewer experience of the same run (simulator/video):
 * startup p95 and rebuffering ratio of all viewers and per viewer region. One run (npm start adds the
 * cache-size sweep).
 */
import { CONTENT_TYPE_NAMES } from '../../lib/catalog';
import { buildPlan } from '../../plan/run-plan';
import { REGIONS } from '../../simulator/profile';
import { simulatePlan, DEFAULTS, START_SETTINGS } from '../../simulator/simulate';
import type { BenchCase, Figures } from '../types';

const SETTINGS = { ...START_SETTINGS, hours: DEFAULTS.hours, seed: DEFAULTS.seed } as const;

export const benchCase: BenchCase = {
  name: 'sim-latency',
  description: 'p95 TTFB per content type, the share within 100 ms, video startup p95 and rebuffering per region for the prod stack (seed workload, scale 0.005, seed 1)',
  async run(): Promise<Figures> {
    const r = simulatePlan(await buildPlan({ stack: 'prod' }), SETTINGS);
    const figures: Figures = {};
    for (const t of CONTENT_TYPE_NAMES) figures[`sim.p95LatencyMs.${t}`] = { value: r.types[t].p95LatencyMs, unit: 'ms' };
    figures['sim.within100msPct'] = { value: Number((r.totals.shareUnder100Ms * 100).toFixed(2)), unit: '%' };
    const v = r.video;
    if (v?.overall) {
      figures['sim.video.startupP95Ms'] = { value: v.overall.startupP95Ms, unit: 'ms' };
      figures['sim.video.rebufferingPct'] = { value: Number((v.overall.rebufferingRatio * 100).toFixed(4)), unit: '%' };
    }
    for (const region of REGIONS) {
      const g = v?.regions[region];
      if (g === undefined) continue;
      figures[`sim.video.startupP95Ms.${region}`] = { value: g.startupP95Ms, unit: 'ms' };
      figures[`sim.video.rebufferingPct.${region}`] = { value: Number((g.rebufferingRatio * 100).toFixed(4)), unit: '%' };
    }
    return figures;
  },
};
