/**
 * The shard-independent half of a workload build (./build.ts): which objects are sampled, their
 * weights, rates and assets, and the behavior each selects. Every shard of a seed workload needs these
 * facts for all objects (asset numbers and origin order are assigned in object order, and the request
 * rates count all objects), while the cache keys are built for a shard's own objects only; so
 * `--workers` builds this part once and shares it with the shard threads (`toShared`) instead of each
 * shard building it again. Plain data only (numbers, typed arrays), so it crosses to worker threads.
 */
import { CONTENT_TYPE_NAMES, type ContentTypeName } from '../../lib/catalog';
import { cacheControlFor } from '../../lib/catalog/cache-control';
import type { ReleaseEntry } from '../../lib/warming/predict';
import { parseCacheControl, resolveTtl, staleWindows } from '../../lib/semantics/ttl';
import { simOriginKey, type SimBehavior, type SimModel } from '../plan-model';
import type { WorkloadProfile } from '../profile';
import { Rng } from '../rng';
import { seedFamilies, type Family } from './families';
import { releaseFamilies, releasePeakSessions, type ReleaseFamily } from './releases';

/** What the sampling depends on (the build's options less the shard). */
export interface SampleOptions {
  readonly seed: number;
  /** Share of objects simulated, (0, 1]. */
  readonly scale: number;
  readonly profile: WorkloadProfile;
  /** Smallest number of objects kept per family. @default 100 */
  readonly minObjectsPerFamily?: number;
  /** Origin Cache-Control per content type (none by default). */
  readonly originCacheControl?: Partial<Record<ContentTypeName, string>>;
  /** New episodes going live at scheduled times (a release manifest, ./releases.ts). @default none */
  readonly releases?: readonly ReleaseEntry[];
}

/** Per-family sums of the sampling pass. */
export interface FamilyStats {
  /** Requests per playback session of all the family's objects. */
  perSession: number;
  bytesPerSession: number;
  storedBytes: number;
  sampled: number;
  /** Objects per sampling block. */
  block: number;
  /** The origin of the family's first sampled object. */
  originId: string | undefined;
}

/** The sampled objects and their shard-independent facts, as columns (index: the object). */
export interface SampledObjects {
  readonly count: number;
  /** Index into the families: seed families first, then the release families. */
  readonly family: Int32Array;
  /** The object within its family (Family.describe). */
  readonly ref: Int32Array;
  /** Full-scale requests one simulated request of the object stands for (thinning included). */
  readonly keyWeight: Float64Array;
  /** Simulated average request rate (req/s, thinned); 0 for release objects. */
  readonly objectRate: Float64Array;
  /** Byte-range index (video segments), -1 for whole objects. */
  readonly objectRange: Int32Array;
  readonly objectAsset: Int32Array;
  /** Behavior index (the model's ordered behaviors, then the default). */
  readonly objectBehavior: Uint8Array;
  /** Origin index of each behavior (origins numbered in the order objects first use them). */
  readonly behaviorOrigin: Int32Array;
  /** The behavior whose origin each origin index is. */
  readonly originBehavior: Int32Array;
  readonly assets: number;
  /** Content-type index (CONTENT_TYPE_NAMES order) of each asset. */
  readonly assetType: Uint8Array;
  readonly familyStats: readonly FamilyStats[];
  /** Playback sessions per second at full scale (calibrated to profile.averageGbps). */
  readonly sessionsPerSecond: number;
  /** Per release of the manifest: its objects and their rates at the release's peak. */
  readonly releaseObjects: readonly { readonly objects: Int32Array; readonly rates: Float64Array }[];
}

/** The seed families, then the release families (`release`: the manifest index of each of those). */
export interface WorkloadFamilies {
  readonly families: readonly Family[];
  readonly seedCount: number;
  readonly releaseFams: readonly ReleaseFamily[];
}

export function workloadFamilies(model: SimModel, opts: SampleOptions): WorkloadFamilies {
  const seedFams = seedFamilies(opts.profile, model.catalog, opts.seed);
  const releaseFams = releaseFamilies(opts.releases ?? [], model, opts.profile, model.catalog, opts.seed);
  return { families: [...seedFams, ...releaseFams.map((r) => r.family)], seedCount: seedFams.length, releaseFams };
}

/** The model's behaviors in index order: the ordered ones, then the default. */
export function behaviorsOf(model: SimModel): SimBehavior[] {
  return [...model.behaviors, model.defaultBehavior];
}

/** TTL and stale windows of a behavior for an origin Cache-Control (the same for all its objects). */
export interface TtlFacts { readonly ttl: number; readonly swr: number; readonly sie: number }

