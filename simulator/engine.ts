/**
 * The multi-tier cache simulation: viewer → edge location (one cache each) → its nearest regional edge
 * cache (CloudFront's real RECs, lib/network.ts) → Origin Shield (one per shield Region, when the
 * origin has it; the REC in the shield's Region is the shield itself) → origin (spec §9.3, §9.4). Each cache has a capacity and an eviction policy; objects expire by TTL and expired copies
 * are revalidated with a conditional request (304 when the origin's version is unchanged, spec §4.1);
 * invalidations remove every variant of the matched keys from every tier (spec §8.1); never-cached
 * requests (CachingDisabled, POST) go straight to the origin, bypassing the REC (spec §9.3).
 *
 * Stale windows (spec §2.3): an expired copy within its key's `stale-while-revalidate` window is served
 * at once, at the latency of the tier that holds it, and revalidated in the background (the origin
 * request happens and is counted, off the viewer's path). During an origin outage
 * (`WorkloadProfile.originOutages`) a request that needs the origin gets a stale copy within its
 * `stale-if-error` window after the failed attempt (synchronous attempt, then fall back, spec §2.3),
 * else an error; background revalidations fail and leave the copies stale.
 * Fills are instantaneous, which is what request collapsing makes of concurrent misses (spec §4.3).
 * Warm (prefill) requests — `EngineOptions.warm` — go through the same lookup and fill as a viewer
 * request at their edge location and are counted apart (`EngineStats.warm`), so every viewer figure
 * (hit ratios, origin bytes, latency) stays viewer-only.
 * The hot loop reads typed arrays only and allocates nothing per request.
 */
import { CONTENT_TYPE_NAMES } from '../lib/catalog';
import { InputError } from '../lib/errors';
import { ORIGIN_CONNECTION_DEFAULTS } from '../lib/distribution/model';
import type { FaultMode } from '../lib/faults/scenarios';
import { HANDSHAKE_RTTS, rttMs, validateNetworkProfile } from '../lib/network';
import { DEFAULT_ERROR_CACHING_MIN_TTL } from '../lib/semantics/ttl';
import { PRICE_REGION_GROUPS } from '../lib/semantics/pricing';
import { createCache, type Cache, type PolicyName } from './caches';
import { histBucketCentiMs, HIST_BUCKETS, hopTable, jitterTable, type HopTable } from './latency';
import type { SimOrigin } from './plan-model';
import { REGIONS, type OriginOutage, type WorkloadProfile } from './profile';
import { Rng } from './rng';
import { EVENT_INVALIDATE, EVENT_UPDATE, type EventLog, type RequestBatches, type RequestLog } from './workload/arrivals';
import type { KeySpace } from './workload/build';
import { PRICE_GROUP_INDEX, type Topology } from './workload/topology';
import { routeOrigins } from './origin-routing';

/** What the engine needs besides the requests: the key space, where viewers are, the origins. */
export interface EngineInput {
  readonly keys: KeySpace;
  readonly topology: Topology;
  readonly origins: readonly SimOrigin[];
  readonly profile: WorkloadProfile;
  readonly assets: number;
  readonly invalidStart: Int32Array;
  readonly invalidKeys: Int32Array;
  /** How long an origin 5xx is cached per key (ErrorCachingMinTTL, spec §3.3), seconds. @default 10 */
  readonly errorCachingMinTtl?: number;
}

export type HitLevel = 'cloudfront' | 'edge';

/**
 * Warm (prefill) requests, sorted by time: at `time[i]` key `key[i]` is requested at edge location
 * `edge[i]` exactly as a viewer request would be — edge, then its region's regional edge cache, then
 * Origin Shield, then the origin, filling every tier above the one that answered (an expired copy is
 * revalidated). Warming an object on several edges is one entry per edge; every cache-key variant
 * (Accept-Encoding) is a key of its own.
 */
export interface WarmLog {
  readonly length: number;
  readonly time: Float64Array;
  readonly key: Int32Array;
  /** Edge index into Topology.edges. */
  readonly edge: Uint8Array;
}

export const NO_WARMING: WarmLog = { length: 0, time: new Float64Array(0), key: new Int32Array(0), edge: new Uint8Array(0) };

/**
 * Checks a warm log against the key space and the edges: times sorted and finite, keys and edges in
 * range. @throws InputError naming the first bad entries.
 */
export function validateWarmLog(log: WarmLog, keyCount: number, edgeCount: number): void {
  const problems: string[] = [];
  if (log.time.length < log.length || log.key.length < log.length || log.edge.length < log.length) {
    problems.push(`the warm log says it has ${log.length} entries but its arrays hold ${Math.min(log.time.length, log.key.length, log.edge.length)}.`);
  } else {
    for (let i = 0; i < log.length && problems.length < 5; i++) {
      const t = log.time[i]!;
      if (!Number.isFinite(t)) problems.push(`warm entry ${i}: the time must be a finite number of seconds, got ${t}.`);
      else if (i > 0 && t < log.time[i - 1]!) problems.push(`warm entry ${i}: times must be sorted, got ${t} after ${log.time[i - 1]}.`);
      if (!(log.key[i]! >= 0 && log.key[i]! < keyCount)) problems.push(`warm entry ${i}: key ${log.key[i]} is not one of the ${keyCount} keys of the workload.`);
      if (!(log.edge[i]! < edgeCount)) problems.push(`warm entry ${i}: edge ${log.edge[i]} is not one of the ${edgeCount} simulated edge locations.`);
    }
  }
  if (problems.length > 0) throw new InputError(problems);
}

export interface TierCapacities {
  /** Bytes per edge location. */
  readonly edge: number;
  /** Bytes per regional edge cache. */
  readonly rec: number;
  /** Bytes per Origin Shield. */
  readonly shield: number;
}

export interface EngineOptions {
  readonly policy: PolicyName;
  /** Full-scale capacities; multiplied by `capacityScale`. */
  readonly capacity: TierCapacities;
  readonly capacityScale: number;
  /**
   * Which hits count in `hitRatio`: 'cloudfront' (served without the origin sending a body: edge,
   * REC or Origin Shield hit, or a 304 revalidation), or 'edge' (served by the viewer's edge location).
   */
  readonly hitLevel: HitLevel;
  /** Count RefreshHit (expired copy revalidated with a 304) as a hit. @default true */
  readonly refreshHitIsHit: boolean;
  /** Statistics cover [measureFrom, measureTo) seconds; earlier requests warm the caches. */
  readonly measureFrom: number;
  readonly measureTo: number;
  readonly seed: number;
  /** Width of the bandwidth time series, seconds. @default 300 */
  readonly bucketSeconds?: number;
  /** Warm (prefill) requests, counted in `EngineStats.warm` only. @default none */
  readonly warm?: WarmLog;
  /**
   * A fault window [from, to): the viewer figures are also kept per phase (before, during, after;
   * `EngineStats.phases`). @default none
   */
  readonly phases?: { readonly from: number; readonly to: number };
  /** Per-request outcomes of the measured requests, for the simulated access logs (simulator/logs). @default none */
  readonly record?: OutcomeRecord;
}

