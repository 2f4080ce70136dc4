/**
 * Builds the simulated key space from the workload families and a plan:
 * 1. sampling (`--scale`): objects are visited most popular first in blocks of ⌈1/scale⌉ neighbours;
 *    each block keeps one object, chosen with probability proportional to its request rate, which is
 *    simulated at its full request rate and counts for the whole block (weight = block rate / its
 *    rate). Per-object — and so per-edge — request rates stay exactly those of the full workload;
 *    caches are shrunk by the same factor (spatial sampling, Waldspurger et al., "Efficient MRC
 *    Construction with SHARDS", FAST '15). Families with few objects keep at least
 *    `minObjectsPerFamily` of them. Never-cached requests are thinned instead (no cache state).
 * 2. semantics: each sampled object's behavior (path-pattern matching), TTL (resolveTtl), cache keys
 *    per viewer Accept-Encoding (computeCacheKey, so keys collapse exactly as CloudFront's do),
 *    compression (compressionDecision) and invalidation matches (invalidationMatches) come from
 *    lib/semantics once per object; the hot loop only reads the results from typed arrays.
 * 3. releases (optional, ./releases.ts): the objects of a release manifest's new episodes, sampled
 *    like families and requested from their release time on (arrivals.ts), on top of the calibrated
 *    seed traffic.
 */
import { CONTENT_TYPE_NAMES, type ContentTypeName } from '../../lib/catalog';
import { InputError } from '../../lib/errors';
import { computeCacheKey, selectedQueryParams } from '../../lib/semantics/cache-key';
import { compressionDecision } from '../../lib/semantics/compression';
import { invalidationMatches } from '../../lib/semantics/invalidation';
import type { SimBehavior, SimModel, SimOrigin } from '../plan-model';
import type { WorkloadProfile } from '../profile';
import type { Family } from './families';
import { DEFAULT_SIMULATED_DAY_EPOCH_SEC, releasePeakSessions, type WorkloadRelease } from './releases';
import { behaviorsOf, methodFacts, sampleObjects, ttlFactsOf, workloadFamilies, type SampleOptions, type SampledObjects } from './sample';
import { shardOfAsset, type Shard } from './shard-of';
import { buildTopology, type Topology } from './topology';

/** Distinct Accept-Encoding classes a key space distinguishes (profile.acceptEncodings, at most 4). */
export const MAX_AE_CLASSES = 4;

/** Per-key facts the engine reads in its hot loop. */
export interface KeySpace {
  readonly count: number;
  /** Bytes served to viewers for one request (the compressed size when compressed). */
  readonly size: Float64Array;
  /** Bytes the origin sends when the key is filled (uncompressed). */
  readonly originSize: Float64Array;
  /** Freshness lifetime in seconds; -1 when never cached (proxied to the origin). */
  readonly ttl: Float64Array;
  /** 1 when an expired copy is revalidated with a conditional request (no cookies in the key, spec §4.1). */
  readonly revalidates: Uint8Array;
  readonly asset: Int32Array;
  /** Content-type index (CONTENT_TYPE_NAMES order). */
  readonly type: Uint8Array;
  /** Behavior index (ordered behaviors, then the default). */
  readonly behavior: Uint8Array;
  /** Origin index into Workload.origins. */
  readonly origin: Uint8Array;
  /** Full-scale requests one simulated request stands for. */
  readonly weight: Float64Array;
  /** 1 for GET/HEAD (counted by CacheHitRate); 0 for POST and other proxied methods. */
  readonly cacheableMethod: Uint8Array;
  /** Viewer-request function invocations per request. */
  readonly functions: Uint8Array;
  readonly compressed: Uint8Array;
  /**
   * Seconds after expiry during which a stale copy is served at once and revalidated in the
   * background (`stale-while-revalidate`, capped by MaxTTL, spec §2.3). @default 0 for every key
   */
  readonly staleWhileRevalidate?: Float64Array;
  /** Seconds after expiry during which a stale copy is served when the origin fails (`stale-if-error`). @default 0 */
  readonly staleIfError?: Float64Array;
  /**
   * What a video key is to a player (VIDEO_ROLE_*): a manifest, the first segment of a rendition, a
   * later segment; VIDEO_ROLE_NONE for every other key. The engine keeps a TTFB histogram per viewer
   * region and role (simulator/video). @default VIDEO_ROLE_NONE for every key
   */
  readonly videoRole?: Uint8Array;
}

