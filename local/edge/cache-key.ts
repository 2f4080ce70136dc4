/**
 * The cache key of a request as the edge computes it (spec §5, lib/semantics `computeCacheKey`) and
 * the URI stored with an entry, which invalidation paths are matched against (spec §8.1).
 */
import { computeCacheKey, selectedQueryParams, type CacheKeyPolicy } from '../../lib/semantics';
import { joinQuery, viewerHttpVersion } from './http';
import type { RequestCtx } from './request-context';

/** The cache key of a request after the viewer-request function; `queryString` is its joined query. */
export function requestCacheKey(domainName: string, key: CacheKeyPolicy, ctx: Pick<RequestCtx, 'method' | 'uri' | 'headers' | 'httpVersion'>, queryString: string): string {
  return computeCacheKey(domainName, key, {
    method: ctx.method, path: ctx.uri, query: queryString, headers: ctx.headers, httpVersion: viewerHttpVersion(ctx.httpVersion),
  });
}

/** Path plus `?query` of the key's query parameters when query strings are part of the key (what invalidation paths match). */
export function invalidationUri(key: CacheKeyPolicy, uri: string, queryString: string): string {
  const keyQuery = key.queryStrings.behavior === 'none' || queryString === '' ? '' : joinQuery(selectedQueryParams(key, queryString));
  return keyQuery ? `${uri}?${keyQuery}` : uri;
}