/** How CloudFront would log a request (x-edge-result-type); 0 for a request outside the measured window. */
export const OUTCOME_NONE = 0, OUTCOME_HIT = 1, OUTCOME_REFRESH_HIT = 2, OUTCOME_MISS = 3, OUTCOME_ERROR = 4;

/**
 * Outcome of every request, indexed like the RequestLog: the result type (OUTCOME_*) and the time to
 * first byte at the viewer, ms. Arrays as long as the requests; the engine fills the measured ones.
 */
export interface OutcomeRecord {
  readonly result: Uint8Array;
  readonly ttfbMs: Float64Array;
}

/** An empty record for `requests` requests. */
export function outcomeRecord(requests: number): OutcomeRecord {
  return { result: new Uint8Array(requests), ttfbMs: new Float64Array(requests) };
}

/**
 * What the warm requests did, weighted to full scale like the viewer figures (each key's weight), and
 * counted whenever they happen (the measurement window does not apply: warming precedes it).
 */
export interface WarmStats {
  /** Requests sent to edge locations (billed as requests). */
  requests: number;
  /** Already fresh at the edge / served by the REC / by Origin Shield: nothing pulled from the origin. */
  edgeHits: number;
  recHits: number;
  shieldHits: number;
  /** The origin answered 304 to a revalidation / sent a body. */
  origin304: number;
  originFetches: number;
  originBytes: number;
  /** Billed Origin Shield requests (from a REC in another region, or proxied). */
  shieldRequests: number;
  /** Unweighted warm entries simulated. */
  simulated: number;
}

const T = CONTENT_TYPE_NAMES.length;
/** Player roles with a TTFB histogram of their own (EngineStats.videoTtfbByRegion). */
export const VIDEO_ROLES = 3;

/** Fields of EngineStats.phases. */
export const PH_REQUESTS = 0, PH_ERRORS = 1, PH_CACHING = 2, PH_CACHING_ERRORS = 3, PH_ORIGIN_REQUESTS = 4, PHASE_FIELDS = 5;
const G = PRICE_REGION_GROUPS.length;

/** Raw, weighted (full-scale) statistics of one run. */
export class EngineStats {
  /** Requests by type (all methods). */
  readonly requests = new Float64Array(T);
  /** GET/HEAD requests by type: CloudFront's CacheHitRate denominator (spec §12), never-cached routes included. */
  readonly cacheable = new Float64Array(T);
  /** GET/HEAD requests on behaviors that cache: the per-type hit ratio's denominator. */
  readonly caching = new Float64Array(T);
  readonly cachingBytes = new Float64Array(T);
  /** Hits by type at the configured level. */
  readonly hits = new Float64Array(T);
  readonly edgeHits = new Float64Array(T);
  readonly edgeRefreshHits = new Float64Array(T);
  /** Served by the regional edge cache / Origin Shield (body from that tier). */
  readonly recHits = new Float64Array(T);
  readonly shieldHits = new Float64Array(T);
  /** Origin answered 304 to a revalidation / sent a body. */
  readonly origin304 = new Float64Array(T);
  readonly originFetches = new Float64Array(T);
  /** Bytes to viewers (all requests / hits). */
  readonly bytes = new Float64Array(T);
  readonly hitBytes = new Float64Array(T);
  /** Bytes origins sent to CloudFront. */
  readonly originBytes = new Float64Array(T);
  /** Requests served a version older than the origin's current one. */
  readonly staleServed = new Float64Array(T);
  /** Expired copies served within stale-while-revalidate (revalidated in the background). */
  readonly staleWhileRevalidateHits = new Float64Array(T);
  /** Stale copies served within stale-if-error because the origin failed. */
  readonly staleIfErrorServed = new Float64Array(T);
  /** Requests answered with an error: the origin failed and no stale copy could stand in. */
  readonly originErrors = new Float64Array(T);
  /** Of those, GET/HEAD requests on behaviors that cache (the `cacheable` availability scope). */
  readonly cachingErrors = new Float64Array(T);
  /** Errors answered from a cached origin error without asking the origin (ErrorCachingMinTTL, spec §3.3). */
  readonly errorCacheHits = new Float64Array(T);
  /** Origin requests that failed (refused, timed out, 5xx), failed-over ones included. */
  readonly originFailures = new Float64Array(T);
  /** Requests an origin group's secondary answered after the primary failed (spec §9.2). */
  readonly failovers = new Float64Array(T);
  /**
   * Viewer figures per phase of `EngineOptions.phases` (0 before, 1 during, 2 after):
   * [phase * PHASE_FIELDS + field], fields PH_REQUESTS, PH_ERRORS, PH_CACHING, PH_CACHING_ERRORS, PH_ORIGIN_REQUESTS.
   */
  readonly phases = new Float64Array(3 * PHASE_FIELDS);
  /** TTFB histograms per phase: [phase * HIST_BUCKETS + bucket]. */
  readonly ttfbByPhase = new Float64Array(3 * HIST_BUCKETS);
  readonly requestsByGroup = new Float64Array(G);
  readonly bytesByGroup = new Float64Array(G);
  /** TTFB and total-time histograms, type-major: [t * HIST_BUCKETS + bucket]. */
  readonly ttfb = new Float64Array(T * HIST_BUCKETS);
  /** TTFB histograms by the viewers' own region, then type: [(region * T + t) * HIST_BUCKETS + bucket] (REGIONS order). */
  readonly ttfbByRegion = new Float64Array(REGIONS.length * T * HIST_BUCKETS);
  /** Cacheable requests on caching behaviors and their hits, by viewer region then type: [region * T + t]. */
  readonly cachingByRegion = new Float64Array(REGIONS.length * T);
  readonly hitsByRegion = new Float64Array(REGIONS.length * T);
  /**
   * TTFB histograms of video requests by viewer region and player role (KeySpace.videoRole 1–3:
   * manifest, first segment, later segment): [(region * VIDEO_ROLES + role − 1) * HIST_BUCKETS + bucket].
   */
  readonly videoTtfbByRegion = new Float64Array(REGIONS.length * VIDEO_ROLES * HIST_BUCKETS);
  readonly total = new Float64Array(T * HIST_BUCKETS);
  originShieldIncremental = 0;
  functionInvocations = 0;
  invalidations = 0;
  updates = 0;
  /** Unweighted count of simulated requests (warm-up included). */
  simulated = 0;
  readonly evictions = { edge: 0, rec: 0, shield: 0 };
  readonly warm: WarmStats = { requests: 0, edgeHits: 0, recHits: 0, shieldHits: 0, origin304: 0, originFetches: 0, originBytes: 0, shieldRequests: 0, simulated: 0 };
  readonly edgeBytesSeries: Float64Array;
  readonly originBytesSeries: Float64Array;
  readonly requestSeries: Float64Array;
  /** Requests answered with an error, per bucket (availability over time). */
  readonly errorSeries: Float64Array;

