/**
 * A fault scenario (lib/faults) in the simulator: the scenario's origins fail in the window (origin
 * groups fail over, stale copies and cached errors stand in: simulator/engine.ts), a release goes
 * live on cold objects, or every path is invalidated repeatedly; the figures the drills measure on
 * the local edge come out per phase (before, during, after the window): availability (share of
 * viewer requests answered 2xx/3xx/206), errors by status, p95 TTFB, origin requests, time to recover.
 */
import { InputError } from '../lib/errors';
import { FAULT_STATUS, faultRegion, originFails, type FaultOriginFacts, type FaultSpec } from '../lib/faults/scenarios';
import { parseReleaseManifest } from '../lib/warming/predict';
import { PH_CACHING, PH_CACHING_ERRORS, PH_ERRORS, PH_ORIGIN_REQUESTS, PH_REQUESTS, PHASE_FIELDS, runEngine, type EngineStats } from './engine';
import { HIST_BUCKETS, percentileMs } from './latency';
import type { SimModel, SimOrigin } from './plan-model';
import { SEED_PROFILE, type OriginOutage, type WorkloadProfile } from './profile';
import { DEFAULT_CAPACITY, DEFAULTS, type SimulateOptions } from './simulate';
import { EVENT_INVALIDATE, generateEvents, generateRequests, type EventLog } from './workload/arrivals';
import { buildWorkload, type Workload } from './workload/build';
import { DEFAULT_SIMULATED_DAY_EPOCH_SEC, episodeReleaseManifest } from './workload/releases';

/** Width of the availability series of a fault run, seconds (the time to recover is a multiple of it). */
export const FAULT_BUCKET_SECONDS = 10;

export interface PhaseFigures {
  readonly requests: number;
  readonly availabilityPct: number;
  /** Availability of GET/HEAD requests on caching behaviors. */
  readonly cacheableAvailabilityPct: number;
  readonly p95TtfbMs: number;
  readonly originRequests: number;
}

export interface FaultResult {
  readonly scenario: string;
  readonly startSec: number;
  readonly durationSec: number;
  /** Origins taken down. */
  readonly failingOrigins: readonly string[];
  /** Over the measured period, per the scenario's scope, against its target. */
  readonly availabilityPct: number;
  readonly allAvailabilityPct: number;
  readonly cacheableAvailabilityPct: number;
  readonly targetPct: number;
  readonly targetScope: 'all' | 'cacheable';
  readonly pass: boolean;
  readonly phases: { readonly before: PhaseFigures; readonly during: PhaseFigures; readonly after: PhaseFigures };
  /** Errors by the status viewers got (full-scale requests over the measured period). */
  readonly errorsByStatus: Readonly<Record<string, number>>;
  /** Seconds from the end of the window until the last error bucket ends (0: no errors after it). */
  readonly recoverySeconds: number;
  readonly originRequests: number;
  readonly failovers: number;
  readonly staleIfErrorServed: number;
  readonly errorCacheHits: number;
  /** Full-scale viewer requests in the measured period. */
  readonly requests: number;
}

const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
const pct = (errors: number, total: number) => (total > 0 ? 100 * (1 - errors / total) : 100);

/** The facts lib/faults chooses failing origins by. */
function factsOf(o: SimOrigin): FaultOriginFacts {
  return { id: o.id, kind: o.kind, awsRegion: o.awsRegion, role: o.role ?? 'primary' };
}

/** Every origin of the model, regional copies and failover secondaries included, once each. */
export function modelOrigins(model: SimModel): SimOrigin[] {
  const out = new Map<string, SimOrigin>();
  const add = (o: SimOrigin) => {
    if (!out.has(o.id)) out.set(o.id, o);
    for (const r of o.regional ?? []) add(r);
    if (o.failover) add(o.failover.origin);
  };
  for (const b of [...model.behaviors, model.defaultBehavior]) add(b.origin);
  return [...out.values()];
}

/** The origin outage a fault makes (none for load scenarios). */
export function outagesFor(model: SimModel, fault: FaultSpec): OriginOutage[] {
  const all = modelOrigins(model);
  const facts = all.map(factsOf);
  const region = faultRegion(model.awsRegion);
  const ids = facts.filter((f) => originFails(fault.scenario.target, f, region)).map((f) => f.id);
  if (ids.length === 0) return [];
  return [{ fromSec: fault.startSec, toSec: fault.startSec + fault.durationSec, origins: ids, mode: fault.scenario.mode }];
}

/** Invalidations of every asset every `every` seconds in the window, merged into `events` in time order. */
export function withInvalidationStorm(events: EventLog, assets: number, from: number, to: number, every: number): EventLog {
  const times: number[] = [];
  for (let t = from; t < to; t += every) times.push(t);
  const n = events.length + times.length * assets;
  const time = new Float64Array(n), asset = new Int32Array(n), kind = new Uint8Array(n);
  let i = 0, j = 0, k = 0;
  while (i < events.length || j < times.length) {
    if (j >= times.length || (i < events.length && events.time[i]! <= times[j]!)) {
      time[k] = events.time[i]!; asset[k] = events.asset[i]!; kind[k] = events.kind[i]!; i++; k++;
    } else {
      for (let a = 0; a < assets; a++, k++) { time[k] = times[j]!; asset[k] = a; kind[k] = EVENT_INVALIDATE; }
      j++;
    }
  }
  return { length: n, time, asset, kind };
}

