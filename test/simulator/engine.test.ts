import { expect } from 'chai';
import { InputError } from '../../lib/errors';
import { PHASE_FIELDS, runEngine, type EngineInput, type EngineOptions, type EngineStats, type WarmLog } from '../../simulator/engine';
import type { SimOrigin } from '../../simulator/plan-model';
import { NETWORK_PROFILE } from '../../lib/network';
import { percentileMs } from '../../simulator/latency';
import { SEED_PROFILE, type OriginOutage, type Region } from '../../simulator/profile';
import { EVENT_INVALIDATE, EVENT_UPDATE, type EventLog, type RequestLog } from '../../simulator/workload/arrivals';
import type { KeySpace } from '../../simulator/workload/build';

interface KeyDef { ttl: number; size?: number; asset?: number; getHead?: 0 | 1; revalidates?: 0 | 1; swr?: number; sie?: number }

/** A tiny world: edges in the given regions, one viewer per edge, one S3 origin in us-east-1. */
function world(keyDefs: KeyDef[], edgeRegions: Region[], shield = true): EngineInput {
  const n = keyDefs.length;
  const keys: KeySpace = {
    count: n,
    size: Float64Array.from(keyDefs, (k) => k.size ?? 100),
    originSize: Float64Array.from(keyDefs, (k) => k.size ?? 100),
    ttl: Float64Array.from(keyDefs, (k) => k.ttl),
    revalidates: Uint8Array.from(keyDefs, (k) => k.revalidates ?? 1),
    asset: Int32Array.from(keyDefs, (k, i) => k.asset ?? i),
    type: new Uint8Array(n),
    behavior: new Uint8Array(n),
    origin: new Uint8Array(n),
    weight: new Float64Array(n).fill(1),
    cacheableMethod: Uint8Array.from(keyDefs, (k) => k.getHead ?? 1),
    functions: new Uint8Array(n),
    compressed: new Uint8Array(n),
    staleWhileRevalidate: Float64Array.from(keyDefs, (k) => k.swr ?? 0),
    staleIfError: Float64Array.from(keyDefs, (k) => k.sie ?? 0),
  };
  const assets = Math.max(...keyDefs.map((k, i) => k.asset ?? i)) + 1;
  const invalidStart = new Int32Array(assets + 1);
  const invalidKeys: number[] = [];
  for (let a = 0; a < assets; a++) {
    invalidStart[a] = invalidKeys.length;
    keyDefs.forEach((k, i) => { if ((k.asset ?? i) === a) invalidKeys.push(i); });
  }
  invalidStart[assets] = invalidKeys.length;
  const edges = edgeRegions.map((region, i) => ({ code: `E${i}`, region }));
  return {
    keys,
    topology: {
      edges,
      viewers: edges.map((e, i) => ({ country: e.code, region: e.region, servedFrom: e.region, rttMs: 10, throughputMbps: 50, billedGroup: 'US' as const, edges: [i], share: 1 })),
      edgeRegion: Uint8Array.from(edgeRegions, (r) => ['NA', 'EU', 'AP', 'SA', 'MEA'].indexOf(r)),
      regions: ['NA', 'EU', 'AP', 'SA', 'MEA'],
    },
    origins: [{ id: 'o', kind: 's3', awsRegion: 'us-east-1', ...(shield ? { shieldAwsRegion: 'us-east-1' } : {}) }],
    profile: SEED_PROFILE,
    assets,
    invalidStart,
    invalidKeys: Int32Array.from(invalidKeys),
  };
}

/** Requests as [time, key, edge]. */
function requests(list: [number, number, number][]): RequestLog {
  return {
    length: list.length,
    time: Float64Array.from(list, (r) => r[0]),
    key: Int32Array.from(list, (r) => r[1]),
    viewer: Uint8Array.from(list, (r) => r[2]),
    edge: Uint8Array.from(list, (r) => r[2]),
  };
}

