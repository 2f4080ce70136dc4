/**
 * Cache policies for the catalog's routes, as plain data. A managed policy is used where one has the
 * same TTLs and key; otherwise routes with identical settings share one custom policy, because an
 * account may hold only 20 custom cache policies (spec §5.2, §15.1).
 */
import type { Catalog, CacheKeySpec, RouteSpec } from '../catalog';
import type { CacheKeyPolicy } from '../semantics/cache-key';
import { MANAGED_CACHE_POLICIES } from '../semantics/managed-policies';

/** The semantics module's view of a route's cache key (what the edge and the simulator compute). */
export function toCacheKeyPolicy(key: CacheKeySpec): CacheKeyPolicy {
  return {
    headers: [...key.headers],
    cookies: key.cookies.length > 0 ? { behavior: 'whitelist', names: [...key.cookies] } : { behavior: 'none' },
    queryStrings: key.queryStrings.length > 0 ? { behavior: 'whitelist', names: [...key.queryStrings] } : { behavior: 'none' },
    enableAcceptEncodingGzip: key.acceptEncoding,
    enableAcceptEncodingBrotli: key.acceptEncoding,
  };
}

/** `aws.cloudfront.CachePolicyArgs`-shaped settings of a custom cache policy. */
export interface CustomCachePolicyArgs {
  readonly name: string;
  readonly comment: string;
  readonly minTtl: number;
  readonly defaultTtl: number;
  readonly maxTtl: number;
  readonly parametersInCacheKeyAndForwardedToOrigin: {
    readonly enableAcceptEncodingGzip: boolean;
    readonly enableAcceptEncodingBrotli: boolean;
    readonly headersConfig: { readonly headerBehavior: 'none' | 'whitelist'; readonly headers?: { readonly items: string[] } };
    readonly cookiesConfig: { readonly cookieBehavior: 'none' | 'whitelist'; readonly cookies?: { readonly items: string[] } };
    readonly queryStringsConfig: { readonly queryStringBehavior: 'none' | 'whitelist'; readonly queryStrings?: { readonly items: string[] } };
  };
}

/** One cache policy the distribution uses, and the routes that use it. */
export type CachePolicyPlan =
  | { readonly kind: 'managed'; readonly key: string; readonly managedName: string; readonly id: string; readonly routeIds: readonly string[] }
  | { readonly kind: 'custom'; readonly key: string; readonly args: CustomCachePolicyArgs; readonly routeIds: readonly string[] };

function sameKey(a: CacheKeyPolicy, b: CacheKeyPolicy): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The managed cache policy with exactly this route's TTLs and key, if there is one. */
export function managedPolicyFor(route: RouteSpec): { name: string; id: string } | undefined {
  if (route.caching === 'disabled') {
    const p = MANAGED_CACHE_POLICIES.CachingDisabled;
    return { name: p.name, id: p.id };
  }
  const key = toCacheKeyPolicy(route.cacheKey);
  for (const p of Object.values(MANAGED_CACHE_POLICIES)) {
    if (p.minTtl === route.ttl.minTtl && p.defaultTtl === route.ttl.defaultTtl && p.maxTtl === route.ttl.maxTtl && sameKey(p.key, key)) {
      return { name: p.name, id: p.id };
    }
  }
  return undefined;
}

function customArgs(route: RouteSpec, name: string, routeIds: readonly string[]): CustomCachePolicyArgs {
  const k = route.cacheKey;
  const list = (items: readonly string[]) => (items.length > 0 ? { items: [...items] } : undefined);
  return {
    name,
    comment: `media-cdn ${routeIds.join(', ')}: TTL ${route.ttl.minTtl}/${route.ttl.defaultTtl}/${route.ttl.maxTtl} s`.slice(0, 128),
    minTtl: route.ttl.minTtl,
    defaultTtl: route.ttl.defaultTtl,
    maxTtl: route.ttl.maxTtl,
    parametersInCacheKeyAndForwardedToOrigin: {
      enableAcceptEncodingGzip: k.acceptEncoding,
      enableAcceptEncodingBrotli: k.acceptEncoding,
      headersConfig: k.headers.length > 0 ? { headerBehavior: 'whitelist', headers: list(k.headers)! } : { headerBehavior: 'none' },
      cookiesConfig: k.cookies.length > 0 ? { cookieBehavior: 'whitelist', cookies: list(k.cookies)! } : { cookieBehavior: 'none' },
      queryStringsConfig: k.queryStrings.length > 0
        ? { queryStringBehavior: 'whitelist', queryStrings: list(k.queryStrings)! }
        : { queryStringBehavior: 'none' },
    },
  };
}

/** A stable identity of a route's caching settings: equal settings share a policy. */
export function cachePolicyKey(route: RouteSpec): string {
  const managed = managedPolicyFor(route);
  if (managed) return `managed:${managed.name}`;
  return JSON.stringify([route.ttl.minTtl, route.ttl.defaultTtl, route.ttl.maxTtl, toCacheKeyPolicy(route.cacheKey)]);
}

/**
 * The cache policies needed by every route of the catalog, managed first where they fit, identical
 * custom settings merged. `namePrefix` makes custom policy names unique in the account
 * (e.g. `media-cdn-prod`).
 */
export function planCachePolicies(catalog: Catalog, namePrefix: string): CachePolicyPlan[] {
  const groups = new Map<string, RouteSpec[]>();
  for (const route of catalog.routes) {
    const key = cachePolicyKey(route);
    groups.set(key, [...(groups.get(key) ?? []), route]);
  }
  return [...groups.entries()].map(([key, routes]): CachePolicyPlan => {
    const first = routes[0]!;
    const routeIds = routes.map((r) => r.id);
    const managed = managedPolicyFor(first);
    if (managed) return { kind: 'managed', key, managedName: managed.name, id: managed.id, routeIds };
    // Named after the shortest route id of the group: the type's main route where it is a member.
    const label = [...routeIds].sort((a, b) => a.length - b.length || a.localeCompare(b))[0]!;
    return { kind: 'custom', key, args: customArgs(first, `${namePrefix}-${label}`.slice(0, 128), routeIds), routeIds };
  });
}