  constructor(readonly bucketSeconds: number, readonly measuredSeconds: number) {
    const n = Math.max(1, Math.ceil(measuredSeconds / bucketSeconds));
    this.edgeBytesSeries = new Float64Array(n);
    this.originBytesSeries = new Float64Array(n);
    this.requestSeries = new Float64Array(n);
    this.errorSeries = new Float64Array(n);
  }
}

export interface Tiers {
  readonly edges: readonly Cache[];
  readonly recs: readonly Cache[];
  readonly shields: readonly Cache[];
}

/**
 * Key spaces up to this many keys (a shard's at --scale 1 with 8 shards: about 2.4 M) index each cache
 * by key id directly (caches/direct-index.ts: one array read per lookup instead of a hash probe over two
 * arrays; 4 bytes per key per cache, at most 16 MiB each); larger ones hash (memory as the entries held).
 */
export const DENSE_INDEX_MAX_KEYS = 1 << 22;

/**
 * Builds the caches: one per edge, one per regional edge cache the edges use (HopTable.recs), one per
 * Origin Shield Region. A REC in a shield's Region is that shield: requests from its edges for the
 * shield's origins use the shield's cache as their REC (runEngine).
 */
export function buildTiers(input: EngineInput, opts: EngineOptions, hops: HopTable): Tiers {
  const cap = (bytes: number) => Math.max(1, bytes * opts.capacityScale);
  const guess = (bytes: number) => Math.min(1 << 16, Math.max(1024, Math.ceil(cap(bytes) / 200_000)));
  const index = input.keys.count <= DENSE_INDEX_MAX_KEYS ? { denseKeys: input.keys.count } : {};
  return {
    edges: input.topology.edges.map(() => createCache(opts.policy, cap(opts.capacity.edge), guess(opts.capacity.edge), index)),
    recs: hops.recs.map(() => createCache(opts.policy, cap(opts.capacity.rec), guess(opts.capacity.rec), index)),
    shields: hops.shields.map(() => createCache(opts.policy, cap(opts.capacity.shield), guess(opts.capacity.shield), index)),
  };
}

/**
 * Runs the requests and events through the tiers. `requests` is one log or a stream of batches
 * (workload/arrivals requestStream: generated as they are simulated, so memory does not grow with
 * the day's requests; the same requests give the same statistics either way). `onProgress(done)` is
 * called every 2^20 requests.
 */
