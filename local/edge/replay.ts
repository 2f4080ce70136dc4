/**
 * The local edge's caches driven by a request trace instead of HTTP: each record goes through its
 * edge location's cache and the shared regional cache with the plan's behaviors, cache keys and TTLs
 * (lib/semantics), and the origin's answer comes from a lookup function. Objects never change during
 * a replay, so an expired copy revalidates (304 → RefreshHit, spec §4.1). Used to evaluate warming on
 * a held-out window (lib/warming/evaluate.ts) quickly and deterministically.
 */
import { compileBehaviorSelector, computeCacheKey, resolveTtl } from '../../lib/semantics';
import type { AccessRecord } from '../../lib/warming/predict';
import type { DistributionModel, ModelBehavior } from '../../lib/distribution';
import type { ReplayResult, WindowReplay } from '../../lib/warming/evaluate';
import { CacheTiers, type CacheEntry } from './cache';

/** What the origin answers for a path (undefined: 404). */
export type ReplayOrigin = (path: string, query: string) => { readonly bytes: number; readonly cacheControl?: string } | undefined;

export interface EdgeReplayOptions {
  readonly pops?: readonly string[];
  /** @default 256 MiB */
  readonly popCapacityBytes?: number;
  /** @default 4 GiB */
  readonly regionalCapacityBytes?: number;
}

export class EdgeReplay implements WindowReplay {
  private tiers: CacheTiers;
  private readonly select: (path: string) => ModelBehavior | undefined;
  readonly originRequests = { count: 0, bytes: 0 };

  constructor(private readonly model: DistributionModel, private readonly origin: ReplayOrigin, private readonly opts: EdgeReplayOptions = {}) {
    this.select = compileBehaviorSelector(model.behaviors);
    this.tiers = this.newTiers();
  }

  private newTiers(): CacheTiers {
    return new CacheTiers(this.opts.pops ?? ['IAD89-C1', 'FRA56-C1'], this.opts.popCapacityBytes ?? 256 * 2 ** 20, this.opts.regionalCapacityBytes ?? 4 * 2 ** 30);
  }

  reset(): void {
    this.tiers = this.newTiers();
    this.originRequests.count = 0;
    this.originRequests.bytes = 0;
  }

  request(r: AccessRecord, headers: Readonly<Record<string, string>>): ReplayResult {
    return this.lookup(r.path, r.query, headers, r.edge ?? this.tiers.popNames()[0]!, r.timeSec);
  }

  warm(path: string, query: string, headers: Readonly<Record<string, string>>, edge: string, timeSec: number): void {
    this.lookup(path, query, headers, edge, timeSec);
  }

  private lookup(path: string, query: string, headers: Readonly<Record<string, string>>, pop: string, tSec: number): ReplayResult {
    const b = this.select(path) ?? this.model.defaultBehavior;
    const policy = b.cachePolicy;
    const answer = this.origin(path, query);
    if (policy.cachingDisabled) {
      this.originRequests.count++;
      return answer ? 'Miss' : 'Error';
    }
    const key = computeCacheKey(this.model.domainName, policy.key, { method: 'GET', path, query, headers: headers });
    const nowMs = tSec * 1000;
    const popCache = this.tiers.pop(pop);
    const found = popCache.get(key) ?? this.tiers.regional.get(key);
    if (found) {
      popCache.set(found);
      if (found.expiresAtMs > nowMs) return found.isError ? 'Error' : 'Hit';
      if (!answer || found.isError) {
        this.tiers.regional.delete(key);
        popCache.delete(key);
      } else {
        this.originRequests.count++;
        const ttl = resolveTtl(policy, { ...(answer.cacheControl !== undefined ? { cacheControl: answer.cacheControl } : {}) }, tSec);
        found.storedAtMs = nowMs;
        found.expiresAtMs = nowMs + ttl.ttl * 1000;
        return 'RefreshHit';
      }
    }
    this.originRequests.count++;
    if (!answer) return 'Error';
    this.originRequests.bytes += answer.bytes;
    const ttl = resolveTtl(policy, { ...(answer.cacheControl !== undefined ? { cacheControl: answer.cacheControl } : {}) }, tSec);
    if (ttl.cacheable) {
      const entry: CacheEntry = {
        key, uri: query ? `${path}?${query}` : path, tags: [], status: 200, headers: {}, body: Buffer.alloc(0),
        storedAtMs: nowMs, expiresAtMs: nowMs + ttl.ttl * 1000, staleOnError: false, noRevalidation: false, isError: false,
        sizeBytes: answer.bytes + key.length + 64,
      };
      this.tiers.regional.set(entry);
      popCache.set(entry);
    }
    return 'Miss';
  }
}
