/**
 * What the simulator needs from a plan, in the flat shape its workload builder and engine read: the
 * primary distribution's cache behaviors in order, each with its cache policy's TTLs and cache key,
 * the origin requests reach with its Origin Shield, the price class, and the content-type catalog
 * (targets, update intervals, sizes) with the stack's overrides. The distribution itself is read by
 * lib/distribution (the one model of a planned distribution); this adapter only joins it with the
 * catalog and the stack's Region. A what-if or a second plan changes the simulation.
 */
import { resolveCatalog, type Catalog, type CatalogOverrides, type ContentTypeName, type RouteSpec } from '../lib/catalog';
import { distributionModelFromPlan, firstOriginOf, type ModelBehavior, type ModelOrigin, type OriginConnection } from '../lib/distribution';
import { DEFAULT_ERROR_CACHING_MIN_TTL } from '../lib/semantics/ttl';
import type { Plan } from '../lib/plan';
import { compileBehaviorSelector, DEFAULT_BEHAVIOR_PATTERN, normalizePattern } from '../lib/semantics/path-pattern';
import type { TtlPolicy } from '../lib/semantics/ttl';
import type { CacheKeyPolicy } from '../lib/semantics/cache-key';
import type { Region } from './profile';
import { failoverStatusCodes, primaryOriginId, regionalOriginId } from '../lib/builders/origins';
import { regionalFailoverOriginId } from '../lib/routing/origin-routing';
import { AWS_REGIONS } from '../lib/network';
import type { OriginName } from '../lib/catalog';

const ORIGIN_NAMES: readonly OriginName[] = ['video', 'images', 'static', 'metadata', 'api'];

export type OriginKind = 's3' | 'metadata' | 'api';

export interface SimOrigin {
  readonly id: string;
  readonly kind: OriginKind;
  /** AWS Region of the origin. */
  readonly awsRegion: string;
  /** AWS Region of its Origin Shield; undefined when Origin Shield is off. */
  readonly shieldAwsRegion?: string;
  /**
   * Copies of the origin in other Regions (`originRegions`, the regional metadata/API domains): the
   * viewer-request function sends each viewer to the nearest (lib/routing), and so does the engine.
   */
  readonly regional?: readonly SimOrigin[];
  /** A primary, an origin group's secondary, or a regional copy (which origins a fault takes down, lib/faults). @default 'primary' */
  readonly role?: 'primary' | 'secondary' | 'regional';
  /** The origin group's secondary, when requests reach this origin through a group (spec §9.2). */
  readonly failover?: { readonly origin: SimOrigin; readonly statusCodes: readonly number[] };
  /** Connection attempts and timeouts (spec §9.1). @default CloudFront's: 3 attempts, 10 s, 30 s */
  readonly connection?: OriginConnection;
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
  /** How long an origin 5xx is cached (ErrorCachingMinTTL of 502/503/504, spec §3.3), seconds. */
  readonly errorCachingMinTtl: number;
}

/** The origin as a behavior that targets it directly (not through its group) reaches it: without failover. */
function directOf(o: SimOrigin): SimOrigin {
  const { failover: _failover, ...rest } = o;
  return rest;
}

/**
 * Which origin entry of the engine a behavior's origin is: its id, and whether requests reach it
 * through a group (the same origin reached directly by a behavior that proxies writes fails no
 * request over: a separate entry; faults, matched by id, take both down).
 */
export function simOriginKey(o: SimOrigin): string {
  return o.failover ? `${o.id}>${o.failover.origin.id}` : o.id;
}

/** Our viewer region of an AWS Region code (us-east-1 → NA). */
export function regionOfAwsRegion(awsRegion: string): Region {
  if (/^(us|ca|mx)-/.test(awsRegion)) return 'NA';
  if (/^eu-/.test(awsRegion)) return 'EU';
  if (/^ap-/.test(awsRegion)) return 'AP';
  if (/^sa-/.test(awsRegion)) return 'SA';
  return 'MEA';
}

function routeOfPattern(catalog: Catalog, pattern: string): RouteSpec | undefined {
  if (pattern === DEFAULT_BEHAVIOR_PATTERN) return catalog.defaultRoute;
  const n = normalizePattern(pattern);
  return catalog.routes.find((r) => r.pathPatterns.some((p) => normalizePattern(p) === n));
}

/** The simulator's origin kind of a model origin: S3, else the API or the metadata service by its id. */
function originKind(o: ModelOrigin): OriginKind {
  return o.kind === 's3' ? 's3' : /api/i.test(o.id) ? 'api' : 'metadata';
}