/** Events as [time, asset, 'update' | 'invalidate']. */
function events(list: [number, number, 'update' | 'invalidate'][] = []): EventLog {
  return {
    length: list.length,
    time: Float64Array.from(list, (e) => e[0]),
    asset: Int32Array.from(list, (e) => e[1]),
    kind: Uint8Array.from(list, (e) => (e[2] === 'update' ? EVENT_UPDATE : EVENT_INVALIDATE)),
  };
}

const BIG = 1e15;
function run(input: EngineInput, req: RequestLog, ev: EventLog = events(), opts: Partial<EngineOptions> = {}): EngineStats {
  return runEngine(input, req, ev, {
    policy: 'lru', capacity: { edge: BIG, rec: BIG, shield: BIG }, capacityScale: 1, hitLevel: 'cloudfront', refreshHitIsHit: true,
    measureFrom: 0, measureTo: 1000, seed: 1, ...opts,
  });
}

/** The type-0 counters that the scenarios assert. */
function counts(s: EngineStats) {
  return {
    requests: s.requests[0], hits: s.hits[0], edgeHits: s.edgeHits[0], edgeRefreshHits: s.edgeRefreshHits[0], recHits: s.recHits[0],
    shieldHits: s.shieldHits[0], originFetches: s.originFetches[0], origin304: s.origin304[0], staleServed: s.staleServed[0],
  };
}

const zero = { requests: 0, hits: 0, edgeHits: 0, edgeRefreshHits: 0, recHits: 0, shieldHits: 0, originFetches: 0, origin304: 0, staleServed: 0 };

describe('simulator/engine: exact counts on hand-computed traces', () => {
  it('TTL expiry: a fresh copy hits, an expired one is revalidated with a 304 (RefreshHit)', () => {
    const s = run(world([{ ttl: 10 }], ['NA']), requests([[0, 0, 0], [5, 0, 0], [15, 0, 0]]));
    expect(counts(s)).to.deep.equal({ ...zero, requests: 3, hits: 2, edgeHits: 1, edgeRefreshHits: 1, originFetches: 1, origin304: 1 });
  });

  it('TTL expiry after a change: the revalidation brings a new body (no 304)', () => {
    const s = run(world([{ ttl: 10 }], ['NA']), requests([[0, 0, 0], [15, 0, 0]]), events([[12, 0, 'update']]));
    expect(counts(s)).to.deep.equal({ ...zero, requests: 2, originFetches: 2 });
  });

  it('a change without an invalidation is served stale until the TTL runs out', () => {
    const s = run(world([{ ttl: 100 }], ['NA']), requests([[0, 0, 0], [5, 0, 0], [105, 0, 0]]), events([[3, 0, 'update']]));
    expect(counts(s)).to.deep.equal({ ...zero, requests: 3, hits: 1, edgeHits: 1, staleServed: 1, originFetches: 2 });
  });

  it('an invalidation removes every variant of the asset from every tier', () => {
    const input = world([{ ttl: 100, asset: 0 }, { ttl: 100, asset: 0 }], ['NA']);
    const s = run(input, requests([[0, 0, 0], [1, 1, 0], [5, 0, 0], [6, 1, 0], [7, 0, 0]]), events([[3, 0, 'update'], [4, 0, 'invalidate']]));
    expect(counts(s)).to.deep.equal({ ...zero, requests: 5, hits: 1, edgeHits: 1, originFetches: 4 });
    expect([s.updates, s.invalidations]).to.deep.equal([1, 1]);
  });

  it('capacity eviction at the edge: the object comes back from the regional edge cache', () => {
    const input = world([{ ttl: 1000 }, { ttl: 1000 }], ['NA']);
    const s = run(input, requests([[0, 0, 0], [1, 1, 0], [2, 0, 0]]), events(), { capacity: { edge: 100, rec: BIG, shield: BIG } });
    expect(counts(s)).to.deep.equal({ ...zero, requests: 3, hits: 1, recHits: 1, originFetches: 2 });
    expect(s.evictions.edge).to.equal(2);
  });

  it("with hit level 'edge' a regional edge cache hit is a miss", () => {
    const input = world([{ ttl: 1000 }, { ttl: 1000 }], ['NA']);
    const s = run(input, requests([[0, 0, 0], [1, 1, 0], [2, 0, 0]]), events(), { capacity: { edge: 100, rec: BIG, shield: BIG }, hitLevel: 'edge' });
    expect([s.hits[0], s.recHits[0]]).to.deep.equal([0, 1]);
  });

  it('Origin Shield consolidates misses from two regions into one origin fetch', () => {
    const req = requests([[0, 0, 0], [1, 0, 1]]);
    const withShield = run(world([{ ttl: 1000 }], ['NA', 'EU']), req);
    expect(counts(withShield)).to.deep.equal({ ...zero, requests: 2, hits: 1, shieldHits: 1, originFetches: 1 });
    // only the EU request crossed to a shield in another region: one billed Origin Shield request
    expect(withShield.originShieldIncremental).to.equal(1);
    const withoutShield = run(world([{ ttl: 1000 }], ['NA', 'EU'], false), req);
    expect(counts(withoutShield)).to.deep.equal({ ...zero, requests: 2, originFetches: 2 });
  });

  it('never-cached GETs count in CacheHitRate but not in the hit ratio; POSTs in neither', () => {
    const s = run(world([{ ttl: -1 }, { ttl: -1, getHead: 0 }], ['NA']), requests([[0, 0, 0], [1, 0, 0], [2, 1, 0]]));
    expect([s.requests[0], s.cacheable[0], s.caching[0], s.originFetches[0], s.hits[0]]).to.deep.equal([3, 2, 0, 3, 0]);
  });

  it('without revalidation (cookies in the key) an expired copy is fetched again in full', () => {
    const s = run(world([{ ttl: 10, revalidates: 0 }], ['NA']), requests([[0, 0, 0], [15, 0, 0]]));
    expect(counts(s)).to.deep.equal({ ...zero, requests: 2, originFetches: 2 });
  });

  it('warm-up requests fill the caches but are not counted', () => {
    const s = run(world([{ ttl: 100 }], ['NA']), requests([[-5, 0, 0], [1, 0, 0]]), events());
    expect(counts(s)).to.deep.equal({ ...zero, requests: 1, hits: 1, edgeHits: 1 });
    expect(s.simulated).to.equal(2);
  });
});

