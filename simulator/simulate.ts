/**
 * One call from a plan to a result: build the simulator's model of the plan, the sampled seed
 * workload, its requests and object changes, run them through the tiers, summarize. `prepare` and
 * `runPrepared` are separate so that several cache configurations replay the same requests.
 */
import type { Plan } from '../lib/plan';
import type { ContentTypeName } from '../lib/catalog';
import { InputError } from '../lib/errors';
import type { ReleaseEntry } from '../lib/warming/predict';
import type { PolicyName } from './caches';
import { runEngine, type EngineStats, type HitLevel, type OutcomeRecord, type TierCapacities } from './engine';
import { simModelFromPlan, type SimModel } from './plan-model';
import { SEED_PROFILE, type WorkloadProfile } from './profile';
import { regionalOriginUsage } from './regional-usage';
import { mergeStats, shardEvents, type Shard } from './shard';
import { summarize, SECONDS_PER_MONTH, type SimulationResult } from './results';
import { generateEvents, generateRequests, invalidationPathsPerMonth, requestStream, type EventLog, type RequestBatches, type RequestLog } from './workload/arrivals';
import { buildWorkload, type Workload } from './workload/build';
import type { SampledObjects } from './workload/sample';
import { videoExperienceInputs, type VideoExperienceInputs } from './video/experience';

const TIB = 2 ** 40;

/**
 * Cache capacity per tier, bytes at full scale. CloudFront publishes no sizes (spec §2.2: objects may
 * be evicted before expiry); these are [unverified] assumptions, configurable with --edge-cache,
 * --rec-cache and --shield-cache, and swept in the report's "hit ratio vs cache size" chart.
 */
export const DEFAULT_CAPACITY: TierCapacities = { edge: 4 * TIB, rec: 40 * TIB, shield: 100 * TIB };

export const DEFAULTS = {
  seed: 1,
  scale: 0.01,
  hours: 24,
  warmupHours: 24,
  policy: 'lru' as PolicyName,
  hitLevel: 'cloudfront' as HitLevel,
  refreshHitIsHit: true,
};

/**
 * Scale and warm-up of `npm start` (about 3 M simulated requests per run): also the sim-latency
 * bench's and the default of `npm run tune`, so that the tuner's answer is judged on the same run as the main job's.
 */
export const START_SETTINGS = { scale: 0.005, warmupHours: 24 } as const;

export interface SimulateOptions {
  readonly seed?: number;
  /** Share of objects simulated, (0, 1]. */
  readonly scale?: number;
  /** Measured hours. */
  readonly hours?: number;
  /** Hours simulated before measuring, to warm the caches. */
  readonly warmupHours?: number;
  readonly policy?: PolicyName;
  readonly capacity?: Partial<TierCapacities>;
  readonly hitLevel?: HitLevel;
  readonly refreshHitIsHit?: boolean;
  readonly profile?: WorkloadProfile;
  readonly originCacheControl?: Partial<Record<ContentTypeName, string>>;
  /** New episodes going live during the simulated day (a release manifest; workload/releases.ts). @default none */
  readonly releases?: readonly ReleaseEntry[];
  /** Record every measured request's outcome here (for `--write-logs`); one run only. @default none */
  readonly record?: OutcomeRecord;
  /**
   * Build the keys of this shard's objects only (workers and `--shard i/n` parts: about 1/n of the key
   * space's memory and build time); such a workload runs that shard only (runPreparedShard). @default every object
   */
  readonly shard?: Shard;
  /**
   * The workload's sampled objects, built before with the same model, seed, scale, profile and releases
   * (workload/sample.ts: once for all the shards of a `--workers` run). @default sampled by `prepare`
   */
  readonly objects?: SampledObjects;
  /** Progress of the long phases (requests generated, requests simulated). */
  readonly onProgress?: (phase: 'generate' | 'simulate', done: number, total: number) => void;
}

/**
 * A workload ready to run. Its requests are generated as each run consumes them (a stream of batches:
 * memory does not grow with the day's requests), unless `requests` has been read: then they are
 * generated once, kept (16 bytes a request) and replayed by every later run. Both give the same requests.
 */
export interface Prepared {
  readonly workload: Workload;
  /** All requests in one log: generated on first use and kept. */
  readonly requests: RequestLog;
  /** Whether `requests` has been generated (runs then replay it). */
  readonly materialized: boolean;
  /** The number of requests: known after `requests` or a whole unsharded run, else generated to count them. */
  readonly requestCount: number;
  /** About how many requests a run simulates (the seed traffic's average rate × the duration; for progress bars). */
  readonly expectedRequests: number;
  /** A fresh stream of the requests (of one shard's objects only with `shard`). */
  stream(shard?: Shard): RequestBatches;
  /** Records the number of requests of a whole unsharded stream (`requestCount`). */
  counted(n: number): void;
  readonly events: EventLog;
  readonly measureFrom: number;
  readonly measureTo: number;
}

/** @throws InputError for hours or warm-up out of range. */
export function validateDuration(hours: number, warmupHours: number): void {
  const problems: string[] = [];
  if (!(hours > 0 && hours <= 24 * 7)) problems.push(`--hours must be a number in (0, 168], got ${hours}; 24 simulates one day.`);
  if (!(warmupHours >= 0 && warmupHours <= 24 * 7)) problems.push(`--warmup-hours must be a number in [0, 168], got ${warmupHours}.`);
  if (problems.length > 0) throw new InputError(problems);
}