export function runEngine(input: EngineInput, requests: RequestLog | RequestBatches, events: EventLog, opts: EngineOptions, onProgress?: (done: number) => void): EngineStats {
  // Regional copies of an origin serve the viewers nearest them (lib/routing, as the viewer-request functions do).
  const routed = routeOrigins(input.origins, input.topology.viewers.map((v) => v.country));
  const hops = hopTable(input.profile, routed.origins, input.topology.edges);
  const tiers = buildTiers(input, opts, hops);
  const bucketSeconds = opts.bucketSeconds ?? 300;
  const stats = new EngineStats(bucketSeconds, opts.measureTo - opts.measureFrom);
  const k = input.keys;
  const { originSize, ttl, asset, weight, functions } = k;
  // Per-key facts packed so one request touches few cache lines: f64 [size, ttl, weight, originSize,
  // stale-while-revalidate, stale-if-error] and i32 [asset, flags] with flags = type | origin << 4 |
  // cacheable method << 12 | revalidates << 13 | video role << 14 | functions << 16.
  const nk = k.count;
  const kf = new Float64Array(nk * KF);
  const ki = new Int32Array(nk * 2);
  const swrOf = k.staleWhileRevalidate, sieOf = k.staleIfError, roleOf = k.videoRole;
  for (let j = 0; j < nk; j++) {
    kf[KF * j] = k.size[j]!; kf[KF * j + 1] = ttl[j]!; kf[KF * j + 2] = weight[j]!; kf[KF * j + 3] = originSize[j]!;
    kf[KF * j + 4] = swrOf !== undefined ? swrOf[j]! : 0; kf[KF * j + 5] = sieOf !== undefined ? sieOf[j]! : 0;
    ki[2 * j] = asset[j]!;
    ki[2 * j + 1] = k.type[j]! | (k.origin[j]! << 4) | (k.cacheableMethod[j]! << 12) | (k.revalidates[j]! << 13) | ((roleOf !== undefined ? roleOf[j]! & 3 : 0) << 14) | (functions[j]! << 16);
  }
  const assetVersion = new Int32Array(input.assets);
  const faults = faultTable(input.profile.originOutages ?? [], routed.origins);
  const { from: outFrom, to: outTo, mode: outMode, mask: outMask } = faults;
  const nOut = outFrom.length;
  const OA = routed.origins.length;
  const { failoverOf, failoverOn503 } = routed;
  // the errors cached per key at the origin-facing tier (Origin Shield, else the REC): until when
  const errUntil = new Float64Array(nk).fill(-Infinity);
  const errTtl = input.errorCachingMinTtl ?? DEFAULT_ERROR_CACHING_MIN_TTL;
  const rng = new Rng(opts.seed, 23);
  const net = input.profile.network;
  validateNetworkProfile(net);
  const jitLast = jitterTable(net.lastMileSigma);
  const jit = jitterTable(net.backboneSigma);
  const jitOrigin = jitterTable(net.originSigma);
  // the first request of a viewer connection pays its handshakes (lib/network.ts): a uniform 32-bit
  // draw below newConn opens a connection, below newQuic over QUIC (1 RTT) else TCP + TLS 1.3 (2 RTT)
  const newConn = Math.floor(4294967296 / net.requestsPerConnection);
  const newQuic = Math.floor(newConn * net.http3Share);
  const viewers = input.topology.viewers;
  const viewerRtt = Float64Array.from(viewers, (v) => v.rttMs);
  const viewerMbps = Float64Array.from(viewers, (v) => v.throughputMbps);
  const viewerGroup = Uint8Array.from(viewers, (v) => PRICE_GROUP_INDEX[v.billedGroup]);
  const viewerRegion = Uint8Array.from(viewers, (v) => REGIONS.indexOf(v.region));
  const edgeRecIndex = hops.edgeRecIndex;
  const shieldOfOrigin = Int32Array.from(routed.origins, (o) => (o.shieldAwsRegion === undefined ? -1 : hops.shields.indexOf(o.shieldAwsRegion)));
  const originRoute = routed.route;
  const KO = routed.keyOrigins;
  const S = hops.shields.length;
  const O = routed.origins.length;
  const proc = hops.processing;
  const { edgeRec, recShield, shieldOrigin, recOrigin, originFirstByte, colocated } = hops;
  const { tcpTls13: HS_TCP, quic: HS_QUIC } = HANDSHAKE_RTTS;
  const conn = failureTimes(routed.origins);
  const fo = failoverPaths(routed.origins, failoverOf, hops, input.profile);
  const phaseFrom = opts.phases?.from ?? Infinity, phaseTo = opts.phases?.to ?? Infinity;
  const cloudfrontLevel = opts.hitLevel === 'cloudfront';
  const refreshIsHit = opts.refreshHitIsHit;
  const { edges, recs, shields } = tiers;
  const { measureFrom, measureTo } = opts;
  const batches: RequestBatches = 'next' in requests ? requests : oneBatch(requests);
  const { time: evTime, asset: evAsset, kind: evKind } = events;
  const nEv = events.length;
  const { invalidStart, invalidKeys } = input;
  const {
    requests: sRequests, cacheable: sCacheable, hits: sHits, edgeHits: sEdgeHits, edgeRefreshHits: sEdgeRefresh, recHits: sRecHits,
    shieldHits: sShieldHits, origin304: sOrigin304, originFetches: sOriginFetches, bytes: sBytes, caching: sCaching, cachingBytes: sCachingBytes,
    hitBytes: sHitBytes, originBytes: sOriginBytes, staleServed: sStale, requestsByGroup: sReqGroup, bytesByGroup: sBytesGroup,
    staleWhileRevalidateHits: sSwr, staleIfErrorServed: sSie, originErrors: sErrors, cachingErrors: sCachingErrors, errorCacheHits: sErrorCacheHits,
    originFailures: sOriginFailures, failovers: sFailovers, phases: sPhases, ttfbByPhase: sTtfbPhase, errorSeries,
    ttfb: sTtfb, ttfbByRegion: sTtfbRegion, videoTtfbByRegion: sVideoTtfb, cachingByRegion: sCachingRegion, hitsByRegion: sHitsRegion, total: sTotal, edgeBytesSeries, originBytesSeries, requestSeries,
  } = stats;
  let shieldIncremental = 0, fnInvocations = 0, simulated = 0, nUpdates = 0, nInvalidations = 0;
  let ev = 0;
  const warm = opts.warm ?? NO_WARMING;
  if (warm.length > 0) validateWarmLog(warm, nk, edges.length);
  const { time: wTime, key: wKey, edge: wEdge } = warm;
  const nWarm = warm.length;
  let wi = 0;
  // warm counters in a typed array (no boxed doubles): see WARM_* indexes
  const wc = new Float64Array(WARM_COUNTERS);
  const rec = opts.record;
  // index of the batch's first request in the whole day (the outcome record's index)
  let base = 0;
  for (let batch = batches.next(); batch !== undefined; base += batch.length, batch = batches.next()) {
    const { time, key: reqKey, viewer: reqViewer, edge: reqEdge } = batch;
    const nReq = batch.length;
    if (rec !== undefined && (rec.result.length < base + nReq || rec.ttfbMs.length < base + nReq)) throw new RangeError(`outcome record holds ${rec.result.length} requests, the log more`);
    for (let i = 0; i < nReq; i++) {
      const t = time[i]!;
      // events and warm requests due before this request, in time order (an event first on a tie:
      // warming right after an invalidation refills what it removed)
      for (;;) {
        const te = ev < nEv ? evTime[ev]! : Infinity;
        const tw = wi < nWarm ? wTime[wi]! : Infinity;
        if (te <= t && te <= tw) {
          const a = evAsset[ev]!;
          if (evKind[ev] === EVENT_UPDATE) { assetVersion[a] = assetVersion[a]! + 1; nUpdates++; }
          else if (evKind[ev] === EVENT_INVALIDATE) {
            nInvalidations++;
            for (let j = invalidStart[a]!; j < invalidStart[a + 1]!; j++) {
              const key = invalidKeys[j]!;
              for (let c = 0; c < edges.length; c++) edges[c]!.remove(key);
              for (let c = 0; c < recs.length; c++) recs[c]!.remove(key);
              for (let c = 0; c < shields.length; c++) shields[c]!.remove(key);
            }
          }
          ev++;
        } else if (tw <= t) {
          warmOne(wKey[wi]!, wEdge[wi]!, tw);
          wi++;
        } else break;
      }
      if (onProgress !== undefined && ((base + i) & 0xfffff) === 0 && base + i > 0) onProgress(base + i);

      const kk = reqKey[i]!;
      const v = reqViewer[i]!;
      const e = reqEdge[i]!;
      const r = edgeRecIndex[e]!;
      const sz = kf[KF * kk]!;
      const ttlK = kf[KF * kk + 1]!;
      const flags = ki[2 * kk + 1]!;
      const oi = originRoute[v * KO + ((flags >>> 4) & 0xff)]!;
      const sIdx = shieldOfOrigin[oi]!;
      const ver = assetVersion[ki[2 * kk]!]!;
      // a failing origin (lib/faults): its group's secondary stands in for GET/HEAD/OPTIONS when it is up
      // and the failure is one the group fails over on (spec §9.2); an origin error cached for the key
      // answers without asking the origin (spec §3.3)
      const fault = nOut > 0 ? faultOf(oi, t) : 0;
      let fIdx = -1;
      if (fault !== 0 && (flags & (1 << 12)) !== 0) {
        const f = failoverOf[oi]!;
        if (f >= 0 && (fault !== F_HTTP5XX || failoverOn503[oi] === 1) && faultOf(f, t) === 0) fIdx = f;
      }
      const errHit = ttlK >= 0 && t < errUntil[kk]!;
      const down = (fault !== 0 && fIdx < 0) || errHit;
      const u = rng.nextUint32();
      let ttfb = viewerRtt[v]! * jitLast[rng.top12()]! * (u >= newConn ? 1 : u < newQuic ? 1 + HS_QUIC : 1 + HS_TCP) + proc;

      // outcome: tier that answered (0 edge, 1 REC, 2 shield, 3 origin; in the background after a
      // stale-while-revalidate hit) and the tier the viewer's body came from
      let found = 3;
      let served = 3;
      let res = 0;
      let stale = false;
      let edgeRefresh = false;
      let origin304 = false;
      let shieldBilled = false;
      if (ttlK < 0) {
        if (down) res = R_FAILED | R_ERROR;
        // never cached: edge → (Origin Shield) → origin, bypassing the REC
        if (sIdx >= 0) {
          const toOrigin = shieldOrigin[sIdx * O + oi]!;
          ttfb += (edgeRec[e]! + recShield[r * S + sIdx]! + (fault === 0 ? toOrigin : 0)) * jit[rng.top12()]! + 2 * proc;
          if (fault !== 0) ttfb += failedAttemptMs(fault, oi, toOrigin) + (fIdx >= 0 ? fo.fromShield[sIdx * OA + oi]! * jit[rng.top12()]! : 0);
          shieldBilled = true;
        } else {
          const toOrigin = recOrigin[r * O + oi]!;
          ttfb += (edgeRec[e]! + (fault === 0 ? toOrigin : 0)) * jit[rng.top12()]! + proc;
          if (fault !== 0) ttfb += failedAttemptMs(fault, oi, toOrigin) + (fIdx >= 0 ? fo.fromRec[r * OA + oi]! * jit[rng.top12()]! : 0);
        }
        if (fault === 0) ttfb += originFirstByte[oi]! * jitOrigin[rng.top12()]!;
      } else {
        // the REC in the shield's Region is the shield: its cache, no hop between them
        // (a hit there counts as a REC hit: CloudFront logs it `Hit`, not `OriginShieldHit`, spec §9.4)
        const co = sIdx >= 0 && colocated[r * S + sIdx] === 1;
        const c1 = co ? shields[sIdx]! : recs[r]!;
        const c2 = sIdx >= 0 && !co ? shields[sIdx]! : null;
        res = fetchThroughTiers(edges[e]!, c1, c2, kk, t, ttlK, kf[KF * kk + 4]!, kf[KF * kk + 5]!, sz, (flags & (1 << 13)) !== 0, ver, down);
        found = res & 3;
        served = (res >>> 8) & 3;
        origin304 = (res & R_ORIGIN_304) !== 0;
        edgeRefresh = (res & R_EDGE_REFRESH) !== 0;
        stale = (res & R_STALE) !== 0;
        if (found > 1 && c2 !== null) shieldBilled = true;
        // latency of the hops on the viewer's path, drawn in their order: up to the tier that served,
        // or to the origin when it was tried and failed (stale-if-error: synchronous attempt, then fall
        // back), or to the origin-facing tier when it held a cached error
        const failed = (res & (R_SIE | R_ERROR)) !== 0;
        const lat = failed && errHit ? (c2 !== null ? 2 : 1) : failed ? 3 : served;
        // a failed or failed-over attempt costs its timeouts instead of the origin's first byte
        const faulted = fault !== 0 && !errHit && (res & 3) === 3;
        if (lat > 0) {
          ttfb += edgeRec[e]! * jit[rng.top12()]! + proc;
          if (lat > 1) {
            if (c2 !== null) {
              ttfb += recShield[r * S + sIdx]! * jit[rng.top12()]! + proc;
              if (lat > 2) {
                if (!faulted) ttfb += shieldOrigin[sIdx * O + oi]! * jit[rng.top12()]! + originFirstByte[oi]! * jitOrigin[rng.top12()]!;
                else ttfb += failedAttemptMs(fault, oi, shieldOrigin[sIdx * O + oi]!) + (fIdx >= 0 ? fo.fromShield[sIdx * OA + oi]! * jit[rng.top12()]! : 0);
              }
            } else if (!faulted) {
              // no shield, or the REC is the shield: REC → origin
              ttfb += recOrigin[r * O + oi]! * jit[rng.top12()]! + originFirstByte[oi]! * jitOrigin[rng.top12()]!;
            } else {
              ttfb += failedAttemptMs(fault, oi, recOrigin[r * O + oi]!) + (fIdx >= 0 ? fo.fromRec[r * OA + oi]! * jit[rng.top12()]! : 0);
            }
          }
        }
        // the origin's 5xx (or no answer) is cached for the key: the next requests get it without asking (spec §3.3, §2.4)
        if (faulted && (res & R_FAILED) !== 0) errUntil[kk] = t + errTtl;
      }

      simulated++;
      if (t < measureFrom || t >= measureTo) continue;
      // whether the origin was asked at all (a request, failed or not), and whether a group's secondary answered
      const asked = ttlK < 0 || ((res & 3) === 3 && !errHit);

      // statistics, weighted to full scale
      const w = kf[KF * kk + 2]!;
      const ty = flags & 0xf;
      const wsz = w * sz;
      sRequests[ty] = sRequests[ty]! + w;
      sBytes[ty] = sBytes[ty]! + wsz;
      const g = viewerGroup[v]!;
      sReqGroup[g] = sReqGroup[g]! + w;
      sBytesGroup[g] = sBytesGroup[g]! + wsz;
      fnInvocations += w * (flags >>> 16);
      if (shieldBilled) shieldIncremental += w;
      const bucket = Math.floor((t - measureFrom) / bucketSeconds);
      edgeBytesSeries[bucket] = edgeBytesSeries[bucket]! + wsz;
      requestSeries[bucket] = requestSeries[bucket]! + w;
      if (found === 3 && !origin304 && (res & R_FAILED) === 0) {
        const ob = w * kf[KF * kk + 3]!;
        sOriginFetches[ty] = sOriginFetches[ty]! + w;
        sOriginBytes[ty] = sOriginBytes[ty]! + ob;
        originBytesSeries[bucket] = originBytesSeries[bucket]! + ob;
      }
      if (origin304) sOrigin304[ty] = sOrigin304[ty]! + w;
      if (served === 1) sRecHits[ty] = sRecHits[ty]! + w;
      else if (served === 2) sShieldHits[ty] = sShieldHits[ty]! + w;
      if (stale) sStale[ty] = sStale[ty]! + w;
      if ((res & R_SWR) !== 0) sSwr[ty] = sSwr[ty]! + w;
      if ((res & R_SIE) !== 0) sSie[ty] = sSie[ty]! + w;
      const isError = (res & R_ERROR) !== 0;
      if (isError) { sErrors[ty] = sErrors[ty]! + w; errorSeries[bucket] = errorSeries[bucket]! + w; }
      if (isError && errHit) sErrorCacheHits[ty] = sErrorCacheHits[ty]! + w;
      if (asked && fault !== 0) sOriginFailures[ty] = sOriginFailures[ty]! + w;
      if (asked && fIdx >= 0) sFailovers[ty] = sFailovers[ty]! + w;
      const cachingReq = (flags & (1 << 12)) !== 0 && ttlK >= 0;
      if (isError && cachingReq) sCachingErrors[ty] = sCachingErrors[ty]! + w;
      if (t >= phaseFrom) {
        const ph = (t < phaseTo ? 1 : 2) * PHASE_FIELDS;
        sPhases[ph + PH_REQUESTS] = sPhases[ph + PH_REQUESTS]! + w;
        if (isError) sPhases[ph + PH_ERRORS] = sPhases[ph + PH_ERRORS]! + w;
        if (cachingReq) sPhases[ph + PH_CACHING] = sPhases[ph + PH_CACHING]! + w;
        if (cachingReq && isError) sPhases[ph + PH_CACHING_ERRORS] = sPhases[ph + PH_CACHING_ERRORS]! + w;
        if (asked) sPhases[ph + PH_ORIGIN_REQUESTS] = sPhases[ph + PH_ORIGIN_REQUESTS]! + w * (fIdx >= 0 ? 2 : 1);
      } else if (phaseFrom !== Infinity) {
        sPhases[PH_REQUESTS] = sPhases[PH_REQUESTS]! + w;
        if (isError) sPhases[PH_ERRORS] = sPhases[PH_ERRORS]! + w;
        if (cachingReq) sPhases[PH_CACHING] = sPhases[PH_CACHING]! + w;
        if (cachingReq && isError) sPhases[PH_CACHING_ERRORS] = sPhases[PH_CACHING_ERRORS]! + w;
        if (asked) sPhases[PH_ORIGIN_REQUESTS] = sPhases[PH_ORIGIN_REQUESTS]! + w;
      }
      if ((flags & (1 << 12)) !== 0) {
        sCacheable[ty] = sCacheable[ty]! + w;
        const rt = viewerRegion[v]! * T + ty;
        if (ttlK >= 0) {
          sCaching[ty] = sCaching[ty]! + w;
          sCachingRegion[rt] = sCachingRegion[rt]! + w;
          sCachingBytes[ty] = sCachingBytes[ty]! + wsz;
        }
        if (served === 0) sEdgeHits[ty] = sEdgeHits[ty]! + w;
        if (edgeRefresh) sEdgeRefresh[ty] = sEdgeRefresh[ty]! + w;
        const hit = cloudfrontLevel
          ? served < 3 || (origin304 && refreshIsHit)
          : served === 0 || (edgeRefresh && refreshIsHit);
        if (hit) { sHits[ty] = sHits[ty]! + w; sHitBytes[ty] = sHitBytes[ty]! + wsz; sHitsRegion[rt] = sHitsRegion[rt]! + w; }
      }
      if (rec !== undefined) {
        // as CloudFront logs it (spec §11), with the 'cloudfront' hit level's rule: a body from the edge,
        // the REC or the shield is a Hit (a RefreshHit when the edge's copy was revalidated), a 304 from
        // the origin a RefreshHit, the origin's body a Miss, a failed answer an Error
        rec.result[base + i] = isError ? OUTCOME_ERROR
          : served < 3 || origin304 ? (edgeRefresh || origin304 ? OUTCOME_REFRESH_HIT : OUTCOME_HIT)
            : OUTCOME_MISS;
        rec.ttfbMs[base + i] = ttfb;
      }
      {
        const b = histBucketCentiMs((ttfb * 100) | 0);
        const hb = ty * HIST_BUCKETS + b;
        sTtfb[hb] = sTtfb[hb]! + w;
        const rb = (viewerRegion[v]! * T + ty) * HIST_BUCKETS + b;
        sTtfbRegion[rb] = sTtfbRegion[rb]! + w;
        const role = (flags >>> 14) & 3;
        if (role !== 0) {
          const vb = (viewerRegion[v]! * VIDEO_ROLES + role - 1) * HIST_BUCKETS + b;
          sVideoTtfb[vb] = sVideoTtfb[vb]! + w;
        }
        if (phaseFrom !== Infinity) {
          const pb = (t < phaseFrom ? 0 : t < phaseTo ? 1 : 2) * HIST_BUCKETS + b;
          sTtfbPhase[pb] = sTtfbPhase[pb]! + w;
        }
      }
      { const hb = ty * HIST_BUCKETS + histBucketCentiMs(Math.min(1e9, (ttfb + (sz * 8) / (viewerMbps[v]! * 1000)) * 100) | 0); sTotal[hb] = sTotal[hb]! + w; }
    }
  }
  stats.originShieldIncremental = shieldIncremental;
  stats.functionInvocations = fnInvocations;
  stats.simulated = simulated;
  stats.updates = nUpdates;
  stats.invalidations = nInvalidations;
  for (const c of edges) stats.evictions.edge += c.evictions;
  for (const c of recs) stats.evictions.rec += c.evictions;
  for (const c of shields) stats.evictions.shield += c.evictions;
  const ws = stats.warm;
  ws.requests = wc[W_REQUESTS]!; ws.edgeHits = wc[W_EDGE]!; ws.recHits = wc[W_REC]!; ws.shieldHits = wc[W_SHIELD]!; ws.origin304 = wc[W_304]!;
  ws.originFetches = wc[W_FETCHES]!; ws.originBytes = wc[W_BYTES]!; ws.shieldRequests = wc[W_SHIELD_REQUESTS]!; ws.simulated = wi;
  return stats;

  /** The failure mode (F_*) of routed origin `o` at time `t`, 0 when it answers. */
  function faultOf(o: number, t: number): number {
    for (let q = 0; q < nOut; q++) if (t >= outFrom[q]! && t < outTo[q]! && outMask[q * OA + o] === 1) return outMode[q]!;
    return 0;
  }

  /**
   * What a failed attempt at origin `o` costs the viewer, ms, given the round trip to it (spec §9.1):
   * refused: a round trip per connection attempt; timeout: attempts × connection timeout; slow:
   * attempts × response timeout (GET/HEAD are retried); 5xx: the round trip and the origin's first byte.
   */
  function failedAttemptMs(mode: number, o: number, rtt: number): number {
    if (mode === F_REFUSED) return conn.attempts[o]! * rtt;
    if (mode === F_TIMEOUT) return conn.attempts[o]! * conn.connectMs[o]!;
    if (mode === F_SLOW) return conn.attempts[o]! * conn.readMs[o]!;
    return rtt + originFirstByte[o]!;
  }

  /** One warm request: the viewer path without latency draws (the rng sequence of viewers is unchanged). */
  function warmOne(kk: number, e: number, t: number): void {
    const flags = ki[2 * kk + 1]!;
    const oi = (flags >>> 4) & 0xff;
    const sIdx = shieldOfOrigin[oi]!;
    const r = edgeRecIndex[e]!;
    const w = kf[KF * kk + 2]!;
    const ttlK = kf[KF * kk + 1]!;
    const wf = nOut > 0 ? faultOf(oi, t) : 0;
    const wfo = wf !== 0 ? failoverOf[oi]! : -1;
    const down = wf !== 0 && !(wfo >= 0 && (wf !== F_HTTP5XX || failoverOn503[oi] === 1) && faultOf(wfo, t) === 0);
    let found = 3;
    let revalidated = false;
    if (ttlK < 0) {
      if (sIdx >= 0) wc[W_SHIELD_REQUESTS] = wc[W_SHIELD_REQUESTS]! + w;
    } else {
      const co = sIdx >= 0 && colocated[r * S + sIdx] === 1;
      const c2 = sIdx >= 0 && !co ? shields[sIdx]! : null;
      const res = fetchThroughTiers(edges[e]!, co ? shields[sIdx]! : recs[r]!, c2, kk, t, ttlK, kf[KF * kk + 4]!, kf[KF * kk + 5]!, kf[KF * kk]!, (flags & (1 << 13)) !== 0, assetVersion[ki[2 * kk]!]!, down);
      // a warm request that found the origin failing pulled nothing: a request only
      if ((res & R_FAILED) !== 0) { wc[W_REQUESTS] = wc[W_REQUESTS]! + w; return; }
      found = res & 3;
      revalidated = (res & R_ORIGIN_304) !== 0;
      if (found > 1 && c2 !== null) wc[W_SHIELD_REQUESTS] = wc[W_SHIELD_REQUESTS]! + w;
    }
    wc[W_REQUESTS] = wc[W_REQUESTS]! + w;
    if (found === 0) wc[W_EDGE] = wc[W_EDGE]! + w;
    else if (found === 1) wc[W_REC] = wc[W_REC]! + w;
    else if (found === 2) wc[W_SHIELD] = wc[W_SHIELD]! + w;
    else if (revalidated) wc[W_304] = wc[W_304]! + w;
    else {
      wc[W_FETCHES] = wc[W_FETCHES]! + w;
      wc[W_BYTES] = wc[W_BYTES]! + w * kf[KF * kk + 3]!;
    }
  }
}

