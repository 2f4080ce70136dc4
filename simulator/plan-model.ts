/**
 * What the simulator needs from a plan: the primary distribution's cache behaviors in order, each
 * with its cache policy's TTLs and cache key (custom policies read from the plan's CachePolicy
 * resources, managed ones from lib/semantics/managed-policies), the origins with their Origin Shield,
 * the price class, and the content-type catalog (targets, update intervals, sizes) with the stack's
 * overrides. Everything is read from the plan, so a what-if or a second plan changes the simulation.
 */
import { resolveCatalog, type Catalog, type CatalogOverrides, type ContentTypeName, type RouteSpec } from '../lib/catalog';
import { InputError } from '../lib/errors';
import { primaryDistribution, type Plan } from '../lib/plan';
import { compileBehaviorSelector, DEFAULT_BEHAVIOR_PATTERN, normalizePattern } from '../lib/semantics/path-pattern';
import { applyCachePolicyTtlDefaults, type TtlPolicy } from '../lib/semantics/ttl';
import type { CacheKeyPolicy, KeyListBehavior } from '../lib/semantics/cache-key';
import { managedCachePolicyById, MANAGED_CACHE_POLICIES } from '../lib/semantics/managed-policies';
import type { Region } from './profile';

export const CACHE_POLICY_TYPE = 'aws:cloudfront/cachePolicy:CachePolicy';

export type OriginKind = 's3' | 'metadata' | 'api';

export interface SimOrigin {
  readonly id: string;
  readonly kind: OriginKind;
  /** AWS Region of the origin. */
  readonly awsRegion: string;
  /** AWS Region of its Origin Shield; undefined when Origin Shield is off. */
  readonly shieldAwsRegion?: string;
}

export interface SimBehavior {
  /** `*` for the default behavior. */
  readonly pathPattern: string;
  readonly targetOriginId: string;
  /** The origin requests reach (an origin group's primary member). */
  readonly origin: SimOrigin;
  /** The catalog route whose settings produced the behavior (undefined if the plan has a pattern the catalog lacks). */
  readonly routeId?: string;
  readonly contentType: ContentTypeName;
  readonly cachePolicyName: string;
  readonly ttl: TtlPolicy;
  readonly key: CacheKeyPolicy;
  /** MaxTTL = 0 or the CachingDisabled policy: nothing is cached. */
  readonly cachingDisabled: boolean;
  readonly compress: boolean;
  readonly cachedMethods: readonly string[];
  /** Viewer-request function associations (each invocation is billed). */
  readonly functionCount: number;
  readonly signed: boolean;
}

export interface SimModel {
  readonly stack: string;
  /** Ordered behaviors, first match wins (spec §1.2); the default behavior is separate. */
  readonly behaviors: readonly SimBehavior[];
  readonly defaultBehavior: SimBehavior;
  /** The behavior a path selects (spec §1.2), through the semantics module. */
  select(path: string): SimBehavior;
  readonly priceClass: string;
  readonly catalog: Catalog;
  /** The AWS Region of the stack (origins without a Region in their domain name live there). */
  readonly awsRegion: string;
}

interface RawBehavior {
  pathPattern?: string;
  targetOriginId?: string;
  cachePolicyId?: string;
  compress?: boolean;
  cachedMethods?: string[];
  trustedKeyGroups?: unknown[];
  functionAssociations?: unknown[];
  lambdaFunctionAssociations?: unknown[];
  minTtl?: number;
  defaultTtl?: number;
  maxTtl?: number;
  forwardedValues?: { queryString?: boolean; queryStringCacheKeys?: string[]; headers?: string[]; cookies?: { forward?: string; whitelistedNames?: string[] } };
}

interface RawOrigin {
  originId?: string;
  domainName?: string;
  originShield?: { enabled?: boolean; originShieldRegion?: string };
  s3OriginConfig?: unknown;
}

/** Our viewer region of an AWS Region code (us-east-1 → NA). */
export function regionOfAwsRegion(awsRegion: string): Region {
  if (/^(us|ca|mx)-/.test(awsRegion)) return 'NA';
  if (/^eu-/.test(awsRegion)) return 'EU';
  if (/^ap-/.test(awsRegion)) return 'AP';
  if (/^sa-/.test(awsRegion)) return 'SA';
  return 'MEA';
}

