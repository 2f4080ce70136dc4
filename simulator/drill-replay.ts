/**
 * A drill's viewer requests replayed through the engine: the same paths at the same times on the same
 * edge locations, the same origins failing in the same window, so that the simulator's availability
 * and origin requests can be set beside what the local edge measured (docs/resilience.md,
 * "Simulator and drill"). The world is tiny and exact: one key per path (the drill sends no
 * Accept-Encoding), weight 1, the drill's edge locations as edges sharing one regional edge cache
 * (the local edge's regional cache), GET only. Every sample object lives longer than a drill (the
 * shortest TTL of the sample content is 60 s), so cached paths get a TTL of an hour.
 */
import { CONTENT_TYPE_NAMES } from '../lib/catalog';
import type { FaultMode } from '../lib/faults/scenarios';
import { runEngine, type EngineStats } from './engine';
import { simOriginKey, type SimModel, type SimOrigin } from './plan-model';
import { SEED_PROFILE } from './profile';
import { EVENT_INVALIDATE, type RequestLog } from './workload/arrivals';
import type { KeySpace } from './workload/build';

export interface ReplayRequest {
  readonly atSec: number;
  readonly path: string;
  readonly edge: number;
}

export interface ReplayFault {
  readonly fromSec: number;
  readonly toSec: number;
  readonly origins: readonly string[];
  readonly mode: FaultMode;
}

export interface ReplayFigures {
  readonly requests: number;
  readonly availabilityPct: number;
  readonly originRequests: number;
  readonly stats: EngineStats;
}

const TTL_SEC = 3600;

/** Replays a drill's requests (sorted by time) on `edges` edge locations with the fault. */
export function replayDrill(model: SimModel, requests: readonly ReplayRequest[], edges: number, fault: ReplayFault | undefined, invalidateAt: readonly number[] = []): ReplayFigures {
  const paths = [...new Set(requests.map((r) => r.path))];
  const keyOf = new Map(paths.map((p, i) => [p, i]));
  const origins: SimOrigin[] = [];
  const originIndex = new Map<string, number>();
  const behaviors = paths.map((p) => model.select(p.split('?')[0]!));
  const n = paths.length;
  const keys: KeySpace = {
    count: n,
    size: new Float64Array(n).fill(1000),
    originSize: new Float64Array(n).fill(1000),
    ttl: Float64Array.from(behaviors, (b) => (b.cachingDisabled ? -1 : TTL_SEC)),
    revalidates: new Uint8Array(n).fill(1),
    asset: Int32Array.from({ length: n }, (_, i) => i),
    type: Uint8Array.from(behaviors, (b) => CONTENT_TYPE_NAMES.indexOf(b.contentType)),
    behavior: new Uint8Array(n),
    origin: Uint8Array.from(behaviors, (b) => {
      const originKey = simOriginKey(b.origin);
      let i = originIndex.get(originKey);
      if (i === undefined) { i = origins.length; origins.push(b.origin); originIndex.set(originKey, i); }
      return i;
    }),
    weight: new Float64Array(n).fill(1),
    cacheableMethod: new Uint8Array(n).fill(1),
    functions: new Uint8Array(n),
    compressed: new Uint8Array(n),
    staleWhileRevalidate: new Float64Array(n),
    staleIfError: new Float64Array(n),
  };
  // every invalidation removes every key (the drill's storm invalidates /*)
  const invalidStart = Int32Array.from({ length: n + 1 }, (_, i) => i);
  const invalidKeys = Int32Array.from({ length: n }, (_, i) => i);
  const edgeList = Array.from({ length: edges }, (_, i) => ({ code: `DRILL${i}`, region: 'NA' as const }));
  const log: RequestLog = {
    length: requests.length,
    time: Float64Array.from(requests, (r) => r.atSec),
    key: Int32Array.from(requests, (r) => keyOf.get(r.path)!),
    viewer: Uint8Array.from(requests, (r) => r.edge),
    edge: Uint8Array.from(requests, (r) => r.edge),
  };
  const inv = invalidateAt.flatMap((t) => paths.map((_, a) => [t, a] as const));
  const stats = runEngine({
    keys,
    topology: {
      edges: edgeList,
      viewers: edgeList.map((e, i) => ({ country: 'US', region: e.region, servedFrom: e.region, rttMs: 1, throughputMbps: 100, billedGroup: 'US' as const, edges: [i], share: 1 })),
      edgeRegion: new Uint8Array(edges),
      regions: ['NA', 'EU', 'AP', 'SA', 'MEA'],
    },
    origins,
    profile: { ...SEED_PROFILE, originOutages: fault && fault.origins.length > 0 ? [{ fromSec: fault.fromSec, toSec: fault.toSec, origins: fault.origins.filter((id) => origins.some((o) => o.id === id || o.failover?.origin.id === id)), mode: fault.mode }] : [] },
    assets: n,
    invalidStart,
    invalidKeys,
    errorCachingMinTtl: model.errorCachingMinTtl,
  }, log, {
    length: inv.length, time: Float64Array.from(inv, (x) => x[0]), asset: Int32Array.from(inv, (x) => x[1]), kind: new Uint8Array(inv.length).fill(EVENT_INVALIDATE),
  }, {
    policy: 'lru', capacity: { edge: 2 ** 40, rec: 2 ** 40, shield: 2 ** 40 }, capacityScale: 1, hitLevel: 'cloudfront', refreshHitIsHit: true,
    measureFrom: 0, measureTo: 1e9, seed: 1,
  });
  const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
  const total = sum(stats.requests);
  return {
    requests: total,
    availabilityPct: total > 0 ? 100 * (1 - sum(stats.originErrors) / total) : 100,
    originRequests: sum(stats.originFetches) + sum(stats.origin304) + sum(stats.originFailures),
    stats,
  };
}