/** A request log as a stream of one batch. */
function oneBatch(log: RequestLog): RequestBatches {
  let given = false;
  return {
    get done() { return given ? log.length : 0; },
    next: () => (given ? undefined : ((given = true), log)),
  };
}

/** Float64 facts per key in the packed array: size, ttl, weight, originSize, stale-while-revalidate, stale-if-error. */
const KF = 6;

/** Failure modes in the hot loop (lib/faults FaultMode); 0 = the origin answers. */
const F_REFUSED = 1, F_TIMEOUT = 2, F_SLOW = 3, F_HTTP5XX = 4;
const MODE_CODE: Readonly<Record<FaultMode, number>> = { refused: F_REFUSED, timeout: F_TIMEOUT, slow: F_SLOW, http5xx: F_HTTP5XX };

/**
 * Origin outage windows as flat arrays: from, to, mode, and mask[q * origins + o] = 1 when outage q
 * takes origin o down (every origin when the outage names none).
 * @throws InputError on a bad window, mode or origin id.
 */
function faultTable(list: readonly OriginOutage[], origins: readonly SimOrigin[]): { from: Float64Array; to: Float64Array; mode: Uint8Array; mask: Uint8Array } {
  const problems: string[] = [];
  const ids = new Set(origins.map((o) => o.id));
  list.forEach((o, i) => {
    if (!(Number.isFinite(o.fromSec) && Number.isFinite(o.toSec) && o.toSec > o.fromSec)) problems.push(`originOutages[${i}]: fromSec and toSec must be finite seconds with toSec > fromSec, got ${o.fromSec} and ${o.toSec}.`);
    if (o.mode !== undefined && !(o.mode in MODE_CODE)) problems.push(`originOutages[${i}]: mode must be one of ${Object.keys(MODE_CODE).join(', ')}, got ${String(o.mode)}.`);
    for (const id of o.origins ?? []) if (!ids.has(id)) problems.push(`originOutages[${i}]: origin '${id}' is not an origin of the plan (${[...ids].join(', ')}).`);
  });
  if (problems.length > 0) throw new InputError(problems);
  const O = origins.length;
  const mask = new Uint8Array(Math.max(1, list.length * O));
  list.forEach((f, q) => origins.forEach((o, i) => { mask[q * O + i] = f.origins === undefined || f.origins.includes(o.id) ? 1 : 0; }));
  return {
    from: Float64Array.from(list, (o) => o.fromSec),
    to: Float64Array.from(list, (o) => o.toSec),
    mode: Uint8Array.from(list, (o) => MODE_CODE[o.mode ?? 'http5xx']),
    mask,
  };
}

