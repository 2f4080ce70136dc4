/**
 * Replays CloudFront standard logs through a plan's tiers: each logged request keeps its time and
 * edge location; its behavior, TTL and cache key come from the plan through lib/semantics (so two
 * plans can be compared on real traffic). Objects never change during a replay (logs do not say
 * when they did); Accept-Encoding is not logged, so compressed variants are not told apart.
 * The log's own x-edge-result-type gives the observed hit ratio to compare with.
 */
import { CONTENT_TYPE_NAMES, type ContentTypeName } from '../lib/catalog';
import { InputError } from '../lib/errors';
import { computeCacheKey } from '../lib/semantics/cache-key';
import type { PriceRegionGroup } from '../lib/semantics/pricing';
import { resolveTtl } from '../lib/semantics/ttl';
import type { PolicyName } from './caches';
import { runEngine, type EngineInput, type EngineStats, type HitLevel, type TierCapacities } from './engine';
import type { SimModel, SimOrigin } from './plan-model';
import type { Shard } from './shard';
import { REGIONS, type Region, type WorkloadProfile } from './profile';
import { summarize, type SimulationResult } from './results';
import type { CloudFrontLog } from './trace/cloudfront-log';
import { RESULT_TYPES } from './trace/cloudfront-log';
import type { EventLog, RequestLog } from './workload/arrivals';
import type { KeySpace } from './workload/build';
import type { Topology, Viewer } from './workload/topology';

/** Regions of CloudFront edge locations by airport code (the first three letters of x-edge-location). */
const AIRPORTS: Readonly<Record<Region, readonly string[]>> = {
  NA: ['IAD', 'ORD', 'DFW', 'LAX', 'SEA', 'ATL', 'JFK', 'EWR', 'MIA', 'SFO', 'SJC', 'DEN', 'PHX', 'BOS', 'IND', 'MSP', 'HIO', 'PDX', 'SLC', 'BNA', 'CMH', 'DTW', 'HOU', 'IAH', 'JAX', 'MCI', 'PHL', 'PIT', 'YUL', 'YTO', 'YYZ', 'YVR', 'QRO', 'MEX'],
  EU: ['FRA', 'LHR', 'CDG', 'AMS', 'MAD', 'MXP', 'ARN', 'WAW', 'MUC', 'MAN', 'MRS', 'IST', 'TLV', 'DUB', 'DUS', 'HAM', 'BER', 'TXL', 'VIE', 'ZRH', 'CPH', 'OSL', 'HEL', 'PRG', 'BUD', 'ATH', 'LIS', 'BCN', 'FCO', 'PMO', 'SOF', 'OTP', 'ZAG', 'BRU', 'EDI', 'LPL'],
  AP: ['NRT', 'HND', 'KIX', 'SIN', 'BOM', 'DEL', 'MAA', 'BLR', 'HYD', 'CCU', 'SYD', 'MEL', 'PER', 'BNE', 'AKL', 'ICN', 'GMP', 'HKG', 'TPE', 'MNL', 'CGK', 'BKK', 'KUL', 'HAN', 'SGN', 'PEK', 'PVG', 'SZX'],
  SA: ['GRU', 'GIG', 'EZE', 'SCL', 'BOG', 'LIM', 'FOR', 'POA', 'UIO'],
  MEA: ['DXB', 'JNB', 'CPT', 'LOS', 'CAI', 'NBO', 'BAH', 'FJR', 'JED', 'DOH', 'MCT', 'AMM', 'TLV2'],
};

const REGION_BY_AIRPORT = new Map<string, Region>(REGIONS.flatMap((r) => AIRPORTS[r].map((a) => [a, r] as const)));
const DEFAULT_GROUP: Readonly<Record<Region, PriceRegionGroup>> = { NA: 'US', EU: 'EU', AP: 'AP', SA: 'SA', MEA: 'ZA_ME' };

/** Region of an x-edge-location such as 'IAD89-C1'; undefined when the airport is not in the table. */
export function regionOfEdgeLocation(location: string): Region | undefined {
  return REGION_BY_AIRPORT.get(location.slice(0, 3).toUpperCase());
}

export interface ReplayOptions {
  readonly policy: PolicyName;
  readonly capacity: TierCapacities;
  readonly hitLevel: HitLevel;
  readonly refreshHitIsHit: boolean;
  /** Seconds at the start of the log that only warm the caches. */
  readonly warmupSeconds: number;
  readonly seed: number;
  /**
   * Replay only the paths of shard i of n (by a hash of the path, so a shard's paths are the same
   * whichever part of the logs a child reads), with 1/n of every cache. The time window is the whole
   * log's, so every shard measures the same hours.
   */
  readonly shard?: Shard;
}