/** Warm requests as [time, key, edge]. */
function warmLog(list: [number, number, number][]): WarmLog {
  return { length: list.length, time: Float64Array.from(list, (w) => w[0]), key: Int32Array.from(list, (w) => w[1]), edge: Uint8Array.from(list, (w) => w[2]) };
}

const noWarm = { requests: 0, edgeHits: 0, recHits: 0, shieldHits: 0, origin304: 0, originFetches: 0, originBytes: 0, shieldRequests: 0, simulated: 0 };

describe('simulator/engine: warm (prefill) requests', () => {
  it('a warmed object hits at the warmed edge, and at another edge of the region from the regional edge cache', () => {
    const s = run(world([{ ttl: 100 }], ['NA', 'NA']), requests([[1, 0, 0], [2, 0, 1]]), events(), { warm: warmLog([[0, 0, 0]]) });
    expect(counts(s)).to.deep.equal({ ...zero, requests: 2, hits: 2, edgeHits: 1, recHits: 1 });
    expect(s.warm).to.deep.equal({ ...noWarm, requests: 1, originFetches: 1, originBytes: 100, simulated: 1 });
  });

  it('without warming the same requests are a miss and a regional hit', () => {
    const s = run(world([{ ttl: 100 }], ['NA', 'NA']), requests([[1, 0, 0], [2, 0, 1]]));
    expect(counts(s)).to.deep.equal({ ...zero, requests: 2, hits: 1, recHits: 1, originFetches: 1 });
    expect(s.warm).to.deep.equal(noWarm);
  });

  it('warming in Europe fills the shared Origin Shield: a North American viewer misses its edge and hits its REC, which is the us-east-1 shield', () => {
    const s = run(world([{ ttl: 100, size: 250 }], ['NA', 'EU']), requests([[5, 0, 0], [6, 0, 1]]), events(), { warm: warmLog([[0, 0, 1]]) });
    // the N. Virginia REC is the shield: its hit is logged `Hit` (a REC hit), spec §9.4
    expect(counts(s)).to.deep.equal({ ...zero, requests: 2, hits: 2, edgeHits: 1, recHits: 1 });
    // the EU REC's request to the us-east-1 shield is billed; the NA viewer's is not (same region)
    expect([s.warm.shieldRequests, s.warm.originBytes, s.originShieldIncremental]).to.deep.equal([1, 250, 0]);
  });

  it('warming what is already cached pulls nothing; warming an expired copy revalidates it (304) and viewers hit', () => {
    const s = run(world([{ ttl: 10 }], ['NA']), requests([[0, 0, 0], [25, 0, 0]]), events(), { warm: warmLog([[5, 0, 0], [20, 0, 0]]) });
    expect(counts(s)).to.deep.equal({ ...zero, requests: 2, hits: 1, edgeHits: 1, originFetches: 1 });
    expect(s.warm).to.deep.equal({ ...noWarm, requests: 2, edgeHits: 1, origin304: 1, simulated: 2 });
  });

  it('a warm request at the time of an invalidation comes after it and refills the tiers', () => {
    const input = world([{ ttl: 100 }], ['NA']);
    const s = run(input, requests([[0, 0, 0], [11, 0, 0]]), events([[9, 0, 'update'], [10, 0, 'invalidate']]), { warm: warmLog([[10, 0, 0]]) });
    expect(counts(s)).to.deep.equal({ ...zero, requests: 2, hits: 1, edgeHits: 1, originFetches: 1 });
    expect([s.warm.originFetches, s.staleServed[0]]).to.deep.equal([1, 0]);
  });

  it('warming draws no latency: viewers of other objects get exactly the same figures', () => {
    const input = world([{ ttl: 100 }, { ttl: 100 }], ['NA', 'EU']);
    const req = requests([[1, 0, 0], [2, 0, 1], [3, 0, 1]]);
    const plain = run(input, req);
    const warmed = run(input, req, events(), { warm: warmLog([[0, 1, 0], [0, 1, 1]]) });
    expect([[...warmed.ttfb], [...warmed.total], counts(warmed)]).to.deep.equal([[...plain.ttfb], [...plain.total], counts(plain)]);
    expect(warmed.warm.originFetches).to.equal(1);
  });

  const bad: [string, WarmLog, string[]][] = [
    ['unsorted times', warmLog([[5, 0, 0], [4, 0, 0]]), ['warm entry 1: times must be sorted, got 4 after 5.']],
    ['a key outside the workload', warmLog([[0, 2, 0]]), ['warm entry 0: key 2 is not one of the 1 keys of the workload.']],
    ['an edge that is not simulated', warmLog([[0, 0, 3]]), ['warm entry 0: edge 3 is not one of the 1 simulated edge locations.']],
    ['a time that is not a number', warmLog([[NaN, 0, 0]]), ['warm entry 0: the time must be a finite number of seconds, got NaN.']],
  ];
  for (const [what, log, problems] of bad) {
    it(`refuses a warm log with ${what}`, () => {
      let caught: unknown;
      try {
        run(world([{ ttl: 100 }], ['NA']), requests([[1, 0, 0]]), events(), { warm: log });
      } catch (e) {
        caught = e;
      }
      expect(caught).to.be.instanceOf(InputError);
      expect((caught as InputError).problems).to.deep.equal(problems);
    });
  }
});