/** Connection attempts and timeouts (ms) per routed origin (spec §9.1; CloudFront's defaults where unset). */
function failureTimes(origins: readonly SimOrigin[]): { attempts: Float64Array; connectMs: Float64Array; readMs: Float64Array } {
  const c = (o: SimOrigin) => o.connection ?? ORIGIN_CONNECTION_DEFAULTS;
  return {
    attempts: Float64Array.from(origins, (o) => c(o).attempts),
    connectMs: Float64Array.from(origins, (o) => c(o).connectTimeoutSec * 1000),
    readMs: Float64Array.from(origins, (o) => c(o).readTimeoutSec * 1000),
  };
}

/**
 * The failed-over fetch of origin o from the tier that tried it (its Origin Shield, else the REC),
 * ms: through the secondary's own Origin Shield when it has one (spec §9.2), to the secondary and its
 * first byte. fromShield[s * O + o], fromRec[c * O + o]; 0 where o has no secondary. The secondary's
 * shield is not simulated as a cache: every failed-over miss reaches the secondary (conservative).
 */
function failoverPaths(origins: readonly SimOrigin[], failoverOf: Int32Array, hops: HopTable, profile: WorkloadProfile): { fromShield: Float64Array; fromRec: Float64Array } {
  const O = origins.length;
  const fromShield = new Float64Array(Math.max(1, hops.shields.length * O));
  const fromRec = new Float64Array(Math.max(1, hops.recs.length * O));
  const path = (from: string, sec: SimOrigin) => (sec.shieldAwsRegion !== undefined ? rttMs(from, sec.shieldAwsRegion) + rttMs(sec.shieldAwsRegion, sec.awsRegion) : rttMs(from, sec.awsRegion)) + profile.originFirstByteMs[sec.kind];
  origins.forEach((_, o) => {
    const f = failoverOf[o]!;
    if (f < 0) return;
    const sec = origins[f]!;
    hops.shields.forEach((s, si) => { fromShield[si * O + o] = path(s, sec); });
    hops.recs.forEach((c, ci) => { fromRec[ci * O + o] = path(c, sec); });
  });
  return { fromShield, fromRec };
}

