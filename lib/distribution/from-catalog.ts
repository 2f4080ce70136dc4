/**
 * A distribution model from the built-in catalog and stack outputs, for scripts given only
 * `--outputs` (no plan): behaviors, cache keys and TTLs from the catalog, the domain and buckets
 * from the outputs, origins and origin groups as the program builds them.
 */
import { toCacheKeyPolicy } from '../builders/cache-policies';
import { behaviorTargetId, failoverStatusCodes, IMAGE_FALLBACK_ORIGIN_ID, isS3Origin, originGroupId, primaryOriginId, secondaryMemberId } from '../builders/origins';
import { S3_ORIGINS, type Catalog, type OriginName } from '../catalog';
import type { StackOutputs } from '../outputs';
import { managedCachePolicy, type ModelCachePolicy } from './cache-policy';
import type { DistributionModel, ModelBehavior, ModelOrigin, ModelOriginGroup } from './model';
import { MANAGED_CACHE_POLICIES } from '../semantics/managed-policies';

/** Marker key group id used by {@link distributionModelFromCatalog} for signed routes (no plan, no keys). */
export const CATALOG_KEY_GROUP = 'catalog-signed-routes';

/**
 * A model from the built-in catalog and stack outputs, for scripts given only `--outputs`: behaviors,
 * cache keys and TTLs come from the catalog (stack-config overrides are unknown without a plan),
 * the domain and buckets from the outputs. Errors, keys, functions and the price class are not modelled.
 */
export function distributionModelFromCatalog(catalog: Catalog, outputs: StackOutputs, aliases: readonly string[] = []): DistributionModel {
  const policyFor = (route: Catalog['routes'][number]): ModelCachePolicy => {
    if (route.caching === 'disabled') return managedCachePolicy(MANAGED_CACHE_POLICIES.CachingDisabled.id)!;
    return { kind: 'custom', id: `catalog:${route.id}`, name: route.id, ...route.ttl, key: toCacheKeyPolicy(route.cacheKey), cachingDisabled: route.ttl.maxTtl === 0 };
  };
  const toBehavior = (route: Catalog['routes'][number], pathPattern: string): ModelBehavior => ({
    pathPattern,
    isDefault: pathPattern === '*',
    // custom origins' groups depend on stack config the outputs do not carry: they target the origin itself
    targetOriginId: behaviorTargetId(route),
    viewerProtocolPolicy: 'redirect-to-https',
    allowedMethods: ['GET', 'HEAD'],
    cachedMethods: ['GET', 'HEAD'],
    compress: route.compress,
    cachePolicy: policyFor(route),
    trustedKeyGroupIds: route.signed ? [CATALOG_KEY_GROUP] : [],
    functions: [],
  });
  const origins = new Map<string, ModelOrigin>();
  const originGroups = new Map<string, ModelOriginGroup>();
  for (const o of S3_ORIGINS) {
    const b = (outputs.buckets as Record<string, { name: string; replicaName?: string } | undefined>)[o];
    if (!b) continue;
    origins.set(primaryOriginId(o), { id: primaryOriginId(o), domainName: `${b.name}.s3.amazonaws.com`, kind: 's3', bucket: b.name });
    // The same members and failover statuses as the program builds (the images group fails over to the fallback origin).
    const secondary = secondaryMemberId(o);
    if (secondary === IMAGE_FALLBACK_ORIGIN_ID) origins.set(secondary, { id: secondary, domainName: 'images-fallback.lambda-url.on.aws', kind: 'custom' });
    else if (b.replicaName) origins.set(secondary, { id: secondary, domainName: `${b.replicaName}.s3.amazonaws.com`, kind: 's3', bucket: b.replicaName });
    originGroups.set(originGroupId(o), { id: originGroupId(o), primaryOriginId: primaryOriginId(o), secondaryOriginId: secondary, statusCodes: failoverStatusCodes(o) });
  }
  for (const o of ['metadata', 'api'] as OriginName[]) {
    if (!isS3Origin(o)) origins.set(primaryOriginId(o), { id: primaryOriginId(o), domainName: o, kind: 'custom' });
  }
  return {
    distributionId: outputs.distributionId,
    domainName: outputs.domainName,
    aliases,
    staging: false,
    priceClass: 'PriceClass_All',
    behaviors: catalog.behaviors.map((b) => toBehavior(b.route, b.pathPattern)),
    defaultBehavior: toBehavior(catalog.defaultRoute, '*'),
    origins,
    originGroups,
    customErrorResponses: new Map(),
    geoRestriction: { type: 'none', locations: [] },
    keyGroups: new Map(),
    responseHeadersPolicies: new Map(),
  };
}