/** KeySpace.videoRole values. */
export const VIDEO_ROLE_NONE = 0, VIDEO_ROLE_MANIFEST = 1, VIDEO_ROLE_FIRST_SEGMENT = 2, VIDEO_ROLE_SEGMENT = 3;

/** The player role of an object of a content type (KeySpace.videoRole). */
export function videoRoleOf(type: ContentTypeName, spec: { readonly rangeIndex: number; readonly compressionFamily?: string }): number {
  if (type !== 'video') return VIDEO_ROLE_NONE;
  if (spec.compressionFamily === 'manifest') return VIDEO_ROLE_MANIFEST;
  if (spec.rangeIndex === 0) return VIDEO_ROLE_FIRST_SEGMENT;
  return spec.rangeIndex > 0 ? VIDEO_ROLE_SEGMENT : VIDEO_ROLE_NONE;
}

export interface FamilySummary {
  readonly name: string;
  readonly type: ContentTypeName;
  readonly objects: number;
  readonly sampled: number;
  readonly blockSize: number;
  /** Full-scale average requests per second. */
  readonly requestsPerSecond: number;
  /** Full-scale average bytes per second (uncompressed bodies). */
  readonly bytesPerSecond: number;
  readonly assets: number;
  readonly itemsPerUpdate: number;
  /** Bytes of all the family's objects at full scale (what its origin stores). */
  readonly storedBytes: number;
  /** The origin (SimOrigin id) that serves the family's objects, when any was sampled. */
  readonly originId?: string;
}

export interface Workload {
  readonly seed: number;
  readonly scale: number;
  readonly profile: WorkloadProfile;
  readonly model: SimModel;
  readonly topology: Topology;
  readonly origins: readonly SimOrigin[];
  readonly behaviors: readonly SimBehavior[];
  readonly families: readonly FamilySummary[];
  /** Playback sessions per second at full scale (calibrated to profile.averageGbps). */
  readonly sessionsPerSecond: number;
  readonly keys: KeySpace;
  readonly objects: number;
  /** Simulated average request rate of each object (req/s, already thinned); 0 for release objects (see `releases`). */
  readonly objectRate: Float64Array;
  /** Byte-range index of each object (the seed's video segments), -1 for whole objects. */
  readonly objectRange: Int32Array;
  /** Releases of the release manifest, their objects and peak rates. */
  readonly releases: readonly WorkloadRelease[];
  /** Epoch seconds of simulated time 0 (release times are converted with it). */
  readonly simulatedDayEpochSec: number;
  /** Key of object o for Accept-Encoding class c: objectKeys[o * MAX_AE_CLASSES + c] (-1 for another shard's object). */
  readonly objectKeys: Int32Array;
  /** Asset of each object. */
  readonly objectAsset: Int32Array;
  /** The shard whose keys were built (WorkloadOptions.shard), when not every object's. */
  readonly shard?: Shard;
  readonly assets: number;
  readonly assetType: Uint8Array;
  /** Keys removed when asset a is invalidated: invalidKeys[invalidStart[a] .. invalidStart[a + 1]). */
  readonly invalidStart: Int32Array;
  readonly invalidKeys: Int32Array;
  /** A sample path per key, for traces, logs and debugging: computed on first use (a string per key). */
  readonly keyPath: readonly string[];
}