const W_REQUESTS = 0, W_EDGE = 1, W_REC = 2, W_SHIELD = 3, W_304 = 4, W_FETCHES = 5, W_BYTES = 6, W_SHIELD_REQUESTS = 7, WARM_COUNTERS = 8;
/**
 * Bits of fetchThroughTiers' result: the tier that answered in bits 0–1, the tier whose copy the viewer
 * got in bits 8–9, and flags.
 */
const R_ORIGIN_304 = 4, R_EDGE_REFRESH = 8, R_STALE = 16, R_SWR = 32, R_SIE = 64, R_FAILED = 128, R_ERROR = 1024;

/**
 * One cacheable request through edge `c0` → REC `c1` → Origin Shield `c2` (or none) → origin: finds the
 * first tier with a fresh copy, then fills or refreshes the tiers above it, deepest first. A tier with
 * an expired copy of the same version gets a 304 and keeps its copy (spec §4.1). Stale windows (spec
 * §2.3), in seconds after expiry: the tier nearest the viewer holding an expired copy within `swr`
 * serves it (the lookup and fills above still happen: the background revalidation); when the origin
 * is needed and `down`, nothing is filled and the nearest copy within `sie` is served, else an error.
 * Returns the tier that answered (bits 0–1: 0 edge, 1 REC, 2 shield, 3 origin) | the tier that served
 * the viewer << 8 | R_ORIGIN_304 when the origin answered a revalidation with 304 | R_EDGE_REFRESH when
 * the edge's own copy was refreshed | R_STALE when the copy served is older than the origin's version
 * | R_SWR, R_SIE, R_FAILED, R_ERROR. Small integers in and out: no allocation.
 */