function keyList(behavior: string | undefined, items: string[] | undefined): { behavior: KeyListBehavior; names?: readonly string[] } {
  const b = (behavior ?? 'none') as KeyListBehavior;
  return b === 'none' || b === 'all' ? { behavior: b } : { behavior: b, names: items ?? [] };
}

interface CachePolicyInputs {
  name?: string; minTtl?: number; defaultTtl?: number; maxTtl?: number;
  parametersInCacheKeyAndForwardedToOrigin?: {
    enableAcceptEncodingGzip?: boolean; enableAcceptEncodingBrotli?: boolean;
    headersConfig?: { headerBehavior?: string; headers?: { items?: string[] } };
    cookiesConfig?: { cookieBehavior?: string; cookies?: { items?: string[] } };
    queryStringsConfig?: { queryStringBehavior?: string; queryStrings?: { items?: string[] } };
  };
}

/** TTLs and key of a cache policy id: managed (spec §5.6) or a CachePolicy resource of the plan. */
function cachePolicy(plan: Plan, id: string, where: string): { name: string; ttl: TtlPolicy; key: CacheKeyPolicy; disabled: boolean } {
  const managed = managedCachePolicyById(id);
  if (managed) {
    return { name: managed.name, ttl: managed, key: managed.key, disabled: managed.id === MANAGED_CACHE_POLICIES.CachingDisabled.id || managed.maxTtl === 0 };
  }
  const r = plan.resources.find((x) => x.type === CACHE_POLICY_TYPE && x.id === id);
  if (!r) {
    throw new InputError(`${where} uses cache policy '${id}', which is neither a managed policy nor a CachePolicy resource of the plan; rebuild the plan with 'npm run plan'.`);
  }
  const i = r.inputs as CachePolicyInputs;
  const p = i.parametersInCacheKeyAndForwardedToOrigin ?? {};
  const ttl = applyCachePolicyTtlDefaults({ minTtl: i.minTtl ?? 0, defaultTtl: i.defaultTtl, maxTtl: i.maxTtl });
  const headers = p.headersConfig?.headerBehavior === 'whitelist' ? p.headersConfig.headers?.items ?? [] : [];
  return {
    name: i.name ?? r.name,
    ttl,
    key: {
      headers,
      cookies: keyList(p.cookiesConfig?.cookieBehavior, p.cookiesConfig?.cookies?.items),
      queryStrings: keyList(p.queryStringsConfig?.queryStringBehavior, p.queryStringsConfig?.queryStrings?.items),
      enableAcceptEncodingGzip: p.enableAcceptEncodingGzip ?? false,
      enableAcceptEncodingBrotli: p.enableAcceptEncodingBrotli ?? false,
    },
    disabled: ttl.maxTtl === 0,
  };
}

/** Legacy ForwardedValues behaviors (spec §5.5): TTLs on the behavior, key from what is forwarded. */
function legacyPolicy(b: RawBehavior): { name: string; ttl: TtlPolicy; key: CacheKeyPolicy; disabled: boolean } {
  const fv = b.forwardedValues ?? {};
  const ttl = { minTtl: b.minTtl ?? 0, defaultTtl: b.defaultTtl ?? 86_400, maxTtl: b.maxTtl ?? 31_536_000 };
  const allHeaders = (fv.headers ?? []).includes('*');
  const cookies = fv.cookies?.forward === 'all' ? { behavior: 'all' as const } : fv.cookies?.forward === 'whitelist' ? { behavior: 'whitelist' as const, names: fv.cookies.whitelistedNames ?? [] } : { behavior: 'none' as const };
  const qs = !fv.queryString ? { behavior: 'none' as const } : fv.queryStringCacheKeys?.length ? { behavior: 'whitelist' as const, names: fv.queryStringCacheKeys } : { behavior: 'all' as const };
  return {
    name: 'legacy ForwardedValues',
    ttl,
    key: { headers: allHeaders ? [] : fv.headers ?? [], cookies, queryStrings: qs, enableAcceptEncodingGzip: false, enableAcceptEncodingBrotli: false },
    disabled: allHeaders || ttl.maxTtl === 0,
  };
}

