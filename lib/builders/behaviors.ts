/**
 * Cache behaviors of the distribution as plain data, most specific pattern first (spec §1.2), and the
 * distribution-wide custom error responses derived from the catalog's error-caching TTLs.
 *
 * Builders are generic over `R`, the type of a reference to another resource (a Pulumi Output in the
 * components, a string in tests), so that this module stays free of Pulumi.
 */
import { ALLOWED_METHOD_LISTS, type Catalog, type OriginName, type RouteSpec } from '../catalog';
import type { OriginRouting } from '../routing/origin-routing';
import { MANAGED_ORIGIN_REQUEST_POLICIES } from '../semantics/managed-policies';
import { cachePolicyKey } from './cache-policies';
import { behaviorTargetId, isS3Origin } from './origins';
import { viewerFunctionKey } from './viewer-functions';

/** How behaviors refer to resources created elsewhere. */
export interface BehaviorRefs<R> {
  /** Id of the cache policy for a policy key from `cachePolicyKey`. */
  cachePolicyId(policyKey: string): R;
  responseHeadersPolicyId: R;
  trustedKeyGroupId: R;
  /** ARN of the viewer-request URL normalization function. */
  normalizeFunctionArn: R;
  /** ARN of the viewer-request function that normalizes and negotiates image variants (routes with `viewerFunction: 'image'`). */
  imageFunctionArn: R;
  /** ARN of a regional route's viewer-request function, by key (viewer-functions.ts); needed when routing is given. */
  regionalFunctionArn?(key: string): R;
  /** Id of the custom origin request policy that extends a managed one with the viewer country (viewer-functions.ts). */
  countryOriginRequestPolicyId?(managedName: string): R;
}

export interface BehaviorArgs<R> {
  readonly targetOriginId: string;
  readonly viewerProtocolPolicy: 'redirect-to-https';
  readonly allowedMethods: string[];
  readonly cachedMethods: string[];
  readonly compress: boolean;
  readonly cachePolicyId: R;
  readonly originRequestPolicyId: R | string;
  readonly responseHeadersPolicyId: R;
  readonly trustedKeyGroups?: R[];
  readonly functionAssociations?: { eventType: 'viewer-request'; functionArn: R }[];
}

export interface OrderedBehaviorArgs<R> extends BehaviorArgs<R> {
  readonly pathPattern: string;
}

/**
 * Managed origin request policy of a route: S3 routes forward the CORS request headers S3 expects,
 * cached custom routes the same for custom origins, and never-cached routes everything but Host.
 */
export function originRequestPolicyName(route: RouteSpec): 'CORS-S3Origin' | 'CORS-CustomOrigin' | 'AllViewerExceptHostHeader' {
  if (route.caching === 'disabled') return 'AllViewerExceptHostHeader';
  return isS3Origin(route.origin) ? 'CORS-S3Origin' : 'CORS-CustomOrigin';
}

/**
 * The behavior of a route. With `routing` (regional origins, lib/routing), a route whose origin has
 * regional copies gets the function that selects them and an origin request policy that forwards the
 * viewer country the function reads.
 */
export function buildBehavior<R>(route: RouteSpec, refs: BehaviorRefs<R>, routing: ReadonlyMap<OriginName, OriginRouting> = NO_ROUTING): BehaviorArgs<R> {
  const orpName = originRequestPolicyName(route);
  const regional = routing.has(route.origin);
  if (regional && (!refs.regionalFunctionArn || !refs.countryOriginRequestPolicyId)) {
    throw new Error(`route '${route.id}' is routed to regional origins but no regional function or origin request policy references were given`);
  }
  const fnKey = viewerFunctionKey(route, routing);
  return {
    targetOriginId: behaviorTargetId(route, groupedCustomOriginsOf(routing)),
    viewerProtocolPolicy: 'redirect-to-https',
    allowedMethods: [...ALLOWED_METHOD_LISTS[route.allowedMethods]],
    cachedMethods: ['GET', 'HEAD'],
    compress: route.compress,
    cachePolicyId: refs.cachePolicyId(cachePolicyKey(route)),
    originRequestPolicyId: regional ? refs.countryOriginRequestPolicyId!(orpName) : MANAGED_ORIGIN_REQUEST_POLICIES[orpName].id,
    responseHeadersPolicyId: refs.responseHeadersPolicyId,
    ...(route.signed ? { trustedKeyGroups: [refs.trustedKeyGroupId] } : {}),
    ...(fnKey !== undefined ? { functionAssociations: [{ eventType: 'viewer-request' as const, functionArn: viewerFunctionArn(fnKey, refs) }] } : {}),
  };
}

const NO_ROUTING: ReadonlyMap<OriginName, OriginRouting> = new Map();

/**
 * The custom origins with an origin group: those with copies in other Regions, which are exactly the
 * custom origins `routing` routes (a copy in another Region is the group's secondary, origins.ts
 * `customSecondaryRegion`).
 */
function groupedCustomOriginsOf(routing: ReadonlyMap<OriginName, OriginRouting>): ReadonlySet<OriginName> {
  return new Set([...routing.keys()].filter((o) => !isS3Origin(o)));
}

/** The one viewer-request function of a route, by key: the shared normalization or image function, or a regional one. */
function viewerFunctionArn<R>(key: string, refs: BehaviorRefs<R>): R {
  if (key === 'image') return refs.imageFunctionArn;
  if (key === 'normalize') return refs.normalizeFunctionArn;
  return refs.regionalFunctionArn!(key);
}

/** Ordered cache behaviors, one per catalog path pattern, most specific first. */
export function buildOrderedBehaviors<R>(catalog: Catalog, refs: BehaviorRefs<R>, routing?: ReadonlyMap<OriginName, OriginRouting>): OrderedBehaviorArgs<R>[] {
  return catalog.behaviors.map((b) => ({ pathPattern: b.pathPattern, ...buildBehavior(b.route, refs, routing) }));
}

/** The default (`*`) behavior: the settings of the catalog's default route (the app shell). */
export function buildDefaultBehavior<R>(catalog: Catalog, refs: BehaviorRefs<R>, routing?: ReadonlyMap<OriginName, OriginRouting>): BehaviorArgs<R> {
  return buildBehavior(catalog.defaultRoute, refs, routing);
}

export interface CustomErrorResponseArgs {
  readonly errorCode: number;
  readonly errorCachingMinTtl: number;
}

/**
 * Error caching is distribution-wide per status code (spec §3.4), while the catalog sets it per type:
 * each code gets the smallest TTL any type asks for, so no type serves an error longer than it wants.
 * Origins may still lengthen it per object with Cache-Control (spec §3.3).
 */
export function buildCustomErrorResponses(catalog: Catalog): CustomErrorResponseArgs[] {
  const byCode = new Map<number, number>();
  for (const t of catalog.types) {
    for (const [code, ttl] of Object.entries(t.errorCachingTtls)) {
      if (ttl === undefined) continue;
      const c = Number(code);
      byCode.set(c, Math.min(byCode.get(c) ?? Number.POSITIVE_INFINITY, ttl));
    }
  }
  return [...byCode.entries()].sort(([a], [b]) => a - b).map(([errorCode, errorCachingMinTtl]) => ({ errorCode, errorCachingMinTtl }));
}