/**
 * The TTL facts of an object from its behavior (index), content type and whether its method is cached:
 * the origins send the catalog's Cache-Control for the route (lib/catalog cacheControlFor) unless
 * overridden, so these three decide the facts; each combination is resolved once.
 */
export function ttlFactsOf(model: SimModel, behaviors: readonly SimBehavior[], originCacheControl?: Partial<Record<ContentTypeName, string>>): (behavior: number, type: ContentTypeName, cached: boolean) => TtlFacts {
  const memo = new Map<number, TtlFacts>();
  const nTypes = CONTENT_TYPE_NAMES.length;
  return (bi, type, cached) => {
    const id = (bi * nTypes + CONTENT_TYPE_NAMES.indexOf(type)) * 2 + (cached ? 1 : 0);
    let facts = memo.get(id);
    if (facts === undefined) {
      const beh = behaviors[bi]!;
      const route = beh.routeId !== undefined ? model.catalog.route(beh.routeId) : undefined;
      const cc = originCacheControl?.[type] ?? (route ? cacheControlFor(route) : undefined);
      const ttlDecision = cached ? resolveTtl(beh.ttl, cc === undefined ? {} : { cacheControl: cc }, 0) : undefined;
      const ttl = ttlDecision?.cacheable ? ttlDecision.ttl : -1;
      const stale = ttl >= 0 ? staleWindows(beh.ttl, parseCacheControl(cc), { storedAtSec: 0, expiresAtSec: ttl }) : {};
      facts = { ttl, swr: (stale.staleWhileRevalidateUntil ?? ttl) - ttl, sie: (stale.staleIfErrorUntil ?? ttl) - ttl };
      memo.set(id, facts);
    }
    return facts;
  };
}

/** Whether a request method is counted by CacheHitRate (GET, HEAD), and whether the behavior caches it. */
export function methodFacts(beh: SimBehavior, method: string): { cacheableMethod: boolean; cached: boolean } {
  const cacheableMethod = method === 'GET' || method === 'HEAD';
  return { cacheableMethod, cached: cacheableMethod && !beh.cachingDisabled && beh.cachedMethods.includes(method) };
}

/** The sampled objects as columns (a few bytes each, no object per sample): grown as they are added. */
class Sampled {
  length = 0;
  family = new Int32Array(1024);
  ref = new Int32Array(1024);
  /** Requests per playback session of this object. */
  perSession = new Float64Array(1024);
  weight = new Float64Array(1024);

  push(family: number, ref: number, perSession: number, weight: number): void {
    if (this.length === this.family.length) {
      const cap = Math.ceil(this.length * 1.5);
      const grow = <T extends Int32Array | Float64Array>(a: T): T => { const x = new (a.constructor as new (n: number) => T)(cap); x.set(a); return x; };
      this.family = grow(this.family); this.ref = grow(this.ref); this.perSession = grow(this.perSession); this.weight = grow(this.weight);
    }
    const i = this.length++;
    this.family[i] = family; this.ref[i] = ref; this.perSession[i] = perSession; this.weight[i] = weight;
  }
}

/**
 * Samples the objects (build.ts, step 1: one per block of ⌈1/scale⌉ neighbours, by request rate) and
 * resolves what every shard needs of each: behavior, origin, asset, TTL (for thinning), rate.
 */
