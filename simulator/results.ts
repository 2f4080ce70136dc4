/**
 * Turns an engine run into the simulation result: per content type against the catalog's targets,
 * totals (hit ratios, latency, bandwidth), the monthly usage and its cost (lib/semantics/pricing),
 * the bandwidth series and latency CDFs for the report. Full-scale figures: the engine's weights
 * already undo the sampling; per-day figures are scaled to a month of 30.4375 days.
 */
import { CONTENT_TYPE_NAMES, type Catalog, type ContentTypeName } from '../lib/catalog';
import { GIB, monthlyCostUsd, PRICE_REGION_GROUPS, type CostLine, type MonthlyUsage, type RegionalOriginUsage } from '../lib/semantics/pricing';
import type { EngineStats } from './engine';
import { bucketUpperMs, HIST_BUCKETS, percentileMs, shareBelowMs } from './latency';
import { REGIONS, type Region } from './profile';
import { videoExperience, type VideoExperienceInputs, type VideoExperienceResult } from './video/experience';

export const DAYS_PER_MONTH = 30.4375;
export const SECONDS_PER_MONTH = DAYS_PER_MONTH * 86_400;

/** The overall latency target of the source: 95 % of all requests within this TTFB. */
export const ALL_REQUESTS_LATENCY_MS = 100;
export const ALL_REQUESTS_LATENCY_SHARE = 0.95;
/** The source's "data transfer efficiency > 90 %": byte hit ratio over all requests. */
export const BYTE_HIT_RATIO_TARGET = 0.9;

export interface TypeResult {
  /** Full-scale requests per day (all methods). */
  readonly requests: number;
  /** GET/HEAD requests per day on behaviors that cache (the hit-ratio denominator). */
  readonly cachedRouteRequests: number;
  /**
   * Hits over GET/HEAD requests on behaviors that cache; requests to never-cached routes (CachingDisabled)
   * and other methods are left out: they cannot hit by design.
   */
  readonly hitRatio: number;
  /** CloudFront's CacheHitRate definition (spec §12): hits over all GET/HEAD requests, never-cached routes included. */
  readonly cacheHitRate: number;
  readonly byteHitRatio: number;
  /** Served by the viewer's edge location from a fresh copy. */
  readonly edgeHitRatio: number;
  /** Expired at the edge and revalidated (RefreshHit). */
  readonly edgeRefreshHitRatio: number;
  /** Share of requests whose body did not come from the origin. */
  readonly originOffload: number;
  /** Requests per day that reached the origin: full fetches plus 304 revalidations. */
  readonly originRequests: number;
  /** Share of requests served a version older than the origin's. */
  readonly staleShare: number;
  readonly targetHitRatio: number;
  readonly p50LatencyMs: number;
  readonly p95LatencyMs: number;
  readonly p99LatencyMs: number;
  readonly targetLatencyMs: number;
  /** p95 of TTFB + body transfer at the viewer's throughput. */
  readonly p95TotalMs: number;
  readonly averageGbps: number;
  readonly hitRatioPass: boolean;
  readonly latencyPass: boolean;
  readonly pass: boolean;
}

export interface Check {
  readonly name: string;
  readonly value: number;
  readonly target: number;
  readonly pass: boolean;
}

export interface SimulationTotals {
  readonly requests: number;
  readonly hitRatio: number;
  readonly cacheHitRate: number;
  readonly byteHitRatio: number;
  readonly edgeHitRatio: number;
  readonly originOffload: number;
  readonly originOffloadBytes: number;
  readonly p50LatencyMs: number;
  readonly p95LatencyMs: number;
  readonly p99LatencyMs: number;
  readonly shareUnder100Ms: number;
  readonly peakGbps: number;
  readonly averageGbps: number;
  readonly originAverageGbps: number;
  readonly originPeakGbps: number;
  readonly requestsPerSecond: number;
  readonly peakRequestsPerSecond: number;
}