/** Figures of one phase of the engine's stats. */
function phaseOf(s: EngineStats, p: number): PhaseFigures {
  const f = (i: number) => s.phases[p * PHASE_FIELDS + i]!;
  return {
    requests: f(PH_REQUESTS),
    availabilityPct: pct(f(PH_ERRORS), f(PH_REQUESTS)),
    cacheableAvailabilityPct: pct(f(PH_CACHING_ERRORS), f(PH_CACHING)),
    p95TtfbMs: percentileMs(s.ttfbByPhase, p * HIST_BUCKETS, 0.95),
    originRequests: f(PH_ORIGIN_REQUESTS),
  };
}

/** Seconds from `endSec` (relative to the measured start) until the last bucket with errors ends. */
export function recoverySecondsOf(errorSeries: Float64Array, bucketSeconds: number, endSec: number): number {
  let last = -1;
  for (let b = errorSeries.length - 1; b >= 0; b--) if (errorSeries[b]! > 0) { last = b; break; }
  if (last < 0) return 0;
  return Math.max(0, (last + 1) * bucketSeconds - endSec);
}

/** Summarizes a fault run. */
export function faultResultOf(stats: EngineStats, fault: FaultSpec, failingOrigins: readonly string[]): FaultResult {
  const requests = sum(stats.requests);
  const errors = sum(stats.originErrors);
  const allPct = pct(errors, requests);
  const cacheablePct = pct(sum(stats.cachingErrors), sum(stats.caching));
  const sc = fault.scenario;
  const availabilityPct = sc.targetScope === 'all' ? allPct : cacheablePct;
  const originRequests = sum(stats.originFetches) + sum(stats.origin304) + sum(stats.originFailures);
  return {
    scenario: sc.name,
    startSec: fault.startSec,
    durationSec: fault.durationSec,
    failingOrigins,
    availabilityPct,
    allAvailabilityPct: allPct,
    cacheableAvailabilityPct: cacheablePct,
    targetPct: sc.targetPct,
    targetScope: sc.targetScope,
    pass: availabilityPct >= sc.targetPct,
    phases: { before: phaseOf(stats, 0), during: phaseOf(stats, 1), after: phaseOf(stats, 2) },
    errorsByStatus: errors > 0 ? { [String(FAULT_STATUS[sc.mode])]: errors } : {},
    recoverySeconds: recoverySecondsOf(stats.errorSeries, stats.bucketSeconds, fault.startSec + fault.durationSec),
    originRequests,
    failovers: sum(stats.failovers),
    staleIfErrorServed: sum(stats.staleIfErrorServed),
    errorCacheHits: sum(stats.errorCacheHits),
    requests,
  };
}

/**
 * Simulates a plan's model with a fault: the seed workload (with the scenario's release or
 * invalidations), the fault's origins failing in its window, statistics per phase.
 * @throws InputError when the window does not fit in the measured hours.
 */
export function simulateFault(model: SimModel, fault: FaultSpec, opts: SimulateOptions = {}): { result: FaultResult; workload: Workload } {
  const seed = opts.seed ?? DEFAULTS.seed;
  const scale = opts.scale ?? DEFAULTS.scale;
  const hours = opts.hours ?? DEFAULTS.hours;
  const warmupHours = opts.warmupHours ?? DEFAULTS.warmupHours;
  const end = fault.startSec + fault.durationSec;
  if (end > hours * 3600) throw new InputError(`--fault ${fault.scenario.name}: the window ends at ${end} s, after the ${hours} measured hours; start it earlier or raise --hours.`);
  const base = opts.profile ?? SEED_PROFILE;
  const outages = outagesFor(model, fault);
  const profile: WorkloadProfile = { ...base, originOutages: [...(base.originOutages ?? []), ...outages] };
  const releases = fault.scenario.load === 'release'
    ? parseReleaseManifest(episodeReleaseManifest(profile, { series: ['t0', 't1', 't2'], releaseAtSec: DEFAULT_SIMULATED_DAY_EPOCH_SEC + fault.startSec, minutes: 45 }), 'release-herd')
    : opts.releases ?? [];
  const workload = buildWorkload(model, {
    seed, scale, profile,
    ...(opts.originCacheControl ? { originCacheControl: opts.originCacheControl } : {}),
    ...(releases.length > 0 ? { releases } : {}),
  });
  const from = -warmupHours * 3600, to = hours * 3600;
  const requests = generateRequests(workload, from, to, seed, opts.onProgress ? (d) => opts.onProgress!('generate', d, to - from) : undefined);
  let events = generateEvents(workload, from, to, seed);
  if (fault.scenario.load === 'invalidate-all') events = withInvalidationStorm(events, workload.assets, fault.startSec, end, fault.scenario.invalidateEverySec ?? 60);
  const stats = runEngine({ ...workload, errorCachingMinTtl: model.errorCachingMinTtl }, requests, events, {
    policy: opts.policy ?? DEFAULTS.policy,
    capacity: { ...DEFAULT_CAPACITY, ...opts.capacity },
    capacityScale: workload.scale,
    hitLevel: opts.hitLevel ?? DEFAULTS.hitLevel,
    refreshHitIsHit: opts.refreshHitIsHit ?? DEFAULTS.refreshHitIsHit,
    measureFrom: 0,
    measureTo: to,
    seed: workload.seed,
    bucketSeconds: FAULT_BUCKET_SECONDS,
    phases: { from: fault.startSec, to: end },
  }, opts.onProgress ? (d) => opts.onProgress!('simulate', d, requests.length) : undefined);
  return { result: faultResultOf(stats, fault, outages.flatMap((o) => o.origins ?? [])), workload };
}