export interface WorkloadOptions extends SampleOptions {
  /**
   * Build the cache keys of one shard's objects only (simulator/shard.ts; the other objects are sampled
   * and counted alike but get no keys: objectKeys -1). @default every object
   */
  readonly shard?: Shard;
  /** Epoch seconds of simulated time 0, to place the releases. @default 2025-11-24T00:00:00Z */
  readonly simulatedDayEpochSec?: number;
  /**
   * The sampled objects, built before with the same model and sampling options (`sampleObjects`, e.g.
   * once for all the shards of a `--workers` run). @default sampled here
   */
  readonly objects?: SampledObjects;
}

/** Per-key columns, grown as keys are added (most objects have one key: the Accept-Encoding classes collapse). */
function keyColumns(cap: number) {
  return {
    size: new Float64Array(cap), originSize: new Float64Array(cap), ttl: new Float64Array(cap), revalidates: new Uint8Array(cap),
    asset: new Int32Array(cap), type: new Uint8Array(cap), behavior: new Uint8Array(cap), origin: new Uint8Array(cap),
    weight: new Float64Array(cap), cacheableMethod: new Uint8Array(cap), functions: new Uint8Array(cap), compressed: new Uint8Array(cap),
    staleWhileRevalidate: new Float64Array(cap), staleIfError: new Float64Array(cap), videoRole: new Uint8Array(cap),
    /** The object a key was made for (its path, computed when asked: Workload.keyPath). */
    object: new Int32Array(cap),
  };
}
type KeyColumns = ReturnType<typeof keyColumns>;

function growKeyColumns(k: KeyColumns, cap: number): KeyColumns {
  const out = keyColumns(cap);
  for (const name of Object.keys(k) as (keyof KeyColumns)[]) (out[name] as Float64Array).set(k[name]);
  return out;
}

/** Validates the options that come from the command line. */
export function validateWorkloadOptions(o: { scale: number; seed: number }): void {
  const problems: string[] = [];
  if (!(o.scale > 0 && o.scale <= 1)) problems.push(`--scale must be a number in (0, 1], got ${o.scale}; e.g. --scale 0.01 simulates 1 % of the objects.`);
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff) problems.push(`--seed must be a whole number from 0 to 4294967295, got ${o.seed}.`);
  if (problems.length > 0) throw new InputError(problems);
}

