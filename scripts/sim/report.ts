/**
 * What the modes report besides their tables: the model's assumptions, the HTML report's input, the
 * one-line settings label and the JSON result shape. Pure; the modes write the files.
 */
import type { SimModel } from '../../simulator/plan-model';
import { behaviorRows, type ReportInput } from '../../simulator/report';
import type { SimulationResult } from '../../simulator/results';
import type { Prepared } from '../../simulator/simulate';
import type { Study } from '../../simulator/study';
import type { SimSettings } from './settings';

export const ASSUMPTIONS_TEXT =
  'Tiers: viewer → edge location (one cache each, 4/4/3/2/2 per region NA/EU/AP/SA/MEA by default) → regional edge cache (one per region) → Origin Shield (the plan\'s Region) → origin. ' +
  'Behaviors, TTLs, cache keys (Accept-Encoding variants included), compression and invalidation matching come from the plan through lib/semantics.\n\n' +
  'Workload: seeded, deterministic; five content types with the catalog\'s size ranges and update intervals; Zipf popularity; 50 Gbps average / 100 Gbps peak over a diurnal curve per region; ' +
  'video as 6-second byte ranges of rendition files; viewers in 27 countries. Object sampling (--scale) keeps per-object request rates at full scale and shrinks caches by the same factor.\n\n' +
  'Latency: lognormal round trips per hop and origin first-byte times (simulator/profile.ts). Cost: CloudFront list prices (spec §13). ' +
  'Cache sizes are assumptions (CloudFront publishes none). See docs/performance-analysis.md for every assumption, its source and the model\'s limits.';

export function reportInputFor(model: SimModel, prepared: Prepared | undefined, study: Study, s: SimSettings, subtitle: string): ReportInput {
  const w = prepared?.workload;
  return {
    title: `media-cdn simulation — stack ${model.stack}`,
    subtitle,
    result: study.result,
    policies: study.policies,
    sweep: study.sweep,
    behaviors: behaviorRows([...model.behaviors, model.defaultBehavior]),
    ...(w ? { families: w.families.map((f) => [f.name, f.type, f.objects.toLocaleString('en-US'), f.sampled.toLocaleString('en-US'), f.requestsPerSecond.toFixed(1), ((f.bytesPerSecond * 8) / 1e9).toFixed(2)]) } : {}),
    assumptions: ASSUMPTIONS_TEXT,
  };
}

export function settingsLabel(s: SimSettings, requests: number): string {
  return `seed ${s.seed}, scale ${s.scale}, ${s.hours} h measured after ${s.warmupHours} h warm-up, ${requests.toLocaleString('en-US')} simulated requests, policy ${s.policy}, ` +
    `caches edge ${(s.capacity.edge / 2 ** 40).toFixed(2)} TiB / REC ${(s.capacity.rec / 2 ** 40).toFixed(2)} TiB / shield ${(s.capacity.shield / 2 ** 40).toFixed(2)} TiB`;
}

export function jsonOf(result: SimulationResult, extra: Record<string, unknown>): Record<string, unknown> {
  return { ...result, ...extra };
}