export function sampleObjects(model: SimModel, opts: SampleOptions, fams: WorkloadFamilies = workloadFamilies(model, opts)): SampledObjects {
  const { profile, seed, scale } = opts;
  const { families, seedCount, releaseFams } = fams;
  const rng = new Rng(seed, 7);
  const minObjects = opts.minObjectsPerFamily ?? 100;

  // 1. sample, and sum the bytes per session for the calibration
  const sampled = new Sampled();
  const familyStats: FamilyStats[] = families.map(() => ({ perSession: 0, bytesPerSession: 0, storedBytes: 0, sampled: 0, block: 1, originId: undefined }));
  let bytesPerSession = 0;
  families.forEach((fam, f) => {
    const block = Math.max(1, Math.min(Math.round(1 / scale), Math.floor(fam.count / minObjects)));
    familyStats[f]!.block = block;
    let sum = 0, inBlock = 0, pick = -1, pickRate = 0;
    const flush = () => {
      if (pick >= 0) { sampled.push(f, pick, pickRate, sum / pickRate); familyStats[f]!.sampled++; }
      sum = 0; inBlock = 0; pick = -1; pickRate = 0;
    };
    const st = familyStats[f]!;
    fam.forEach((ref, perSession, size) => {
      st.perSession += perSession;
      st.bytesPerSession += perSession * size;
      st.storedBytes += size;
      sum += perSession;
      inBlock++;
      if (perSession > 0 && rng.next() * sum < perSession) { pick = ref; pickRate = perSession; }
      if (inBlock === block) flush();
    });
    flush();
    // release sessions come on top of the calibrated traffic
    if (f < seedCount) bytesPerSession += st.bytesPerSession;
  });
  const sessionsPerSecond = (profile.averageGbps * 1e9) / 8 / bytesPerSession;

  // 2. per object: behavior, origin, asset, TTL (never-cached objects are thinned), rate
  const behaviors = behaviorsOf(model);
  const behaviorIndex = new Map(behaviors.map((b, i) => [b, i] as const));
  const behaviorOrigin = new Int32Array(behaviors.length).fill(-1);
  const originBehavior: number[] = [];
  const originIndex = new Map<string, number>();
  const ttlFacts = ttlFactsOf(model, behaviors, opts.originCacheControl);
  const nObj = sampled.length;
  const keyWeight = new Float64Array(nObj);
  const objectRate = new Float64Array(nObj);
  const objectRange = new Int32Array(nObj);
  const objectAsset = new Int32Array(nObj);
  const objectBehavior = new Uint8Array(nObj);
  const peakSessions = releasePeakSessions(profile, sessionsPerSecond);
  const releaseObjects = (opts.releases ?? []).map(() => ({ objects: [] as number[], rates: [] as number[] }));
  const assetIds = new Map<string, number>();
  const assetTypes: number[] = [];
  const typeOfFamily = families.map((fam) => CONTENT_TYPE_NAMES.indexOf(fam.type));
  for (let o = 0; o < nObj; o++) {
    const sFamily = sampled.family[o]!;
    const fam = families[sFamily]!;
    const spec = fam.describe(sampled.ref[o]!);
    const beh = model.select(spec.path);
    familyStats[sFamily]!.originId ??= beh.origin.id;
    const bi = behaviorIndex.get(beh)!;
    if (behaviorOrigin[bi] === -1) {
      const originKey = simOriginKey(beh.origin);
      let oi = originIndex.get(originKey);
      if (oi === undefined) { oi = originBehavior.length; originBehavior.push(bi); originIndex.set(originKey, oi); }
      behaviorOrigin[bi] = oi;
    }
    objectBehavior[o] = bi;
    let a = assetIds.get(spec.asset);
    if (a === undefined) {
      a = assetTypes.length;
      assetIds.set(spec.asset, a);
      assetTypes.push(typeOfFamily[sFamily]!);
    }
    objectAsset[o] = a;
    const { ttl } = ttlFacts(bi, fam.type, methodFacts(beh, spec.method).cached);
    // Never-cached requests carry no cache state: simulate a thinned share of them.
    const thin = ttl < 0 ? Math.min(1, familyStats[sFamily]!.block * scale) : 1;
    const perSession = sampled.perSession[o]!;
    objectRange[o] = spec.rangeIndex;
    keyWeight[o] = sampled.weight[o]! / thin;
    if (sFamily < seedCount) objectRate[o] = sessionsPerSecond * perSession * thin;
    else {
      const rel = releaseObjects[releaseFams[sFamily - seedCount]!.release]!;
      rel.objects.push(o);
      rel.rates.push(peakSessions * perSession * thin);
    }
  }
  return {
    count: nObj, family: sampled.family.slice(0, nObj), ref: sampled.ref.slice(0, nObj), keyWeight, objectRate, objectRange, objectAsset, objectBehavior,
    behaviorOrigin, originBehavior: Int32Array.from(originBehavior), assets: assetTypes.length, assetType: Uint8Array.from(assetTypes),
    familyStats, sessionsPerSecond,
    releaseObjects: releaseObjects.map((r) => ({ objects: Int32Array.from(r.objects), rates: Float64Array.from(r.rates) })),
  };
}

/** A copy whose typed arrays live in SharedArrayBuffers: posted to worker threads without copying. */
export function toShared(s: SampledObjects): SampledObjects {
  const share = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => {
    const out = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
    out.set(a);
    return out;
  };
  return {
    ...s, family: share(s.family), ref: share(s.ref), keyWeight: share(s.keyWeight), objectRate: share(s.objectRate), objectRange: share(s.objectRange),
    objectAsset: share(s.objectAsset), objectBehavior: share(s.objectBehavior),
  };
}
