/**
 * The Cache-Control every origin sends for a route, computed from the catalog in one place: the S3
 * objects' `CacheControl` metadata (upload, tag and image scripts, local sample content) and the
 * dynamic origins' response header (local origins) all use `cacheControlFor`, and the simulator's
 * seed workload assumes the origins send it. CloudFront takes its stale windows from this header only
 * (spec §2.3; a cache policy has no field for them).
 */
import { compileBehaviorSelector } from '../semantics/path-pattern';
import type { Catalog } from './resolve';
import type { RouteSpec } from './types';

/**
 * `public, max-age=<default TTL>, stale-while-revalidate=<s>, stale-if-error=<s>` for a cached route
 * (`stale-while-revalidate` left out when 0; `stale-if-error=0` kept, since it stops CloudFront from
 * serving an expired copy on an origin error, spec §2.4); `private, no-store` for a never-cached one.
 */
export function cacheControlFor(route: Pick<RouteSpec, 'caching' | 'ttl' | 'staleWhileRevalidate' | 'staleIfError'>): string {
  if (route.caching === 'disabled') return 'private, no-store';
  return `public, max-age=${route.ttl.defaultTtl}, ${staleDirectives(route)}`;
}

/**
 * The stale-window directives of a cached route (`stale-while-revalidate=N, stale-if-error=M`, the
 * first left out when 0), for origins that compute their own freshness directives and add these;
 * '' for a never-cached route.
 */
export function staleDirectives(route: Pick<RouteSpec, 'caching' | 'staleWhileRevalidate' | 'staleIfError'>): string {
  if (route.caching === 'disabled') return '';
  const parts: string[] = [];
  if (route.staleWhileRevalidate > 0) parts.push(`stale-while-revalidate=${route.staleWhileRevalidate}`);
  parts.push(`stale-if-error=${route.staleIfError}`);
  return parts.join(', ');
}

const selectors = new WeakMap<Catalog, (path: string) => RouteSpec | undefined>();

/** The route a path is served by (first-match over the catalog's behaviors, spec §1.2; the default route otherwise). */
export function routeForPath(catalog: Catalog, path: string): RouteSpec {
  let select = selectors.get(catalog);
  if (select === undefined) {
    const s = compileBehaviorSelector(catalog.behaviors);
    select = (p: string) => s(p)?.route;
    selectors.set(catalog, select);
  }
  return select(path.startsWith('/') ? path : `/${path}`) ?? catalog.defaultRoute;
}

/** The Cache-Control for the object at `path` (an S3 key or a URL path). */
export function cacheControlForPath(catalog: Catalog, path: string): string {
  return cacheControlFor(routeForPath(catalog, path));
}
