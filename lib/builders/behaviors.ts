/**
 * Cache behaviors of the distribution as plain data, most specific pattern first (spec §1.2), and the
 * distribution-wide custom error responses derived from the catalog's error-caching TTLs.
 *
 * Builders are generic over `R`, the type of a reference to another resource (a Pulumi Output in the
 * components, a string in tests), so that this module stays free of Pulumi.
 */
import { ALLOWED_METHOD_LISTS, type Catalog, type RouteSpec } from '../catalog';
import { MANAGED_ORIGIN_REQUEST_POLICIES } from '../semantics/managed-policies';
import { cachePolicyKey } from './cache-policies';
import { behaviorTargetId, isS3Origin } from './origins';

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
}

export interface BehaviorArgs<R> {
  readonly targetOriginId: string;
  readonly viewerProtocolPolicy: 'redirect-to-https';
  readonly allowedMethods: string[];
  readonly cachedMethods: string[];
  readonly compress: boolean;
  readonly cachePolicyId: R;
  readonly originRequestPolicyId: string;
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

export function buildBehavior<R>(route: RouteSpec, refs: BehaviorRefs<R>): BehaviorArgs<R> {
  const orp = MANAGED_ORIGIN_REQUEST_POLICIES[originRequestPolicyName(route)];
  return {
    targetOriginId: behaviorTargetId(route.origin),
    viewerProtocolPolicy: 'redirect-to-https',
    allowedMethods: [...ALLOWED_METHOD_LISTS[route.allowedMethods]],
    cachedMethods: ['GET', 'HEAD'],
    compress: route.compress,
    cachePolicyId: refs.cachePolicyId(cachePolicyKey(route)),
    originRequestPolicyId: orp.id,
    responseHeadersPolicyId: refs.responseHeadersPolicyId,
    ...(route.signed ? { trustedKeyGroups: [refs.trustedKeyGroupId] } : {}),
    ...(route.normalizeUrl ? { functionAssociations: [{ eventType: 'viewer-request' as const, functionArn: viewerFunctionArn(route, refs) }] } : {}),
  };
}

/** The one viewer-request function of a normalizing route: the image negotiation one or the plain normalization. */
function viewerFunctionArn<R>(route: RouteSpec, refs: BehaviorRefs<R>): R {
  return route.viewerFunction === 'image' ? refs.imageFunctionArn : refs.normalizeFunctionArn;
}

/** Ordered cache behaviors, one per catalog path pattern, most specific first. */
export function buildOrderedBehaviors<R>(catalog: Catalog, refs: BehaviorRefs<R>): OrderedBehaviorArgs<R>[] {
  return catalog.behaviors.map((b) => ({ pathPattern: b.pathPattern, ...buildBehavior(b.route, refs) }));
}

/** The default (`*`) behavior: the settings of the catalog's default route (the app shell). */
export function buildDefaultBehavior<R>(catalog: Catalog, refs: BehaviorRefs<R>): BehaviorArgs<R> {
  return buildBehavior(catalog.defaultRoute, refs);
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
