/**
 * Applies stack-config overrides to the built-in catalog, validates the result and orders the routes'
 * path patterns into CloudFront cache behaviors (most specific first, spec §1.2).
 */
import { InputError, show } from '../errors';
import { findDuplicatePatterns, findShadowedPatterns, normalizePattern, orderMostSpecificFirst, validatePathPattern } from '../semantics/path-pattern';
import { validateTtlTriple } from '../semantics/ttl';
import { CONTENT_TYPES, DEFAULT_ROUTE_ID, maxStaleSeconds } from './content-types';
import type { ContentTypeName, ContentTypeSpec, RouteSpec } from './types';

/** Per-route override from stack config (`media-cdn:contentTypes`), keyed by route id. */
export interface RouteOverride {
  readonly minTtl?: number;
  readonly defaultTtl?: number;
  readonly maxTtl?: number;
  readonly pathPatterns?: readonly string[];
  readonly compress?: boolean;
  /** `stale-while-revalidate` seconds the origins send, at most the type's update interval. */
  readonly staleWhileRevalidate?: number;
  /** `stale-if-error` seconds the origins send, at most the type's update interval. */
  readonly staleIfError?: number;
}

export type CatalogOverrides = Readonly<Record<string, RouteOverride>>;

/** The settings a stack may override per route (`media-cdn:contentTypes.<route>.<field>`). */
export const OVERRIDE_FIELDS = ['minTtl', 'defaultTtl', 'maxTtl', 'pathPatterns', 'compress', 'staleWhileRevalidate', 'staleIfError'] as const;

/** One ordered cache behavior: a single path pattern and the route that owns it. */
export interface BehaviorEntry {
  readonly pathPattern: string;
  readonly route: RouteSpec;
}

/** The catalog after overrides, validated. */
export interface Catalog {
  readonly types: readonly ContentTypeSpec[];
  readonly routes: readonly RouteSpec[];
  /** Ordered cache behaviors, most specific first; the default behavior is not in this list. */
  readonly behaviors: readonly BehaviorEntry[];
  /** The route whose settings the default (`*`) behavior uses. */
  readonly defaultRoute: RouteSpec;
  route(id: string): RouteSpec;
  type(name: ContentTypeName): ContentTypeSpec;
}

/**
 * Builds the catalog from the built-in types and the stack's overrides.
 * @param configKey the config key the overrides came from, quoted in error messages.
 * @throws InputError listing every problem (unknown route, bad TTL order, shadowed pattern, ...).
 */
export function resolveCatalog(overrides: CatalogOverrides = {}, configKey = 'media-cdn:contentTypes'): Catalog {
  const problems: string[] = [];
  const allRoutes = CONTENT_TYPES.flatMap((t) => t.routes);
  const routeIds = allRoutes.map((r) => r.id);

  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new InputError(`${configKey} must be an object keyed by route id, got ${show(overrides)}; for example {"metadata": {"defaultTtl": 900}}.`);
  }
  for (const id of Object.keys(overrides)) {
    if (!routeIds.includes(id)) {
      problems.push(`${configKey}.${id}: unknown content type or route '${id}'; use one of: ${routeIds.join(', ')}.`);
    }
  }

  const types = CONTENT_TYPES.map((t): ContentTypeSpec => ({
    ...t,
    routes: t.routes.map((r) => applyOverride(r, overrides[r.id], `${configKey}.${r.id}`, problems, maxStaleSeconds(t))),
  }));
  const routes = types.flatMap((t) => t.routes);

  const entries = routes.flatMap((route) => route.pathPatterns.map((pathPattern) => ({ pathPattern, route })));
  for (const d of findDuplicatePatterns(entries.map((e) => e.pathPattern))) {
    const owners = d.indexes.map((i) => entries[i]!.route.id);
    problems.push(`path pattern '${d.pattern}' is declared more than once (routes: ${owners.join(', ')}); each pattern may belong to one route only — remove it from all but one in ${configKey}.`);
  }
  const behaviors = orderMostSpecificFirst(entries);
  for (const s of findShadowedPatterns(behaviors.map((b) => b.pathPattern))) {
    if (normalizePattern(s.pattern) === normalizePattern(s.shadowedBy)) continue; // reported as a duplicate above
    problems.push(
      `path pattern '${s.pattern}' of route '${behaviors[s.index]!.route.id}' is shadowed by '${s.shadowedBy}' of route ` +
      `'${behaviors[s.shadowedByIndex]!.route.id}', which matches every path it matches and comes first; make one pattern more specific in ${configKey}.`,
    );
  }
  if (problems.length > 0) throw new InputError(problems);

  const byId = new Map(routes.map((r) => [r.id, r] as const));
  const byType = new Map(types.map((t) => [t.name, t] as const));
  return {
    types,
    routes,
    behaviors,
    defaultRoute: byId.get(DEFAULT_ROUTE_ID)!,
    route(id: string): RouteSpec {
      const r = byId.get(id);
      if (!r) throw new InputError(`unknown route '${id}'; use one of: ${[...byId.keys()].join(', ')}.`);
      return r;
    },
    type(name: ContentTypeName): ContentTypeSpec {
      const t = byType.get(name);
      if (!t) throw new InputError(`unknown content type '${name}'; use one of: ${[...byType.keys()].join(', ')}.`);
      return t;
    },
  };
}