/** The world without noise or handshakes, with origin outages: latency figures are exact sums. */
function quietWorld(keyDefs: KeyDef[], outages: { fromSec: number; toSec: number }[] = []): EngineInput {
  const w = world(keyDefs, ['NA']);
  return { ...w, profile: { ...SEED_PROFILE, network: { ...NETWORK_PROFILE, lastMileSigma: 0, backboneSigma: 0, originSigma: 0, requestsPerConnection: 1e12 }, originOutages: outages } };
}

/** Median TTFB of the requests measured in [from, to). */
function ttfbIn(input: EngineInput, req: RequestLog, from: number, to: number): number {
  return percentileMs(run(input, req, events(), { measureFrom: from, measureTo: to }).ttfb, 0, 0.5);
}

// E0 is an unknown NA edge: REC us-east-1 at 15 ms (lib/network DEFAULT_EDGE_REC), which is the origin's shield.
// hit at the edge: viewer 10 + 1 = 11 ms; through the origin: 11 + 15 + 1 + 2 (shield ↔ origin) + 25 (S3 first byte) = 54 ms
const EDGE_HIT_MS = 11, ORIGIN_MS = 54;

describe('simulator/engine: stale-while-revalidate and stale-if-error on hand-computed traces', () => {
  it('inside the stale-while-revalidate window: a hit at hit latency, one background origin request', () => {
    const input = quietWorld([{ ttl: 10, swr: 20 }]);
    const req = requests([[0, 0, 0], [15, 0, 0], [16, 0, 0]]);
    const s = run(input, req);
    // t=15: expired 5 s ago, within 20 s: served from the edge, revalidated (304) in the background; t=16: fresh again
    expect(counts(s)).to.deep.equal({ ...zero, requests: 3, hits: 2, edgeHits: 2, edgeRefreshHits: 1, originFetches: 1, origin304: 1 });
    expect([s.staleWhileRevalidateHits[0], s.originErrors[0]]).to.deep.equal([1, 0]);
    expect(ttfbIn(input, req, 14, 15.5)).to.be.closeTo(EDGE_HIT_MS, EDGE_HIT_MS * 0.015);
  });

  it('outside the window the viewer waits for the revalidation', () => {
    const input = quietWorld([{ ttl: 10, swr: 20 }]);
    const req = requests([[0, 0, 0], [35, 0, 0]]);
    const s = run(input, req);
    expect(counts(s)).to.deep.equal({ ...zero, requests: 2, hits: 1, edgeRefreshHits: 1, originFetches: 1, origin304: 1 });
    expect(s.staleWhileRevalidateHits[0]).to.equal(0);
    expect(ttfbIn(input, req, 30, 40)).to.be.closeTo(ORIGIN_MS, ORIGIN_MS * 0.015);
  });

  it('a change inside the window is served stale once, and the background fetch brings the new body', () => {
    const s = run(quietWorld([{ ttl: 10, swr: 20 }]), requests([[0, 0, 0], [15, 0, 0], [16, 0, 0]]), events([[12, 0, 'update']]));
    expect(counts(s)).to.deep.equal({ ...zero, requests: 3, hits: 2, edgeHits: 2, originFetches: 2, staleServed: 1 });
  });

  it('stale-if-error serves within its window after the failed attempt, and errors after it', () => {
    const input = quietWorld([{ ttl: 10, sie: 50 }], [{ fromSec: 12, toSec: 1000 }]);
    const req = requests([[0, 0, 0], [20, 0, 0], [70, 0, 0]]);
    const s = run(input, req);
    // t=20: expired, origin down, within 10 + 50 s: the stale copy; t=70: past it: an error. No origin request succeeds.
    expect(counts(s)).to.deep.equal({ ...zero, requests: 3, hits: 1, edgeHits: 1, originFetches: 1 });
    expect([s.staleIfErrorServed[0], s.originErrors[0], s.staleWhileRevalidateHits[0]]).to.deep.equal([1, 1, 0]);
    // the stale copy comes after the attempt: origin latency, not hit latency
    expect(ttfbIn(input, req, 19, 21)).to.be.closeTo(ORIGIN_MS, ORIGIN_MS * 0.015);
  });

  it('an outage within stale-while-revalidate still serves at once; the copy stays stale until the origin is back', () => {
    const s = run(quietWorld([{ ttl: 10, swr: 100 }], [{ fromSec: 12, toSec: 30 }]), requests([[0, 0, 0], [15, 0, 0], [20, 0, 0], [40, 0, 0], [41, 0, 0]]));
    // t=15, 20: stale, background fails; t=40: stale, background 304 succeeds; t=41: fresh
    expect(counts(s)).to.deep.equal({ ...zero, requests: 5, hits: 4, edgeHits: 4, edgeRefreshHits: 1, originFetches: 1, origin304: 1 });
    expect([s.staleWhileRevalidateHits[0], s.originErrors[0]]).to.deep.equal([3, 0]);
  });

  it('without a stale-if-error window an outage is an error, for cached and never-cached routes alike', () => {
    const s = run(quietWorld([{ ttl: 10 }, { ttl: -1 }], [{ fromSec: 12, toSec: 1000 }]), requests([[0, 0, 0], [20, 0, 0], [21, 1, 0]]));
    expect([s.originErrors[0], s.hits[0], s.originFetches[0]]).to.deep.equal([2, 0, 1]);
  });

  it('rejects an outage window that ends before it starts', () => {
    expect(() => run(quietWorld([{ ttl: 10 }], [{ fromSec: 50, toSec: 10 }]), requests([[0, 0, 0]]))).to.throw(InputError, /originOutages\[0\]/);
  });
});