/** One content type as the viewers of one region see it. */
export interface RegionTypeResult {
  /** Full-scale requests per day from the region's viewers. */
  readonly requests: number;
  /** Hits over GET/HEAD requests on caching behaviors (as TypeResult.hitRatio), 0 when none. */
  readonly hitRatio: number;
  readonly p95LatencyMs: number;
  readonly latencyPass: boolean;
}

/** What the viewers of one region (lib/network ViewerRegion) see: where each target is won or lost. */
export interface RegionResult {
  readonly requests: number;
  readonly shareUnder100Ms: number;
  readonly types: Readonly<Record<ContentTypeName, RegionTypeResult>>;
}

export interface SimulationResult {
  readonly stack: string;
  readonly types: Readonly<Record<ContentTypeName, TypeResult>>;
  /** The same figures by the viewers' own region (regions without viewers are left out). */
  readonly regions: Readonly<Partial<Record<Region, RegionResult>>>;
  readonly totals: SimulationTotals;
  readonly checks: readonly Check[];
  readonly pass: boolean;
  readonly costUsdPerMonth: number;
  readonly cost: { readonly usage: MonthlyUsage; readonly lines: readonly CostLine[] };
  readonly series: { readonly bucketSeconds: number; readonly edgeGbps: readonly number[]; readonly originGbps: readonly number[]; readonly requestsPerSecond: readonly number[] };
  /** TTFB CDF per type: [ms, share ≤ ms] points. */
  readonly latencyCdf: Readonly<Record<ContentTypeName, readonly (readonly [number, number])[]>>;
  readonly events: { readonly updates: number; readonly invalidations: number };
  readonly evictions: { readonly edge: number; readonly rec: number; readonly shield: number };
  readonly simulatedRequests: number;
  /**
   * Video startup time and rebuffering per viewer region against the player targets (simulator/video),
   * when the run had the player model's inputs (seed-workload runs). Not part of `pass`.
   */
  readonly video?: VideoExperienceResult;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
const round = (x: number, digits: number) => Number(x.toFixed(digits));

function cdfPoints(h: Float64Array, offset: number): [number, number][] {
  let total = 0;
  for (let b = 0; b < HIST_BUCKETS; b++) total += h[offset + b]!;
  const out: [number, number][] = [];
  if (total <= 0) return out;
  let acc = 0;
  let lastShare = -1;
  for (let b = 0; b < HIST_BUCKETS; b++) {
    acc += h[offset + b]!;
    const share = acc / total;
    // keep a point every 0.5 % of the distribution
    if (share - lastShare >= 0.005 || (share === 1 && lastShare < 1)) {
      out.push([round(bucketUpperMs(b), 2), round(share, 4)]);
      lastShare = share;
      if (share >= 1) break;
    }
  }
  return out;
}

export interface SummarizeInput {
  readonly stack: string;
  readonly stats: EngineStats;
  readonly catalog: Catalog;
  /** Invalidation paths a month (full scale). */
  readonly invalidationPathsPerMonth: number;
  /** Storage and replication of the S3 origins' regional copies (./regional-usage.ts), when there are any. */
  readonly regionalOrigins?: RegionalOriginUsage;
  /** The player model's inputs (simulator/video/experience.ts): with them the result has `video`. */
  readonly videoExperience?: VideoExperienceInputs;
}

export function summarize(input: SummarizeInput): SimulationResult {
  const { stats: s, catalog } = input;
  const days = s.measuredSeconds / 86_400;
  const perDay = (x: number) => x / days;
  const gbps = (bytes: number, seconds: number) => (bytes * 8) / seconds / 1e9;
  const types = {} as Record<ContentTypeName, TypeResult>;
  const latencyCdf = {} as Record<ContentTypeName, [number, number][]>;
  const all = new Float64Array(HIST_BUCKETS);
  const allTotal = new Float64Array(HIST_BUCKETS);
  for (let ti = 0; ti < CONTENT_TYPE_NAMES.length; ti++) {
    const name = CONTENT_TYPE_NAMES[ti]!;
    const spec = catalog.type(name);
    const off = ti * HIST_BUCKETS;
    for (let b = 0; b < HIST_BUCKETS; b++) { all[b] = all[b]! + s.ttfb[off + b]!; allTotal[b] = allTotal[b]! + s.total[off + b]!; }
    const hitRatio = ratio(s.hits[ti]!, s.caching[ti]!);
    const p95 = percentileMs(s.ttfb, off, 0.95);
    const hitRatioPass = hitRatio >= spec.targetHitRatio;
    const latencyPass = p95 <= spec.targetLatencyMs;
    types[name] = {
      requests: Math.round(perDay(s.requests[ti]!)),
      cachedRouteRequests: Math.round(perDay(s.caching[ti]!)),
      hitRatio: round(hitRatio, 4),
      cacheHitRate: round(ratio(s.hits[ti]!, s.cacheable[ti]!), 4),
      byteHitRatio: round(ratio(s.hitBytes[ti]!, s.cachingBytes[ti]!), 4),
      edgeHitRatio: round(ratio(s.edgeHits[ti]!, s.caching[ti]!), 4),
      edgeRefreshHitRatio: round(ratio(s.edgeRefreshHits[ti]!, s.caching[ti]!), 4),
      originOffload: round(1 - ratio(s.originFetches[ti]!, s.requests[ti]!), 4),
      originRequests: Math.round(perDay(s.originFetches[ti]! + s.origin304[ti]!)),
      staleShare: round(ratio(s.staleServed[ti]!, s.requests[ti]!), 5),
      targetHitRatio: spec.targetHitRatio,
      p50LatencyMs: round(percentileMs(s.ttfb, off, 0.5), 1),
      p95LatencyMs: round(p95, 1),
      p99LatencyMs: round(percentileMs(s.ttfb, off, 0.99), 1),
      targetLatencyMs: spec.targetLatencyMs,
      p95TotalMs: round(percentileMs(s.total, off, 0.95), 1),
      averageGbps: round(gbps(s.bytes[ti]!, s.measuredSeconds), 3),
      hitRatioPass,
      latencyPass,
      pass: hitRatioPass && latencyPass,
    };
    latencyCdf[name] = cdfPoints(s.ttfb, off);
  }
  const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
  const regions = regionResults(s, catalog, perDay);
  const bucketGbps = (series: Float64Array) => Array.from(series, (b, i) => {
    const width = Math.min(s.bucketSeconds, s.measuredSeconds - i * s.bucketSeconds);
    return round(gbps(b, width), 3);
  });
  const edgeGbps = bucketGbps(s.edgeBytesSeries);
  const originGbps = bucketGbps(s.originBytesSeries);
  const reqSeries = Array.from(s.requestSeries, (b, i) => round(b / Math.min(s.bucketSeconds, s.measuredSeconds - i * s.bucketSeconds), 1));
  const totals: SimulationTotals = {
    requests: Math.round(perDay(sum(s.requests))),
    hitRatio: round(ratio(sum(s.hits), sum(s.caching)), 4),
    cacheHitRate: round(ratio(sum(s.hits), sum(s.cacheable)), 4),
    byteHitRatio: round(ratio(sum(s.hitBytes), sum(s.cachingBytes)), 4),
    edgeHitRatio: round(ratio(sum(s.edgeHits), sum(s.caching)), 4),
    originOffload: round(1 - ratio(sum(s.originFetches), sum(s.requests)), 4),
    originOffloadBytes: round(1 - ratio(sum(s.originBytes), sum(s.bytes)), 4),
    p50LatencyMs: round(percentileMs(all, 0, 0.5), 1),
    p95LatencyMs: round(percentileMs(all, 0, 0.95), 1),
    p99LatencyMs: round(percentileMs(all, 0, 0.99), 1),
    shareUnder100Ms: round(shareBelowMs(all, 0, ALL_REQUESTS_LATENCY_MS), 4),
    peakGbps: round(Math.max(...edgeGbps), 2),
    averageGbps: round(gbps(sum(s.bytes), s.measuredSeconds), 2),
    originAverageGbps: round(gbps(sum(s.originBytes), s.measuredSeconds), 2),
    originPeakGbps: round(Math.max(...originGbps), 2),
    requestsPerSecond: round(sum(s.requests) / s.measuredSeconds, 1),
    peakRequestsPerSecond: round(Math.max(...reqSeries), 1),
  };
  const checks: Check[] = [
    { name: `${ALL_REQUESTS_LATENCY_SHARE * 100} % of all requests within ${ALL_REQUESTS_LATENCY_MS} ms TTFB`, value: totals.shareUnder100Ms, target: ALL_REQUESTS_LATENCY_SHARE, pass: totals.shareUnder100Ms >= ALL_REQUESTS_LATENCY_SHARE },
    { name: 'data transfer efficiency (byte hit ratio) above 90 %', value: totals.byteHitRatio, target: BYTE_HIT_RATIO_TARGET, pass: totals.byteHitRatio > BYTE_HIT_RATIO_TARGET },
  ];

  const month = DAYS_PER_MONTH / days;
  const transferGbByGroup: Record<string, number> = {};
  const requestsByGroup: Record<string, number> = {};
  PRICE_REGION_GROUPS.forEach((g, i) => {
    if (s.bytesByGroup[i]! > 0) transferGbByGroup[g] = round((s.bytesByGroup[i]! / GIB) * month, 3);
    if (s.requestsByGroup[i]! > 0) requestsByGroup[g] = Math.round(s.requestsByGroup[i]! * month);
  });
  const usage: MonthlyUsage = {
    transferGbByGroup,
    requestsByGroup,
    httpsShare: 1,
    originShieldRequests: Math.round(s.originShieldIncremental * month),
    invalidationPaths: Math.round(input.invalidationPathsPerMonth),
    functionInvocations: Math.round(s.functionInvocations * month),
    ...(input.regionalOrigins ? { regionalOrigins: input.regionalOrigins } : {}),
  };
  const cost = monthlyCostUsd(usage);
  const lines = cost.lines.map((l) => ({ ...l, quantity: round(l.quantity, 3), usd: round(l.usd, 2) }));
  return {
    stack: input.stack,
    types,
    regions,
    totals,
    checks,
    pass: Object.values(types).every((t) => t.pass) && checks.every((c) => c.pass),
    costUsdPerMonth: round(cost.totalUsd, 2),
    cost: { usage, lines },
    series: { bucketSeconds: s.bucketSeconds, edgeGbps, originGbps, requestsPerSecond: reqSeries },
    latencyCdf,
    events: { updates: s.updates, invalidations: s.invalidations },
    evictions: s.evictions,
    simulatedRequests: s.simulated,
    ...(input.videoExperience ? { video: videoExperience(s.videoTtfbByRegion, input.videoExperience) } : {}),
  };
}

function regionResults(s: EngineStats, catalog: Catalog, perDay: (x: number) => number): Partial<Record<Region, RegionResult>> {
  const T = CONTENT_TYPE_NAMES.length;
  const out: Partial<Record<Region, RegionResult>> = {};
  REGIONS.forEach((region, ri) => {
    const all = new Float64Array(HIST_BUCKETS);
    const types = {} as Record<ContentTypeName, RegionTypeResult>;
    let requests = 0;
    CONTENT_TYPE_NAMES.forEach((name, ti) => {
      const off = (ri * T + ti) * HIST_BUCKETS;
      let n = 0;
      for (let b = 0; b < HIST_BUCKETS; b++) { n += s.ttfbByRegion[off + b]!; all[b] = all[b]! + s.ttfbByRegion[off + b]!; }
      requests += n;
      const p95 = percentileMs(s.ttfbByRegion, off, 0.95);
      types[name] = {
        requests: Math.round(perDay(n)),
        hitRatio: round(ratio(s.hitsByRegion[ri * T + ti]!, s.cachingByRegion[ri * T + ti]!), 4),
        p95LatencyMs: round(p95, 1),
        latencyPass: n === 0 || p95 <= catalog.type(name).targetLatencyMs,
      };
    });
    if (requests > 0) out[region] = { requests: Math.round(perDay(requests)), shareUnder100Ms: round(shareBelowMs(all, 0, ALL_REQUESTS_LATENCY_MS), 4), types };
  });
  return out;
}