export function buildWorkload(model: SimModel, opts: WorkloadOptions): Workload {
  validateWorkloadOptions(opts);
  const { profile, seed, scale } = opts;
  const topology = buildTopology(profile, model.priceClass);
  const fams = workloadFamilies(model, opts);
  const { families, seedCount } = fams;
  // 1. sample, and resolve each object's behavior, origin, asset and rate (./sample.ts), unless given
  const s = opts.objects ?? sampleObjects(model, opts, fams);
  if (s.familyStats.length !== families.length) throw new RangeError(`the sampled objects are of ${s.familyStats.length} families, the workload has ${families.length}; sample them with the same model, seed, profile and releases.`);
  const { familyStats, sessionsPerSecond } = s;

  // 2. per object of the shard: keys, compression, invalidation matches — through lib/semantics
  const behaviors = behaviorsOf(model);
  const origins = Array.from(s.originBehavior, (bi) => behaviors[bi]!.origin);
  const ttlFacts = ttlFactsOf(model, behaviors, opts.originCacheControl);
  const nObj = s.count;
  const nAe = Math.min(MAX_AE_CLASSES, profile.acceptEncodings.length);
  const objectKeys = new Int32Array(nObj * MAX_AE_CLASSES).fill(-1);
  const peakSessions = releasePeakSessions(profile, sessionsPerSecond);
  const dayEpoch = opts.simulatedDayEpochSec ?? DEFAULT_SIMULATED_DAY_EPOCH_SEC;
  // per asset of the shard: the invalidation items of its first object, and its objects
  const assetItems = new Map<number, readonly string[]>();
  const assetObjects = new Map<number, number[]>();
  // objects whose URI an item of their asset's invalidations matches (spec §8.1)
  const invalidated = new Uint8Array(nObj);
  const objectAsset = s.objectAsset;
  const shard = opts.shard !== undefined && opts.shard.count > 1 ? opts.shard : undefined;
  // about 1.05 keys per object (of the shard's share of them)
  let k = keyColumns(Math.ceil((nObj * 1.05) / (shard?.count ?? 1)) + 1024);
  // Which Accept-Encoding classes share a key, per behavior: the key's header and Accept-Encoding parts
  // depend on the behavior's cache policy and the header only (lib/semantics/cache-key cacheKeyParts),
  // never on the path, query or method, so the classes collapse alike for all of a behavior's objects.
  // sameKeyAs[bi][c]: the first class whose key class c's equals (c itself when the first).
  const sameKeyAs: (Int8Array | undefined)[] = new Array(behaviors.length);
  const classesOf = (bi: number, spec: { method: string; path: string; query: string }): Int8Array => {
    const beh = behaviors[bi]!;
    const keyStrings = Array.from({ length: nAe }, (_, c) => computeCacheKey('sim', beh.key, { method: spec.method, path: spec.path, query: spec.query, headers: { 'accept-encoding': profile.acceptEncodings[c]!.header }, httpVersion: '2' }));
    return Int8Array.from(keyStrings, (ks) => keyStrings.indexOf(ks));
  };
  let nKeys = 0;
  for (let o = 0; o < nObj; o++) {
    const a = objectAsset[o]!;
    // another shard's object: sampled, rated and counted, but no keys here
    if (shard !== undefined && shardOfAsset(a, shard.count) !== shard.index) continue;
    const fam = families[s.family[o]!]!;
    const spec = fam.describe(s.ref[o]!);
    const bi = s.objectBehavior[o]!;
    const beh = behaviors[bi]!;
    const oi = s.behaviorOrigin[bi]!;
    const typeIdx = CONTENT_TYPE_NAMES.indexOf(fam.type);
    let items = assetItems.get(a);
    if (items === undefined) {
      items = spec.invalidationItems;
      assetItems.set(a, items);
      assetObjects.set(a, []);
    }
    assetObjects.get(a)!.push(o);
    const { cacheableMethod, cached } = methodFacts(beh, spec.method);
    const { ttl, swr, sie } = ttlFacts(bi, fam.type, cached);
    if (items.length > 0) {
      const keyed = selectedQueryParams(beh.key, spec.query);
      const uri = keyed.length > 0 ? `${spec.path}?${keyed.map(([n, v]) => `${n}=${v}`).join('&')}` : spec.path;
      if (items.some((item) => invalidationMatches(item, { uri }))) invalidated[o] = 1;
    }
    const classes = (sameKeyAs[bi] ??= classesOf(bi, spec));
    for (let c = 0; c < nAe; c++) {
      const header = profile.acceptEncodings[c]!.header;
      const same = classes[c]!;
      let key = same < c ? objectKeys[o * MAX_AE_CLASSES + same]! : -1;
      if (key < 0) {
        key = nKeys++;
        if (key === k.size.length) k = growKeyColumns(k, Math.ceil(key * 1.25));
        const comp = compressionDecision({
          behaviorCompress: beh.compress, policyGzip: beh.key.enableAcceptEncodingGzip, policyBrotli: beh.key.enableAcceptEncodingBrotli,
          cachingDisabled: beh.cachingDisabled, httpVersion: '2', acceptEncoding: header, contentLength: spec.size, status: 200,
          contentType: spec.mediaType, isRangeResponse: spec.rangeIndex >= 0,
        });
        const ratio = comp.compress && comp.encoding ? profile.compressionRatio[spec.compressionFamily ?? 'json'][comp.encoding] : 1;
        k.size[key] = Math.max(1, Math.round(spec.size * ratio));
        k.originSize[key] = spec.size;
        k.compressed[key] = comp.compress ? 1 : 0;
        k.ttl[key] = ttl;
        k.staleWhileRevalidate[key] = swr;
        k.staleIfError[key] = sie;
        k.revalidates[key] = beh.key.cookies.behavior === 'none' ? 1 : 0;
        k.asset[key] = a;
        k.type[key] = typeIdx;
        k.behavior[key] = bi;
        k.origin[key] = oi;
        k.weight[key] = s.keyWeight[o]!;
        k.cacheableMethod[key] = cacheableMethod ? 1 : 0;
        k.functions[key] = beh.functionCount;
        k.videoRole[key] = videoRoleOf(fam.type, spec);
        k.object[key] = o;
      }
      objectKeys[o * MAX_AE_CLASSES + c] = key;
    }
  }

  // 3. invalidation targets per asset, matched with the semantics module's rule (spec §8.1)
  const nAssets = s.assets;
  const invalidStart = new Int32Array(nAssets + 1);
  const list: number[] = [];
  for (let a = 0; a < nAssets; a++) {
    invalidStart[a] = list.length;
    const items = assetItems.get(a);
    if (items === undefined || items.length === 0) continue;
    for (const o of assetObjects.get(a)!) {
      if (invalidated[o] !== 1) continue;
      const added = new Set<number>();
      for (let c = 0; c < nAe; c++) {
        const key = objectKeys[o * MAX_AE_CLASSES + c]!;
        if (!added.has(key)) { added.add(key); list.push(key); }
      }
    }
  }
  invalidStart[nAssets] = list.length;

  // little slack (the columns grow by a quarter): views, not copies
  const trim = <T extends Float64Array | Uint8Array | Int32Array>(arr: T): T => arr.subarray(0, nKeys) as T;
  const keys: KeySpace = {
    count: nKeys, size: trim(k.size), originSize: trim(k.originSize), ttl: trim(k.ttl), revalidates: trim(k.revalidates),
    asset: trim(k.asset), type: trim(k.type), behavior: trim(k.behavior), origin: trim(k.origin), weight: trim(k.weight),
    cacheableMethod: trim(k.cacheableMethod), functions: trim(k.functions), compressed: trim(k.compressed),
    staleWhileRevalidate: trim(k.staleWhileRevalidate), staleIfError: trim(k.staleIfError), videoRole: trim(k.videoRole),
  };
  // release families: rates at their peak
  const familySummaries: FamilySummary[] = families.map((fam: Family, f) => {
    const sessions = f < seedCount ? sessionsPerSecond : peakSessions;
    return {
      name: fam.name, type: fam.type, objects: fam.count, sampled: familyStats[f]!.sampled, blockSize: familyStats[f]!.block,
      requestsPerSecond: familyStats[f]!.perSession * sessions, bytesPerSecond: familyStats[f]!.bytesPerSession * sessions,
      assets: fam.assets, itemsPerUpdate: fam.itemsPerUpdate, storedBytes: familyStats[f]!.storedBytes,
      ...(familyStats[f]!.originId !== undefined ? { originId: familyStats[f]!.originId } : {}),
    };
  });
  // what the key paths are computed from, when asked
  const keyObject = k.object.slice(0, nKeys);
  const objectFamily = s.family, objectRef = s.ref;
  let keyPath: string[] | undefined;
  const releases: WorkloadRelease[] = (opts.releases ?? []).map((r, i) => ({
    title: r.title ?? `release ${i + 1}`, at: r.releaseAtSec - dayEpoch,
    objects: s.releaseObjects[i]!.objects, peakRate: s.releaseObjects[i]!.rates,
  }));
  return {
    seed, scale, profile, model, topology, origins, behaviors, families: familySummaries, sessionsPerSecond, keys, objects: nObj, objectRate: s.objectRate, objectRange: s.objectRange,
    releases, simulatedDayEpochSec: dayEpoch, objectKeys, objectAsset, ...(shard ? { shard } : {}),
    assets: nAssets, assetType: s.assetType, invalidStart, invalidKeys: Int32Array.from(list),
    get keyPath() {
      keyPath ??= Array.from({ length: nKeys }, (_, key) => {
        const o = keyObject[key]!;
        const spec = families[objectFamily[o]!]!.describe(objectRef[o]!);
        return spec.query ? `${spec.path}?${spec.query}` : spec.path;
      });
      return keyPath;
    },
  };
}

