/**
 * Freshness of stored entries (lib/semantics TTL rules): TTL and stale windows from the cache policy
 * and the origin's Cache-Control/Expires (spec §2), whether a stored copy may be served without the
 * origin (fresh, or within stale-while-revalidate, spec §2.3), refreshing a copy the origin answered
 * 304 for (spec §4.1), and serving a stale copy when the origin fails (spec §2.3, §2.4).
 */
import {
  mayServeStaleOnOriginError, parseCacheControl, resolveTtlFromParsed, staleWindows, DEFAULT_ERROR_CACHING_MIN_TTL,
} from '../../lib/semantics';
import type { DistributionModel, ModelCachePolicy } from '../../lib/distribution';
import type { CacheEntry } from './cache';
import type { OriginResponse } from './origin-client';

/**
 * Sets an entry's freshness as of `now` (epoch ms): stored time, expiry (0 s for `Vary: *` unless the
 * policy's MinTTL is set), the stale-while-revalidate and stale-if-error windows and whether it may be
 * served stale on origin errors. Returns false, changing nothing, when the response is not cacheable.
 */
export function setFreshness(e: CacheEntry, policy: ModelCachePolicy, cacheControl: string | undefined, expires: string | undefined, now: number, vary: string | undefined): boolean {
  const cc = parseCacheControl(cacheControl);
  const d = resolveTtlFromParsed(policy, cc, expires, now / 1000);
  if (!d.cacheable) return false;
  const varyStar = vary !== undefined && vary.split(',').some((v) => v.trim() === '*') && policy.minTtl === 0;
  const ttl = varyStar ? 0 : d.ttl;
  e.storedAtMs = now;
  e.expiresAtMs = now + ttl * 1000;
  e.cacheControl = cacheControl;
  const w = staleWindows(policy, cc, { storedAtSec: now / 1000, expiresAtSec: now / 1000 + ttl });
  e.staleWhileRevalidateUntilMs = w.staleWhileRevalidateUntil === undefined ? undefined : w.staleWhileRevalidateUntil * 1000;
  e.staleIfErrorUntilMs = w.staleIfErrorUntil === undefined ? undefined : w.staleIfErrorUntil * 1000;
  e.staleOnError = mayServeStaleOnOriginError(policy, cc);
  return true;
}

/** May a stored copy be served at `now` without going to the origin: fresh, or within stale-while-revalidate? */
export function isServable(e: CacheEntry, now: number): boolean {
  return e.expiresAtMs > now || (e.staleWhileRevalidateUntilMs ?? 0) > now;
}

/** The more recently stored of two copies (the POP's on a tie), or the one there is. */
export function newestOf(atPop: CacheEntry | undefined, atRegion: CacheEntry | undefined): CacheEntry | undefined {
  return atPop && atRegion ? (atPop.storedAtMs >= atRegion.storedAtMs ? atPop : atRegion) : atPop ?? atRegion;
}

/**
 * After a 304 (spec §4.1): takes the origin's new Cache-Control and Expires into the stored copy and
 * recomputes its freshness. The copy gets a new header record, so that headers precomputed from the
 * old one (hit-headers.ts) are rebuilt.
 */
export function refreshAfterNotModified(stale: CacheEntry, originHeaders: Readonly<Record<string, string>>, policy: ModelCachePolicy, now: number): void {
  stale.headers = { ...stale.headers };
  for (const h of ['cache-control', 'expires']) if (originHeaders[h] !== undefined) stale.headers[h] = originHeaders[h]!;
  setFreshness(stale, policy, stale.headers['cache-control'], stale.headers.expires, now, stale.headers.vary);
}

/**
 * Origin failure or 5xx with a stored copy (spec §2.3, §2.4): is the stale copy served instead? Within
 * its stale-if-error window; or, without one, when it may be served stale on errors and MaxTTL has not
 * run out since it was stored — then it stays fresh for the error caching minimum TTL (at most to MaxTTL).
 */
export function serveStaleOnError(stale: CacheEntry, r: OriginResponse, policy: ModelCachePolicy,
  customErrorResponses: DistributionModel['customErrorResponses'], now: number): boolean {
  if (stale.isError || (r.failure === undefined && r.status < 500)) return false;
  const maxTtlEnd = stale.storedAtMs + policy.maxTtl * 1000;
  if (stale.staleIfErrorUntilMs !== undefined) return now < stale.staleIfErrorUntilMs;
  if (stale.staleOnError && now < maxTtlEnd) {
    const ecmt = customErrorResponses.get(r.status)?.errorCachingMinTtl ?? DEFAULT_ERROR_CACHING_MIN_TTL;
    stale.expiresAtMs = Math.min(now + ecmt * 1000, maxTtlEnd);
    return true;
  }
  return false;
}
