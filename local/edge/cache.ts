/**
 * The local edge's caches: one per edge location (POP) and one shared regional edge cache (spec §9.3),
 * each an LRU bounded in bytes holding one stored representation per cache key. Invalidation applies
 * lib/semantics `invalidationMatches` to every entry of every tier (spec §8.1, §8.2).
 */
import { invalidationMatches } from '../../lib/semantics';
import type { HitHeaderBlock } from './hit-headers';

/** One stored response (the representation served for a cache key, spec §6.1 "first cached variant wins"). */
export interface CacheEntry {
  readonly key: string;
  /** Path plus `?query` when query strings are part of the key: what invalidation paths match (spec §8.1). */
  readonly uri: string;
  /** Cache tags from the distribution's CacheTagConfig header, lower case (spec §8.2). */
  readonly tags: readonly string[];
  readonly status: number;
  /** Response headers to replay (lower-case names), without hop-by-hop and edge-generated headers. */
  headers: Record<string, string>;
  readonly body: Buffer;
  /** When the object was fetched from the origin (Age counts from here), epoch ms. */
  storedAtMs: number;
  /** End of freshness, epoch ms. */
  expiresAtMs: number;
  /** End of the stale-while-revalidate window, epoch ms (spec §2.3). */
  staleWhileRevalidateUntilMs?: number;
  /** End of the stale-if-error window, epoch ms (spec §2.3). */
  staleIfErrorUntilMs?: number;
  /** May an expired copy be served when the origin fails (spec §2.4)? */
  staleOnError: boolean;
  /** No conditional revalidation (cookies forwarded, spec §4.1). */
  readonly noRevalidation: boolean;
  /** The origin's validators, sent when revalidating (the served ETag may be weakened by compression, spec §6.3). */
  validators?: { etag?: string; lastModified?: string };
  /** The origin's Cache-Control, kept to recompute windows after a 304. */
  cacheControl?: string;
  /** An error response (cached per spec §3.3) rather than an object. */
  readonly isError: boolean;
  /** Size to account instead of the body's (replays store no bodies). */
  readonly sizeBytes?: number;
  /** The response headers of a hit, precomputed (./hit-headers.ts); rebuilt when `headers` is replaced. */
  hitHeaders?: HitHeaderBlock;
}

/** Approximate memory of an entry: body, key and headers. */
export function entryBytes(e: CacheEntry): number {
  if (e.sizeBytes !== undefined) return e.sizeBytes;
  let h = 0;
  for (const [k, v] of Object.entries(e.headers)) h += k.length + v.length;
  return e.body.length + e.key.length + h + 64;
}

/** An LRU cache bounded in bytes. An entry object may be shared by several tiers. */
export class EdgeCache {
  private readonly map = new Map<string, CacheEntry>();
  private readonly sizes = new Map<string, number>();
  private used = 0;
  /** The key last inserted or used, already last in the map's order: using it again reorders nothing. */
  private mru: string | undefined = undefined;
  /** Entries evicted to make room, since start. */
  evictions = 0;

  constructor(readonly name: string, readonly capacityBytes: number) {}

  get size(): number {
    return this.map.size;
  }

  get bytes(): number {
    return this.used;
  }

  /** The entry for a key, marked most recently used. */
  get(key: string): CacheEntry | undefined {
    const e = this.map.get(key);
    if (e !== undefined && key !== this.mru) {
      this.map.delete(key);
      this.map.set(key, e);
      this.mru = key;
    }
    return e;
  }

  /** The entry without touching recency. */
  peek(key: string): CacheEntry | undefined {
    return this.map.get(key);
  }

  set(entry: CacheEntry): void {
    const size = entryBytes(entry);
    this.delete(entry.key);
    if (size > this.capacityBytes) return;
    while (this.used + size > this.capacityBytes && this.map.size > 0) {
      const oldest = this.map.keys().next().value as string;
      this.delete(oldest);
      this.evictions++;
    }
    this.map.set(entry.key, entry);
    this.mru = entry.key;
    this.sizes.set(entry.key, size);
    this.used += size;
  }

  delete(key: string): boolean {
    if (!this.map.delete(key)) return false;
    if (key === this.mru) this.mru = undefined;
    this.used -= this.sizes.get(key) ?? 0;
    this.sizes.delete(key);
    return true;
  }

  /** Removes every entry matched by any item (paths, `path*` prefixes, `#tag`s); returns how many. */
  invalidate(items: readonly string[]): number {
    let n = 0;
    for (const e of [...this.map.values()]) {
      if (items.some((item) => invalidationMatches(item, e))) {
        this.delete(e.key);
        n++;
      }
    }
    return n;
  }

  entries(): IterableIterator<CacheEntry> {
    return this.map.values();
  }

  clear(): void {
    this.mru = undefined;
    this.map.clear();
    this.sizes.clear();
    this.used = 0;
  }
}

/** The cache hierarchy of the local edge: a cache per edge location in front of one regional cache. */
export class CacheTiers {
  readonly regional: EdgeCache;
  private readonly pops = new Map<string, EdgeCache>();

  constructor(popNames: readonly string[], readonly popCapacityBytes: number, regionalCapacityBytes: number) {
    this.regional = new EdgeCache('regional', regionalCapacityBytes);
    for (const p of popNames) this.pops.set(p, new EdgeCache(p, popCapacityBytes));
  }

  pop(name: string): EdgeCache {
    let c = this.pops.get(name);
    if (c === undefined) {
      c = new EdgeCache(name, this.popCapacityBytes);
      this.pops.set(name, c);
    }
    return c;
  }

  popNames(): string[] {
    return [...this.pops.keys()];
  }

  /** Applies an invalidation to every POP and the regional cache (spec §8.1); returns entries removed per tier. */
  invalidate(items: readonly string[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, c] of this.pops) out[name] = c.invalidate(items);
    out.regional = this.regional.invalidate(items);
    return out;
  }
}