/** Logged GET/HEAD requests and hits (Hit, RefreshHit, OriginShieldHit) per content type, in CONTENT_TYPE_NAMES order. */
export interface ObservedCounts {
  readonly requests: readonly number[];
  readonly hits: readonly number[];
}

/** The logged hit ratio per type from the counts (summed over shards, they give the whole log's). */
export function observedFromCounts(c: ObservedCounts): Record<ContentTypeName, ObservedType> {
  const observed = {} as Record<ContentTypeName, ObservedType>;
  CONTENT_TYPE_NAMES.forEach((n, i) => {
    const req = c.requests[i] ?? 0;
    observed[n] = { requests: req, hitRatio: req > 0 ? Number(((c.hits[i] ?? 0) / req).toFixed(4)) : 0 };
  });
  return observed;
}

/** The shard of a logged path: FNV-1a (32-bit) of its UTF-16 code units, modulo the count. */
export function shardOfPath(path: string, count: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) {
    h ^= path.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % count;
}

export interface ObservedType {
  readonly requests: number;
  /** Hit, RefreshHit and OriginShieldHit over GET/HEAD, as CloudFront logged them. */
  readonly hitRatio: number;
}

export interface ReplayResult {
  readonly result: SimulationResult;
  readonly observed: Readonly<Record<ContentTypeName, ObservedType>>;
  /** Edge locations whose airport code is not known (mapped to North America). */
  readonly unknownEdges: readonly string[];
  readonly logSeconds: number;
  /** The engine's raw statistics (what a shard's part carries). */
  readonly stats: EngineStats;
  readonly observedCounts: ObservedCounts;
}