function fetchThroughTiers(c0: Cache, c1: Cache, c2: Cache | null, kk: number, t: number, ttlK: number, swr: number, sie: number, sz: number, reval: boolean, ver: number, down: boolean): number {
  let found = 3;
  let foundVer = ver;
  let stale0 = -1, stale1 = -1, stale2 = -1;
  let swrTier = -1, swrVer = 0, sieTier = -1, sieVer = 0;
  const s0 = c0.find(kk);
  if (s0 >= 0 && c0.expires[s0]! > t) { found = 0; foundVer = c0.version[s0]!; c0.touch(s0); }
  else {
    if (s0 >= 0) {
      if (reval) stale0 = s0;
      const x = c0.expires[s0]!;
      if (t < x + swr) { swrTier = 0; swrVer = c0.version[s0]!; }
      if (t < x + sie) { sieTier = 0; sieVer = c0.version[s0]!; }
    }
    const s1 = c1.find(kk);
    if (s1 >= 0 && c1.expires[s1]! > t) { found = 1; foundVer = c1.version[s1]!; c1.touch(s1); }
    else {
      if (s1 >= 0) {
        if (reval) stale1 = s1;
        const x = c1.expires[s1]!;
        if (swrTier < 0 && t < x + swr) { swrTier = 1; swrVer = c1.version[s1]!; }
        if (sieTier < 0 && t < x + sie) { sieTier = 1; sieVer = c1.version[s1]!; }
      }
      if (c2 !== null) {
        const s2 = c2.find(kk);
        if (s2 >= 0 && c2.expires[s2]! > t) { found = 2; foundVer = c2.version[s2]!; c2.touch(s2); }
        else if (s2 >= 0) {
          if (reval) stale2 = s2;
          const x = c2.expires[s2]!;
          if (swrTier < 0 && t < x + swr) { swrTier = 2; swrVer = c2.version[s2]!; }
          if (sieTier < 0 && t < x + sie) { sieTier = 2; sieVer = c2.version[s2]!; }
        }
      }
    }
  }
  if (found === 3 && down) {
    // the origin failed: nothing is filled; a stale copy stands in where a window allows
    if (swrTier >= 0) return 3 | (swrTier << 8) | R_SWR | R_FAILED | (swrVer < ver ? R_STALE : 0);
    if (sieTier >= 0) return 3 | (sieTier << 8) | R_SIE | R_FAILED | (sieVer < ver ? R_STALE : 0);
    return 3 | (3 << 8) | R_FAILED | R_ERROR;
  }
  let out = found;
  if (found === 3) {
    const deepest = c2 !== null ? stale2 : stale1;
    const deepestCache = c2 !== null ? c2 : c1;
    if (deepest >= 0 && deepestCache.version[deepest] === foundVer) out |= R_ORIGIN_304;
  }
  if (found > 0) {
    // fill() takes and returns small integers only: no boxed doubles per request
    const expiresAt = t + ttlK;
    const szInt = sz < 1073741824 ? sz | 0 : sz;
    let f: number;
    if (found > 2 && c2 !== null) { f = fill(c2, stale2, kk, szInt, foundVer); if (f >= 0) c2.expires[f >> 1] = expiresAt; }
    if (found > 1) { f = fill(c1, stale1, kk, szInt, foundVer); if (f >= 0) c1.expires[f >> 1] = expiresAt; }
    f = fill(c0, stale0, kk, szInt, foundVer);
    if (f >= 0) c0.expires[f >> 1] = expiresAt;
    if (f >= 0 && (f & 1) === 1) out |= R_EDGE_REFRESH;
  }
  if (swrTier >= 0) {
    // served stale at once; what happened above was the background revalidation
    out |= (swrTier << 8) | R_SWR;
    if (swrVer < ver) out |= R_STALE;
  } else {
    out |= found << 8;
    if (found < 3 && foundVer < ver) out |= R_STALE;
  }
  return out;
}

/**
 * Stores a fill in one tier: refreshes an expired copy in place when its version is unchanged (a 304),
 * else replaces or inserts it. Returns slot * 2 + 1 after a 304, slot * 2 after a full fill, -1 when
 * the cache does not admit the object; the caller sets the slot's expiry.
 */
function fill(c: Cache, staleSlot: number, key: number, size: number, version: number): number {
  if (staleSlot >= 0) {
    if (c.version[staleSlot] === version) {
      c.touch(staleSlot);
      return staleSlot * 2 + 1;
    }
    c.remove(key);
  } else if (c.find(key) >= 0) {
    // an expired copy that is not revalidated (cookies in the key): replace it
    c.remove(key);
  }
  const slot = c.insert(key, size);
  if (slot < 0) return -1;
  c.version[slot] = version;
  return slot * 2;
}