export function prepare(model: SimModel, opts: SimulateOptions = {}): Prepared {
  const seed = opts.seed ?? DEFAULTS.seed;
  const scale = opts.scale ?? DEFAULTS.scale;
  const hours = opts.hours ?? DEFAULTS.hours;
  const warmupHours = opts.warmupHours ?? DEFAULTS.warmupHours;
  validateDuration(hours, warmupHours);
  const workload = buildWorkload(model, {
    seed, scale, profile: opts.profile ?? SEED_PROFILE,
    ...(opts.originCacheControl ? { originCacheControl: opts.originCacheControl } : {}),
    ...(opts.releases && opts.releases.length > 0 ? { releases: opts.releases } : {}),
    ...(opts.shard ? { shard: opts.shard } : {}),
    ...(opts.objects ? { objects: opts.objects } : {}),
  });
  const from = -warmupHours * 3600;
  const to = hours * 3600;
  const total = to - from;
  const onGenerate = opts.onProgress ? (done: number) => opts.onProgress!('generate', done, total) : undefined;
  const events = generateEvents(workload, from, to, seed);
  let requests: RequestLog | undefined;
  let count: number | undefined;
  let baseRate = 0;
  for (let o = 0; o < workload.objects; o++) baseRate += workload.objectRate[o]!;
  return {
    workload, events, measureFrom: 0, measureTo: to,
    get requests() {
      requests ??= generateRequests(workload, from, to, seed, onGenerate);
      count = requests.length;
      return requests;
    },
    get materialized() { return requests !== undefined; },
    get requestCount() { return count ?? this.requests.length; },
    expectedRequests: Math.round(baseRate * total),
    stream: (shard?: Shard) => requestStream(workload, from, to, seed, shard ? { shard } : {}),
    counted(n: number) { count ??= n; },
  };
}

/** The requests a run replays: the kept log when there is one, else a fresh stream. */
function requestsOf(p: Prepared): RequestLog | RequestBatches {
  return p.materialized ? p.requests : p.stream();
}

function engineOptions(p: Prepared, opts: SimulateOptions, capacityShare = 1) {
  return {
    policy: opts.policy ?? DEFAULTS.policy,
    capacity: { ...DEFAULT_CAPACITY, ...opts.capacity },
    capacityScale: p.workload.scale * capacityShare,
    hitLevel: opts.hitLevel ?? DEFAULTS.hitLevel,
    refreshHitIsHit: opts.refreshHitIsHit ?? DEFAULTS.refreshHitIsHit,
    measureFrom: p.measureFrom,
    measureTo: p.measureTo,
    seed: p.workload.seed,
    ...(opts.record ? { record: opts.record } : {}),
  };
}

/** What `summarize` needs besides the statistics (the same for every shard of a workload). */
export interface SummaryContext {
  readonly stack: string;
  readonly invalidationPathsPerMonth: number;
  readonly regionalOrigins?: NonNullable<ReturnType<typeof regionalOriginUsage>>;
  /** The player model's inputs: the seed workload's ladder, throughputs and player (simulator/video). */
  readonly videoExperience?: VideoExperienceInputs;
}

export function summaryContext(p: Prepared): SummaryContext {
  const w = p.workload;
  return {
    stack: w.model.stack, invalidationPathsPerMonth: invalidationPathsPerMonth(w, SECONDS_PER_MONTH), ...regionalOf(p),
    videoExperience: videoExperienceInputs(w.profile, w.model.catalog, w.seed),
  };
}

export function runPrepared(p: Prepared, opts: SimulateOptions = {}): SimulationResult {
  const requests = requestsOf(p);
  const stats = runEngine(p.workload, requests, p.events, engineOptions(p, opts), opts.onProgress ? (done) => opts.onProgress!('simulate', done, p.expectedRequests) : undefined);
  if ('next' in requests) p.counted(requests.done);
  return summarize({ ...summaryContext(p), stats, catalog: p.workload.model.catalog });
}

/**
 * The raw statistics of one shard of a prepared workload: its assets' requests — generated for that
 * shard's objects only, as they are simulated — and events, with 1/n of every cache
 * (simulator/shard.ts). Add the shards' statistics with `mergeStats`. One shard of one is the whole run.
 */
export function runPreparedShard(p: Prepared, shard: Shard, opts: SimulateOptions = {}): EngineStats {
  const requests = shard.count === 1 ? requestsOf(p) : p.stream(shard);
  const events = shardEvents(p.events, shard);
  const { record: _unused, ...rest } = opts;
  const stats = runEngine(p.workload, requests, events, engineOptions(p, rest, 1 / shard.count), opts.onProgress ? (done) => opts.onProgress!('simulate', done, Math.round(p.expectedRequests / shard.count)) : undefined);
  if (shard.count === 1 && 'next' in requests) p.counted(requests.done);
  return stats;
}

/** All n shards in this process, one after another, merged: what `--shard i/n` parts and `merge` add up to. */
export function runPreparedSharded(p: Prepared, count: number, opts: SimulateOptions = {}): SimulationResult {
  const parts = Array.from({ length: count }, (_, index) => runPreparedShard(p, { index, count }, opts));
  return summarize({ ...summaryContext(p), stats: mergeStats(parts), catalog: p.workload.model.catalog });
}

function regionalOf(p: Prepared): { regionalOrigins?: NonNullable<ReturnType<typeof regionalOriginUsage>> } {
  const w = p.workload;
  const usage = regionalOriginUsage({
    families: w.families, origins: w.origins, profile: w.profile, secondsPerMonth: SECONDS_PER_MONTH,
    updateIntervalSeconds: (t) => w.model.catalog.type(t).updateIntervalSeconds,
  });
  return usage ? { regionalOrigins: usage } : {};
}

/** Simulates a plan on the seed workload. */
export function simulatePlan(plan: Plan, opts: SimulateOptions = {}): SimulationResult {
  return runPrepared(prepare(simModelFromPlan(plan), opts), opts);
}