/**
 * Problems of a route's stale windows against the bound (`maxStaleSeconds`): whole seconds, 0 to the
 * bound, 0 on never-cached routes. Shared by the catalog overrides and the policy pack.
 */
export function staleWindowProblems(route: Pick<RouteSpec, 'id' | 'caching' | 'staleWhileRevalidate' | 'staleIfError'>, boundSeconds: number, key: string): string[] {
  const problems: string[] = [];
  for (const f of ['staleWhileRevalidate', 'staleIfError'] as const) {
    const v = route[f];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) problems.push(`${key}.${f} must be a whole number of seconds ≥ 0, got ${show(v)}.`);
    else if (route.caching === 'disabled' && v > 0) problems.push(`${key}.${f}: route '${route.id}' is never cached (managed CachingDisabled), so it has no stale copies; set ${f} to 0 or remove it.`);
    else if (v > boundSeconds) problems.push(`${key}.${f} is ${v} s, more than the content type's update interval (${boundSeconds} s), which bounds every stale window; set it to at most ${boundSeconds}.`);
  }
  return problems;
}

function applyOverride(route: RouteSpec, override: RouteOverride | undefined, key: string, problems: string[], staleBound: number): RouteSpec {
  if (override === undefined) return route;
  if (override === null || typeof override !== 'object' || Array.isArray(override)) {
    problems.push(`${key} must be an object such as {"defaultTtl": 900}, got ${show(override)}.`);
    return route;
  }
  for (const field of Object.keys(override)) {
    if (!(OVERRIDE_FIELDS as readonly string[]).includes(field)) {
      problems.push(`${key}.${field}: unknown setting; use one of: ${OVERRIDE_FIELDS.join(', ')}.`);
    }
  }
  const before = problems.length;
  const ttl = { ...route.ttl };
  for (const f of ['minTtl', 'defaultTtl', 'maxTtl'] as const) {
    const v = override[f];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      problems.push(`${key}.${f} must be a whole number of seconds, got ${show(v)}.`);
      continue;
    }
    ttl[f] = v;
  }
  const ttlChanged = ttl.minTtl !== route.ttl.minTtl || ttl.defaultTtl !== route.ttl.defaultTtl || ttl.maxTtl !== route.ttl.maxTtl;
  if (ttlChanged && route.caching === 'disabled') {
    problems.push(`${key}: route '${route.id}' is never cached (managed CachingDisabled), so its TTLs cannot be set; remove minTtl/defaultTtl/maxTtl.`);
  } else if (ttlChanged) {
    problems.push(...validateTtlTriple(ttl, key));
  }
  let pathPatterns = route.pathPatterns;
  if (override.pathPatterns !== undefined) {
    const pp = override.pathPatterns;
    if (!Array.isArray(pp) || pp.length === 0 || pp.some((p) => typeof p !== 'string')) {
      problems.push(`${key}.pathPatterns must be a non-empty list of path patterns such as ["/metadata/*"], got ${show(pp)}.`);
    } else {
      for (const p of pp) {
        if (p === '*' || p === '/*') {
          problems.push(`${key}.pathPatterns: '${p}' is the default behavior's pattern and cannot belong to a route; use a prefix such as '/${route.contentType}/*'.`);
        }
        problems.push(...validatePathPattern(p).map((m) => `${key}.pathPatterns: ${m}`));
      }
      pathPatterns = pp;
    }
  }
  let compress = route.compress;
  if (override.compress !== undefined) {
    if (typeof override.compress !== 'boolean') problems.push(`${key}.compress must be true or false, got ${show(override.compress)}.`);
    else compress = override.compress;
  }
  const stale = {
    staleWhileRevalidate: override.staleWhileRevalidate ?? route.staleWhileRevalidate,
    staleIfError: override.staleIfError ?? route.staleIfError,
  };
  if (override.staleWhileRevalidate !== undefined || override.staleIfError !== undefined) {
    problems.push(...staleWindowProblems({ id: route.id, caching: route.caching, ...stale }, staleBound, key));
  }
  if (problems.length > before) return route;
  return { ...route, ttl, pathPatterns, compress, ...stale, cacheKey: compress ? route.cacheKey : { ...route.cacheKey, acceptEncoding: false } };
}