describe('simulator/engine: failing origins, origin groups and error caching on hand-computed traces', () => {
  const secondary: SimOrigin = { id: 's', kind: 's3', awsRegion: 'us-west-2', shieldAwsRegion: 'us-west-2', role: 'secondary' };
  const primary = (statusCodes = [500, 502, 503, 504]): SimOrigin => ({ id: 'o', kind: 's3', awsRegion: 'us-east-1', shieldAwsRegion: 'us-east-1', failover: { origin: secondary, statusCodes } });
  /** The quiet world with the origin replaced and outages of the given origins and mode. */
  function faultWorld(keyDefs: KeyDef[], origin: SimOrigin, outages: OriginOutage[]): EngineInput {
    const w = quietWorld(keyDefs);
    return { ...w, origins: [origin], profile: { ...w.profile, originOutages: outages } };
  }
  const errors = (s: EngineStats) => ({ errors: s.originErrors[0], failures: s.originFailures[0], failovers: s.failovers[0], errorCacheHits: s.errorCacheHits[0], fetches: s.originFetches[0] });
  // E0's REC is us-east-1, the primary's shield (co-located): REC → primary 2 ms. A refused attempt costs
  // 3 attempts × 2 ms; the failed-over fetch goes us-east-1 → the secondary's shield us-west-2 (67 ms),
  // → the secondary (2 ms) and its first byte (25 ms): 11 + 15 + 1 + 6 + 94 = 127 ms.
  const FAILOVER_MS = 127;
  // up to the origin-facing tier (the REC, which is the shield): 11 + 15 + 1 = 27 ms
  const TO_SHIELD_MS = 27;

  it('a refused primary fails over to the secondary: the viewer is served, one failure and one fetch', () => {
    const input = faultWorld([{ ttl: 100 }], primary(), [{ fromSec: 0, toSec: 50, origins: ['o'], mode: 'refused' }]);
    const req = requests([[1, 0, 0], [2, 0, 0]]);
    const s = run(input, req);
    expect(errors(s)).to.deep.equal({ errors: 0, failures: 1, failovers: 1, errorCacheHits: 0, fetches: 1 });
    expect(s.hits[0]).to.equal(1);
    expect(ttfbIn(input, req, 0.5, 1.5)).to.be.closeTo(FAILOVER_MS, FAILOVER_MS * 0.015);
  });

  it('with both members down the error is cached for ErrorCachingMinTTL: no origin request, even after recovery', () => {
    const input = { ...faultWorld([{ ttl: 100 }], primary(), [{ fromSec: 0, toSec: 8, origins: ['o', 's'], mode: 'refused' }]), errorCachingMinTtl: 10 };
    // t=1 fails (cached until 11); t=5 and t=9 (origin back at 8) get the cached error; t=12 fetches
    const req = requests([[1, 0, 0], [5, 0, 0], [9, 0, 0], [12, 0, 0]]);
    const s = run(input, req);
    expect(errors(s)).to.deep.equal({ errors: 3, failures: 1, failovers: 0, errorCacheHits: 2, fetches: 1 });
    expect(ttfbIn(input, req, 4, 6)).to.be.closeTo(TO_SHIELD_MS, TO_SHIELD_MS * 0.015);
    expect(s.errorSeries[0]).to.equal(3);
  });

  it('a 503 burst fails over only when 503 is one of the group\'s failover statuses', () => {
    const burst: OriginOutage[] = [{ fromSec: 0, toSec: 50, origins: ['o'], mode: 'http5xx' }];
    expect(errors(run(faultWorld([{ ttl: 100 }], primary([500, 503]), burst), requests([[1, 0, 0]])))).to.deep.equal({ errors: 0, failures: 1, failovers: 1, errorCacheHits: 0, fetches: 1 });
    expect(errors(run(faultWorld([{ ttl: 100 }], primary([500]), burst), requests([[1, 0, 0]])))).to.deep.equal({ errors: 1, failures: 1, failovers: 0, errorCacheHits: 0, fetches: 0 });
  });

  it('a slow origin costs attempts × response timeout before the stale copy, and the copy is served', () => {
    const origin: SimOrigin = { id: 'o', kind: 's3', awsRegion: 'us-east-1', shieldAwsRegion: 'us-east-1', connection: { attempts: 2, connectTimeoutSec: 5, readTimeoutSec: 4 } };
    const input = faultWorld([{ ttl: 10, sie: 100 }], origin, [{ fromSec: 12, toSec: 100, mode: 'slow' }]);
    const req = requests([[0, 0, 0], [20, 0, 0]]);
    const s = run(input, req);
    expect([s.staleIfErrorServed[0], s.originErrors[0], s.originFailures[0]]).to.deep.equal([1, 0, 1]);
    // 27 ms to the shield + 2 attempts × 4 s
    expect(ttfbIn(input, req, 19, 21)).to.be.closeTo(8027, 8027 * 0.015);
  });

  it('connection timeouts cost attempts × connection timeout; a never-cached POST never fails over', () => {
    const origin: SimOrigin = { ...primary(), connection: { attempts: 3, connectTimeoutSec: 2, readTimeoutSec: 30 } };
    const input = faultWorld([{ ttl: 100 }, { ttl: -1, getHead: 0 }], origin, [{ fromSec: 0, toSec: 50, origins: ['o'], mode: 'timeout' }]);
    const req = requests([[1, 0, 0], [2, 1, 0]]);
    const s = run(input, req);
    expect([s.failovers[0], s.originErrors[0], s.cachingErrors[0], s.originFailures[0]]).to.deep.equal([1, 1, 0, 2]);
    // GET: 27 + 3 × 2 s + 94 ms to the secondary
    expect(ttfbIn(input, req, 0.5, 1.5)).to.be.closeTo(6121, 6121 * 0.015);
  });

  it('keeps the viewer figures per phase: before, during and after the window', () => {
    const input = faultWorld([{ ttl: 1 }], { id: 'o', kind: 's3', awsRegion: 'us-east-1', shieldAwsRegion: 'us-east-1' }, [{ fromSec: 10, toSec: 20, mode: 'refused' }]);
    const s = run({ ...input, errorCachingMinTtl: 1 }, requests([[1, 0, 0], [5, 0, 0], [12, 0, 0], [15, 0, 0], [25, 0, 0]]), events(), { phases: { from: 10, to: 20 } });
    const phase = (p: number) => [...s.phases.subarray(p * PHASE_FIELDS, p * PHASE_FIELDS + PHASE_FIELDS)];
    // [requests, errors, caching, caching errors, origin requests]
    expect([phase(0), phase(1), phase(2)]).to.deep.equal([[2, 0, 2, 0, 2], [2, 2, 2, 2, 2], [1, 0, 1, 0, 1]]);
  });

  it('refuses an outage naming an origin the plan does not have, or an unknown mode', () => {
    const input = faultWorld([{ ttl: 10 }], primary(), [{ fromSec: 0, toSec: 5, origins: ['nope'] }, { fromSec: 0, toSec: 5, mode: 'melted' as OriginOutage['mode'] }]);
    let caught: unknown;
    try { run(input, requests([[1, 0, 0]])); } catch (e) { caught = e; }
    expect((caught as InputError).problems).to.deep.equal([
      "originOutages[0]: origin 'nope' is not an origin of the plan (o, s).",
      'originOutages[1]: mode must be one of refused, timeout, slow, http5xx, got melted.',
    ]);
  });
});