/** Replays a log through a model. @throws InputError when the log has no requests. */
export function replayLog(log: CloudFrontLog, model: SimModel, profile: WorkloadProfile, opts: ReplayOptions): ReplayResult {
  if (log.length === 0) throw new InputError('the CloudFront log has no readable requests; check --trace (plain or .gz standard log files with a #Fields header).');
  const order = Int32Array.from({ length: log.length }, (_, i) => i).sort((a, b) => log.time[a]! - log.time[b]! || a - b);
  const t0 = log.time[order[0]!]!;
  const t1 = log.time[order[order.length - 1]!]! + 1;

  // topology: one edge and one viewer per logged edge location
  const unknownEdges: string[] = [];
  const edges = log.edges.map((code) => {
    const region = regionOfEdgeLocation(code);
    if (!region) unknownEdges.push(code);
    return { code, region: region ?? 'NA' };
  });
  const viewers: Viewer[] = edges.map((e, i) => ({
    country: e.code, region: e.region, servedFrom: e.region, rttMs: profile.network.viewerRttMs[e.region],
    throughputMbps: profile.regions[e.region].viewerMbps, billedGroup: DEFAULT_GROUP[e.region], edges: [i], share: 1 / edges.length,
  }));
  if (edges.length > 255) throw new InputError(`the log has ${edges.length} edge locations; the replay handles up to 255 — split the logs by region.`);
  const topology: Topology = { edges, viewers, edgeRegion: Uint8Array.from(edges, (e) => REGIONS.indexOf(e.region)), regions: REGIONS };

  // keys: distinct cache keys of the logged URLs (and range starts), via the plan's behaviors
  const behaviors = [...model.behaviors, model.defaultBehavior];
  const origins: SimOrigin[] = [];
  const originIndex = new Map<string, number>();
  const keyIds = new Map<string, number>();
  const assetIds = new Map<string, number>();
  const size: number[] = [], ttl: number[] = [], asset: number[] = [], type: number[] = [], behavior: number[] = [], origin: number[] = [], cacheableMethod: number[] = [], functions: number[] = [];
  const sharded = opts.shard !== undefined && opts.shard.count > 1 ? opts.shard : undefined;
  const kept: number[] = [];
  const reqKey: number[] = [];
  const observedReq = new Float64Array(CONTENT_TYPE_NAMES.length);
  const observedHits = new Float64Array(CONTENT_TYPE_NAMES.length);
  const hitResults = new Set(['Hit', 'RefreshHit', 'OriginShieldHit'].map((r) => (RESULT_TYPES as readonly string[]).indexOf(r)));
  for (let n = 0; n < order.length; n++) {
    const i = order[n]!;
    const url = log.urls[log.url[i]!]!;
    const q = url.indexOf('?');
    const path = q >= 0 ? url.slice(0, q) : url;
    if (sharded && shardOfPath(path, sharded.count) !== sharded.index) continue;
    const query = q >= 0 ? url.slice(q + 1) : '';
    const beh = model.select(path);
    const methodGetHead = log.method[i]! < 2;
    const method = log.method[i] === 0 ? 'GET' : log.method[i] === 1 ? 'HEAD' : 'POST';
    const keyString = methodGetHead
      ? computeCacheKey('log', beh.key, { method, path, query, headers: {} }) + (log.rangeStart[i]! >= 0 ? `#range${log.rangeStart[i]}` : '')
      : `proxy ${beh.pathPattern}`;
    let k = keyIds.get(keyString);
    if (k === undefined) {
      k = size.length;
      keyIds.set(keyString, k);
      let oi = originIndex.get(beh.origin.id);
      if (oi === undefined) { oi = origins.length; origins.push(beh.origin); originIndex.set(beh.origin.id, oi); }
      let a = assetIds.get(path);
      if (a === undefined) { a = assetIds.size; assetIds.set(path, a); }
      const cached = beh.cachedMethods.includes(method) && !beh.cachingDisabled;
      const d = cached ? resolveTtl(beh.ttl, {}, 0) : undefined;
      size.push(log.contentLength[i]! >= 0 ? log.contentLength[i]! : log.bytes[i]!);
      ttl.push(d?.cacheable ? d.ttl : -1);
      asset.push(a);
      type.push(CONTENT_TYPE_NAMES.indexOf(beh.contentType));
      behavior.push(behaviors.indexOf(beh));
      origin.push(oi);
      cacheableMethod.push(methodGetHead ? 1 : 0);
      functions.push(beh.functionCount);
    }
    kept.push(i);
    reqKey.push(k);
    if (methodGetHead) {
      const ti = type[k]!;
      observedReq[ti] = observedReq[ti]! + 1;
      if (hitResults.has(log.result[i]!)) observedHits[ti] = observedHits[ti]! + 1;
    }
  }
  const nk = size.length;
  const keys: KeySpace = {
    count: nk, size: Float64Array.from(size), originSize: Float64Array.from(size), ttl: Float64Array.from(ttl),
    revalidates: Uint8Array.from(behavior, (b) => (behaviors[b]!.key.cookies.behavior === 'none' ? 1 : 0)),
    asset: Int32Array.from(asset), type: Uint8Array.from(type), behavior: Uint8Array.from(behavior), origin: Uint8Array.from(origin),
    weight: new Float64Array(nk).fill(1), cacheableMethod: Uint8Array.from(cacheableMethod), functions: Uint8Array.from(functions), compressed: new Uint8Array(nk),
  };
  const requests: RequestLog = {
    length: kept.length,
    time: Float64Array.from(kept, (i) => log.time[i]! - t0),
    key: Int32Array.from(reqKey),
    viewer: Uint8Array.from(kept, (i) => log.edge[i]!),
    edge: Uint8Array.from(kept, (i) => log.edge[i]!),
  };
  const events: EventLog = { length: 0, time: new Float64Array(0), asset: new Int32Array(0), kind: new Uint8Array(0) };
  const input: EngineInput = { keys, topology, origins, profile, assets: assetIds.size, invalidStart: new Int32Array(assetIds.size + 1), invalidKeys: new Int32Array(0) };
  const span = t1 - t0;
  const warm = Math.min(opts.warmupSeconds, span / 2);
  const stats = runEngine(input, requests, events, {
    policy: opts.policy, capacity: opts.capacity, capacityScale: sharded ? 1 / sharded.count : 1, hitLevel: opts.hitLevel, refreshHitIsHit: opts.refreshHitIsHit,
    measureFrom: warm, measureTo: span, seed: opts.seed, bucketSeconds: span - warm > 6 * 3600 ? 300 : 60,
  });
  const result = summarize({ stack: model.stack, stats, catalog: model.catalog, invalidationPathsPerMonth: 0 });
  const observedCounts = { requests: Array.from(observedReq), hits: Array.from(observedHits) };
  return { result, observed: observedFromCounts(observedCounts), unknownEdges, logSeconds: span, stats, observedCounts };
}