/**
 * Builds the simulator's view of a plan: the distribution model (lib/distribution) joined with the
 * catalog routes and the stack's Region.
 * @throws InputError when the plan has no distribution, a behavior names an unknown origin or cache policy.
 */
export function simModelFromPlan(plan: Plan): SimModel {
  const model = distributionModelFromPlan(plan);
  const awsRegion = typeof plan.config['aws:region'] === 'string' ? (plan.config['aws:region']) : 'us-east-1';
  const catalog = resolveCatalog((plan.config['media-cdn:contentTypes'] ?? {}) as CatalogOverrides);

  const origins = new Map<string, SimOrigin>();
  for (const o of model.origins.values()) {
    origins.set(o.id, {
      id: o.id,
      kind: originKind(o),
      awsRegion: o.awsRegion ?? awsRegion,
      ...(o.originShield ? { shieldAwsRegion: o.originShield.awsRegion ?? awsRegion } : {}),
      ...(o.connection ? { connection: o.connection } : {}),
    });
  }
  // origin groups: the secondary stands in when the primary fails (spec §9.2)
  for (const g of model.originGroups.values()) {
    const primary = origins.get(g.primaryOriginId);
    const secondary = origins.get(g.secondaryOriginId);
    if (!primary || !secondary || primary === secondary) continue;
    origins.set(secondary.id, { ...secondary, role: 'secondary' });
  }
  for (const g of model.originGroups.values()) {
    const primary = origins.get(g.primaryOriginId);
    const secondary = origins.get(g.secondaryOriginId);
    if (!primary || !secondary || primary === secondary) continue;
    origins.set(primary.id, { ...primary, failover: { origin: secondary, statusCodes: g.statusCodes } });
  }

  // An origin's regional copies are origins of the distribution named regionalOriginId(origin, Region);
  // the viewer-request function sends each copy's requests through a group with the origin's fallback
  // (lib/routing regionalFailoverOriginId), so each copy fails over to it. A copy that is also a
  // configured group's secondary keeps that role (which origins a fault takes down, lib/faults).
  for (const name of ORIGIN_NAMES) {
    const base = origins.get(primaryOriginId(name));
    if (!base) continue;
    const fallback = origins.get(regionalFailoverOriginId(name));
    const regional = AWS_REGIONS.flatMap((region) => {
      const o = origins.get(regionalOriginId(name, region));
      if (!o) return [];
      const copy: SimOrigin = { ...o, awsRegion: region, role: o.role === 'secondary' ? 'secondary' : 'regional' };
      return [fallback ? { ...copy, failover: { origin: fallback, statusCodes: failoverStatusCodes(name) } } : copy];
    });
    if (regional.length > 0) origins.set(base.id, { ...base, regional });
  }

  const toBehavior = (b: ModelBehavior): SimBehavior => {
    const first = origins.get(firstOriginOf(model, b.targetOriginId)!.id)!;
    // a behavior that targets the origin itself, not its group (one that proxies writes), never fails over (spec §9.2)
    const origin = first.failover && !model.originGroups.has(b.targetOriginId) ? directOf(first) : first;
    const route = routeOfPattern(catalog, b.pathPattern);
    const p = b.cachePolicy;
    return {
      pathPattern: b.pathPattern,
      targetOriginId: b.targetOriginId,
      origin,
      ...(route ? { routeId: route.id } : {}),
      contentType: route?.contentType ?? catalog.defaultRoute.contentType,
      cachePolicyName: p.name,
      ttl: { minTtl: p.minTtl, defaultTtl: p.defaultTtl, maxTtl: p.maxTtl },
      key: p.key,
      cachingDisabled: p.cachingDisabled,
      compress: b.compress,
      cachedMethods: b.cachedMethods,
      functionCount: b.functions.length,
      signed: b.trustedKeyGroupIds.length > 0,
    };
  };
  const behaviors = model.behaviors.map(toBehavior);
  const defaultBehavior = toBehavior(model.defaultBehavior);
  const selector = compileBehaviorSelector(behaviors);
  return {
    stack: plan.stack,
    behaviors,
    defaultBehavior,
    select: (path) => selector(path) ?? defaultBehavior,
    priceClass: model.priceClass,
    catalog,
    awsRegion,
    errorCachingMinTtl: Math.min(...[502, 503, 504].map((c) => model.customErrorResponses.get(c)?.errorCachingMinTtl ?? DEFAULT_ERROR_CACHING_MIN_TTL)),
  };
}
