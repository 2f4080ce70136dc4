/**
 * The primary distribution of a plan as the local edge and the warmer need it: ordered behaviors with
 * their cache policies resolved (custom ones from the plan, managed ones by id), origins (S3 bucket or
 * custom domain), origin groups, custom error responses, geo restriction, key groups with their public
 * keys, viewer-request function code and the cache-tag header.
 *
 * Pure: reads a parsed plan (lib/plan.ts) or the built-in catalog; no I/O. CloudFront's rules are not
 * here — only the reading of the plan's shapes; the edge applies lib/semantics to this model.
 */
import { toCacheKeyPolicy } from '../builders/cache-policies';
import { behaviorTargetId, failoverStatusCodes, IMAGE_FALLBACK_ORIGIN_ID, isS3Origin, originGroupId, primaryOriginId, secondaryMemberId } from '../builders/origins';
import { S3_ORIGINS, type Catalog, type OriginName } from '../catalog';
import { InputError, show } from '../errors';
import type { StackOutputs } from '../outputs';
import { primaryDistribution, resourcesOfType, type Plan } from '../plan';
import type { CacheKeyPolicy, KeyListBehavior } from '../semantics/cache-key';
import {
  managedCachePolicyById, managedOriginRequestPolicyById, MANAGED_CACHE_POLICIES, type OriginRequestForwarding,
} from '../semantics/managed-policies';
import type { TtlPolicy } from '../semantics/ttl';

export const CACHE_POLICY_TYPE = 'aws:cloudfront/cachePolicy:CachePolicy';
export const KEY_GROUP_TYPE = 'aws:cloudfront/keyGroup:KeyGroup';
export const PUBLIC_KEY_TYPE = 'aws:cloudfront/publicKey:PublicKey';
export const FUNCTION_TYPE = 'aws:cloudfront/function:Function';
export const RESPONSE_HEADERS_POLICY_TYPE = 'aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy';

/** A cache policy with its TTL triple and key contents (spec §5.2, §5.6). */
export interface ModelCachePolicy extends TtlPolicy {
  readonly id: string;
  readonly name: string;
  readonly key: CacheKeyPolicy;
  /** MaxTTL 0 (e.g. CachingDisabled): nothing is cached, nothing is collapsed or compressed (spec §2.2, §4.3, §6.1). */
  readonly cachingDisabled: boolean;
}

/** One cache behavior; the default behavior has pattern `*` (spec §1.1). */
export interface ModelBehavior {
  readonly pathPattern: string;
  readonly targetOriginId: string;
  readonly viewerProtocolPolicy: string;
  readonly allowedMethods: readonly string[];
  readonly cachedMethods: readonly string[];
  readonly compress: boolean;
  readonly cachePolicy: ModelCachePolicy;
  /** What the origin request policy adds toward the origin, when known (spec §5.4, §5.7). */
  readonly originRequest?: OriginRequestForwarding;
  /** Trusted key group ids; non-empty means signed URLs or cookies are required (spec §10.2). */
  readonly trustedKeyGroupIds: readonly string[];
  /** Source of the viewer-request CloudFront Function, when one is associated. */
  readonly viewerRequestFunction?: { readonly name: string; readonly code: string };
  readonly responseHeadersPolicyId?: string;
}

/** An origin: an S3 bucket (by its regional domain) or a custom (HTTP) origin. */
export interface ModelOrigin {
  readonly id: string;
  readonly domainName: string;
  readonly kind: 's3' | 'custom';
  /** Bucket name for S3 origins (`<bucket>.s3.<region>.amazonaws.com`). */
  readonly bucket?: string;
}

/** An origin group: primary, secondary and the statuses that fail over (spec §9.2). */
export interface ModelOriginGroup {
  readonly id: string;
  readonly primaryOriginId: string;
  readonly secondaryOriginId: string;
  readonly statusCodes: readonly number[];
}

/** A custom error response (spec §3.4). */
export interface ModelErrorResponse {
  readonly errorCode: number;
  readonly errorCachingMinTtl?: number;
  readonly responseCode?: number;
  readonly responsePagePath?: string;
}