function routeOfPattern(catalog: Catalog, pattern: string): RouteSpec | undefined {
  if (pattern === DEFAULT_BEHAVIOR_PATTERN) return catalog.defaultRoute;
  const n = normalizePattern(pattern);
  return catalog.routes.find((r) => r.pathPatterns.some((p) => normalizePattern(p) === n));
}

/**
 * Builds the simulator's view of a plan.
 * @throws InputError when the plan has no distribution, a behavior names an unknown origin or cache policy.
 */
export function simModelFromPlan(plan: Plan): SimModel {
  const dist = primaryDistribution(plan);
  const inputs = dist.inputs as { orderedCacheBehaviors?: RawBehavior[]; defaultCacheBehavior?: RawBehavior; origins?: RawOrigin[]; originGroups?: { originId?: string; members?: { originId?: string }[] }[]; priceClass?: string };
  const awsRegion = typeof plan.config['aws:region'] === 'string' ? (plan.config['aws:region'] as string) : 'us-east-1';
  const catalog = resolveCatalog((plan.config['media-cdn:contentTypes'] ?? {}) as CatalogOverrides);

  const origins = new Map<string, SimOrigin>();
  for (const o of inputs.origins ?? []) {
    if (!o.originId) continue;
    const domain = o.domainName ?? '';
    const s3 = /\.s3[.-]([a-z0-9-]+)\.amazonaws\.com$/.exec(domain);
    const kind: OriginKind = s3 || o.s3OriginConfig !== undefined ? 's3' : /api/i.test(o.originId) ? 'api' : 'metadata';
    origins.set(o.originId, {
      id: o.originId,
      kind,
      awsRegion: s3?.[1] ?? awsRegion,
      ...(o.originShield?.enabled ? { shieldAwsRegion: o.originShield.originShieldRegion ?? awsRegion } : {}),
    });
  }
  const groups = new Map((inputs.originGroups ?? []).map((g) => [g.originId ?? '', g.members?.[0]?.originId ?? ''] as const));

  const toBehavior = (b: RawBehavior, where: string): SimBehavior => {
    const pattern = b.pathPattern ?? DEFAULT_BEHAVIOR_PATTERN;
    const target = b.targetOriginId ?? '';
    const origin = origins.get(groups.get(target) ?? target);
    if (!origin) throw new InputError(`${where} targets origin '${target}', which the distribution does not define; rebuild the plan.`);
    const pol = b.cachePolicyId ? cachePolicy(plan, b.cachePolicyId, where) : legacyPolicy(b);
    const route = routeOfPattern(catalog, pattern);
    return {
      pathPattern: pattern,
      targetOriginId: target,
      origin,
      ...(route ? { routeId: route.id } : {}),
      contentType: route?.contentType ?? catalog.defaultRoute.contentType,
      cachePolicyName: pol.name,
      ttl: pol.ttl,
      key: pol.key,
      cachingDisabled: pol.disabled,
      compress: b.compress ?? false,
      cachedMethods: b.cachedMethods ?? ['GET', 'HEAD'],
      functionCount: (b.functionAssociations?.length ?? 0) + (b.lambdaFunctionAssociations?.length ?? 0),
      signed: (b.trustedKeyGroups?.length ?? 0) > 0,
    };
  };
  if (!inputs.defaultCacheBehavior) throw new InputError(`the distribution of stack '${plan.stack}' has no default cache behavior; rebuild the plan.`);
  const behaviors = (inputs.orderedCacheBehaviors ?? []).map((b, i) => toBehavior(b, `cache behavior ${i + 1} ('${b.pathPattern}')`));
  const defaultBehavior = toBehavior(inputs.defaultCacheBehavior, 'the default cache behavior');
  const selector = compileBehaviorSelector(behaviors);
  return {
    stack: plan.stack,
    behaviors,
    defaultBehavior,
    select: (path) => selector(path) ?? defaultBehavior,
    priceClass: inputs.priceClass ?? 'PriceClass_All',
    catalog,
    awsRegion,
  };
}