/** A public key of a trusted key group (spec §10.2). */
export interface ModelPublicKey {
  /** The key pair id signers put in `Key-Pair-Id`. */
  readonly id: string;
  readonly pem: string;
}

export interface DistributionModel {
  readonly distributionId: string;
  /** The distribution's own domain (`d….cloudfront.net`): part of every cache key (spec §5.1). */
  readonly domainName: string;
  readonly aliases: readonly string[];
  /** Ordered behaviors, first match wins (spec §1.2); the default behavior is not in this list. */
  readonly behaviors: readonly ModelBehavior[];
  readonly defaultBehavior: ModelBehavior;
  readonly origins: ReadonlyMap<string, ModelOrigin>;
  readonly originGroups: ReadonlyMap<string, ModelOriginGroup>;
  readonly customErrorResponses: ReadonlyMap<number, ModelErrorResponse>;
  readonly geoRestriction: { readonly type: 'none' | 'whitelist' | 'blacklist'; readonly locations: readonly string[] };
  /** Public keys by key group id. */
  readonly keyGroups: ReadonlyMap<string, readonly ModelPublicKey[]>;
  /** Response header carrying cache tags (`CacheTagConfig.HeaderName`, spec §8.2); absent when not configured. */
  readonly cacheTagHeader?: string;
  readonly defaultRootObject?: string;
  /** Response headers policies by id (their plan inputs). */
  readonly responseHeadersPolicies: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

type Json = Record<string, any>;

function items<T = unknown>(v: unknown): T[] {
  if (Array.isArray(v)) return v as T[];
  if (v && typeof v === 'object' && Array.isArray((v as Json).items)) return (v as Json).items as T[];
  return [];
}

function listBehavior(cfg: Json | undefined, behaviorKey: string, namesKey: string): { behavior: KeyListBehavior; names?: readonly string[] } {
  const behavior = (cfg?.[behaviorKey] ?? 'none') as KeyListBehavior;
  const names = items<string>(cfg?.[namesKey]);
  return names.length > 0 ? { behavior, names } : { behavior };
}

/** The key part of a planned `CachePolicy` (its `parametersInCacheKeyAndForwardedToOrigin`). */
export function cacheKeyPolicyFromInputs(params: Json | undefined): CacheKeyPolicy {
  const p = params ?? {};
  const headers = listBehavior(p.headersConfig, 'headerBehavior', 'headers');
  return {
    headers: headers.behavior === 'whitelist' ? [...(headers.names ?? [])] : [],
    cookies: listBehavior(p.cookiesConfig, 'cookieBehavior', 'cookies'),
    queryStrings: listBehavior(p.queryStringsConfig, 'queryStringBehavior', 'queryStrings'),
    enableAcceptEncodingGzip: p.enableAcceptEncodingGzip === true,
    enableAcceptEncodingBrotli: p.enableAcceptEncodingBrotli === true,
  };
}

function resolveCachePolicy(plan: Plan, id: string, where: string): ModelCachePolicy {
  const managed = managedCachePolicyById(id);
  if (managed) {
    return { id, name: managed.name, minTtl: managed.minTtl, defaultTtl: managed.defaultTtl, maxTtl: managed.maxTtl, key: managed.key, cachingDisabled: managed.maxTtl === 0 };
  }
  const r = resourcesOfType(plan, CACHE_POLICY_TYPE).find((x) => x.id === id);
  if (!r) {
    throw new InputError(`${where} uses cache policy ${show(id)}, which is neither a managed policy nor a CachePolicy of the plan of stack '${plan.stack}'; rebuild the plan with 'npm run plan -- --stack ${plan.stack} --json plan.json'.`);
  }
  const i = r.inputs as Json;
  const minTtl = Number(i.minTtl ?? 0);
  const defaultTtl = Number(i.defaultTtl ?? 86_400);
  const maxTtl = Number(i.maxTtl ?? 31_536_000);
  return { id, name: String(i.name ?? r.name), minTtl, defaultTtl, maxTtl, key: cacheKeyPolicyFromInputs(i.parametersInCacheKeyAndForwardedToOrigin), cachingDisabled: maxTtl === 0 };
}

function resolveFunction(plan: Plan, arn: string, where: string): { name: string; code: string } {
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  const r = resourcesOfType(plan, FUNCTION_TYPE).find((x) => x.id === name || (x.inputs as Json).name === name);
  if (!r || typeof (r.inputs as Json).code !== 'string') {
    throw new InputError(`${where} associates function ${show(arn)}, which the plan of stack '${plan.stack}' does not define with code; rebuild the plan.`);
  }
  return { name, code: String((r.inputs as Json).code) };
}

function behaviorFromInputs(plan: Plan, b: Json, pathPattern: string, where: string): ModelBehavior {
  const orp = typeof b.originRequestPolicyId === 'string' ? managedOriginRequestPolicyById(b.originRequestPolicyId) : undefined;
  const fn = items<Json>(b.functionAssociations).find((f) => f.eventType === 'viewer-request');
  return {
    pathPattern,
    targetOriginId: String(b.targetOriginId),
    viewerProtocolPolicy: String(b.viewerProtocolPolicy ?? 'allow-all'),
    allowedMethods: items<string>(b.allowedMethods).length > 0 ? items<string>(b.allowedMethods) : ['GET', 'HEAD'],
    cachedMethods: items<string>(b.cachedMethods).length > 0 ? items<string>(b.cachedMethods) : ['GET', 'HEAD'],
    compress: b.compress === true,
    cachePolicy: resolveCachePolicy(plan, String(b.cachePolicyId), where),
    ...(orp?.forwards ? { originRequest: orp.forwards } : {}),
    trustedKeyGroupIds: items<string>(b.trustedKeyGroups),
    ...(fn ? { viewerRequestFunction: resolveFunction(plan, String(fn.functionArn), where) } : {}),
    ...(typeof b.responseHeadersPolicyId === 'string' ? { responseHeadersPolicyId: b.responseHeadersPolicyId } : {}),
  };
}

/** Bucket name of an S3 origin domain (`bucket.s3.region.amazonaws.com`, `bucket.s3.amazonaws.com`). */
export function bucketOfS3Domain(domainName: string): string | undefined {
  const m = /^(.+?)\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/.exec(domainName);
  return m?.[1];
}

/**
 * Reads the primary distribution of a plan into a {@link DistributionModel}.
 * @throws InputError when the plan has no distribution or references a resource it does not define.
 */
export function distributionModelFromPlan(plan: Plan): DistributionModel {
  const dist = primaryDistribution(plan);
  const i = dist.inputs as Json;
  const outputs = plan.outputs as Json;
  const behaviors = items<Json>(i.orderedCacheBehaviors).map((b, n) =>
    behaviorFromInputs(plan, b, String(b.pathPattern), `cache behavior ${n + 1} (${show(b.pathPattern)})`));
  const defaultBehavior = behaviorFromInputs(plan, i.defaultCacheBehavior as Json, '*', 'the default cache behavior');

  const origins = new Map<string, ModelOrigin>();
  for (const o of items<Json>(i.origins)) {
    const domainName = String(o.domainName);
    const bucket = o.customOriginConfig ? undefined : bucketOfS3Domain(domainName);
    origins.set(String(o.originId), bucket !== undefined
      ? { id: String(o.originId), domainName, kind: 's3', bucket }
      : { id: String(o.originId), domainName, kind: 'custom' });
  }
  const originGroups = new Map<string, ModelOriginGroup>();
  for (const g of items<Json>(i.originGroups)) {
    const members = items<Json>(g.members).map((m) => String(m.originId));
    originGroups.set(String(g.originId), {
      id: String(g.originId),
      primaryOriginId: members[0]!,
      secondaryOriginId: members[1] ?? members[0]!,
      statusCodes: items<number>(g.failoverCriteria?.statusCodes).map(Number),
    });
  }
  const customErrorResponses = new Map<number, ModelErrorResponse>();
  for (const e of items<Json>(i.customErrorResponses)) {
    customErrorResponses.set(Number(e.errorCode), {
      errorCode: Number(e.errorCode),
      ...(e.errorCachingMinTtl !== undefined ? { errorCachingMinTtl: Number(e.errorCachingMinTtl) } : {}),
      ...(e.responseCode !== undefined && e.responseCode !== '' ? { responseCode: Number(e.responseCode) } : {}),
      ...(typeof e.responsePagePath === 'string' && e.responsePagePath !== '' ? { responsePagePath: e.responsePagePath } : {}),
    });
  }
  const publicKeys = new Map(resourcesOfType(plan, PUBLIC_KEY_TYPE).map((k) => [k.id, String((k.inputs as Json).encodedKey ?? '')] as const));
  const keyGroups = new Map<string, ModelPublicKey[]>();
  for (const g of resourcesOfType(plan, KEY_GROUP_TYPE)) {
    keyGroups.set(g.id, items<string>((g.inputs as Json).items).map((id) => ({ id, pem: publicKeys.get(id) ?? '' })).filter((k) => k.pem !== ''));
  }
  const geo = (i.restrictions as Json | undefined)?.geoRestriction as Json | undefined;
  const responseHeadersPolicies = new Map(resourcesOfType(plan, RESPONSE_HEADERS_POLICY_TYPE).map((r) => [r.id, r.inputs] as const));
  const tagHeader = (i.cacheTagConfig as Json | undefined)?.headerName;
  return {
    distributionId: String(outputs.distributionId ?? dist.id),
    domainName: String(outputs.domainName ?? `${dist.id.toLowerCase()}.cloudfront.net`),
    aliases: items<string>(i.aliases),
    behaviors,
    defaultBehavior,
    origins,
    originGroups,
    customErrorResponses,
    geoRestriction: { type: (geo?.restrictionType ?? 'none') as 'none' | 'whitelist' | 'blacklist', locations: items<string>(geo?.locations) },
    keyGroups,
    ...(typeof tagHeader === 'string' && tagHeader !== '' ? { cacheTagHeader: tagHeader.toLowerCase() } : {}),
    ...(typeof i.defaultRootObject === 'string' && i.defaultRootObject !== '' ? { defaultRootObject: i.defaultRootObject } : {}),
    responseHeadersPolicies,
  };
}

/** Marker key group id used by {@link distributionModelFromCatalog} for signed routes (no plan, no keys). */
export const CATALOG_KEY_GROUP = 'catalog-signed-routes';

/**
 * A model from the built-in catalog and stack outputs, for scripts given only `--outputs`: behaviors,
 * cache keys and TTLs come from the catalog (stack-config overrides are unknown without a plan),
 * the domain and buckets from the outputs. Origins, errors and keys are not modelled.
 */
export function distributionModelFromCatalog(catalog: Catalog, outputs: StackOutputs, aliases: readonly string[] = []): DistributionModel {
  const policyFor = (route: Catalog['routes'][number]): ModelCachePolicy => {
    if (route.caching === 'disabled') {
      const p = MANAGED_CACHE_POLICIES.CachingDisabled;
      return { id: p.id, name: p.name, minTtl: 0, defaultTtl: 0, maxTtl: 0, key: p.key, cachingDisabled: true };
    }
    return { id: `catalog:${route.id}`, name: route.id, ...route.ttl, key: toCacheKeyPolicy(route.cacheKey), cachingDisabled: route.ttl.maxTtl === 0 };
  };
  const toBehavior = (route: Catalog['routes'][number], pathPattern: string): ModelBehavior => ({
    pathPattern,
    targetOriginId: behaviorTargetId(route.origin),
    viewerProtocolPolicy: 'redirect-to-https',
    allowedMethods: ['GET', 'HEAD'],
    cachedMethods: ['GET', 'HEAD'],
    compress: route.compress,
    cachePolicy: policyFor(route),
    trustedKeyGroupIds: route.signed ? [CATALOG_KEY_GROUP] : [],
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

/** The origin a behavior's target resolves to first (the primary of an origin group). */
export function firstOriginOf(model: DistributionModel, targetOriginId: string): ModelOrigin | undefined {
  const g = model.originGroups.get(targetOriginId);
  return model.origins.get(g ? g.primaryOriginId : targetOriginId);
}
