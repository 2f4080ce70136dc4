/**
 * Which content type each cache behavior of a distribution serves, and which behavior serves each
 * route of the catalog. Both answers come from CloudFront's first-match-wins selection
 * (`selectBehavior`, spec §1.2) applied to a witness path: a concrete path the pattern matches.
 *
 * The catalog is the built-in one: the policies judge a stack against the catalog's content types,
 * whatever a stack's `media-cdn:contentTypes` overrides say (an override is exactly what they check).
 */
import { CONTENT_TYPES, resolveCatalog, type Catalog, type ContentTypeSpec, type RouteSpec } from '../../lib/catalog';
import { DEFAULT_BEHAVIOR_PATTERN, matchPathPattern, selectBehavior } from '../../lib/semantics/path-pattern';
import type { BehaviorShape, DistributionShape } from './shapes';

let builtIn: Catalog | undefined;

/** The built-in content-type catalog (no stack overrides), resolved once. */
export function catalog(): Catalog {
  builtIn ??= resolveCatalog();
  return builtIn;
}

/** The content type a route belongs to. */
export function typeOf(route: RouteSpec): ContentTypeSpec {
  return CONTENT_TYPES.find((t) => t.name === route.contentType)!;
}

/**
 * A path that `pattern` matches: each wildcard becomes one ordinary character, with a leading '/'.
 * `/video/*.m3u8` → `/video/x.m3u8`. Used to ask "which behavior serves paths like this?".
 */
export function witnessPath(pattern: string): string {
  const path = pattern.replace(/[*?]/g, 'x');
  const witness = path.startsWith('/') ? path : `/${path}`;
  if (!matchPathPattern(pattern, witness)) throw new Error(`internal: witness '${witness}' does not match '${pattern}'`);
  return witness;
}

/** The catalog route that owns the paths a behavior pattern matches (the default route for `*`). */
export function routeForPattern(pattern: string): RouteSpec {
  if (pattern === DEFAULT_BEHAVIOR_PATTERN || pattern === '/*') return catalog().defaultRoute;
  return selectBehavior(catalog().behaviors, witnessPath(pattern))?.route ?? catalog().defaultRoute;
}

/** One cache behavior of a distribution and the catalog route whose content it serves. */
export interface BehaviorView {
  readonly behavior: BehaviorShape;
  /** The configured pattern; `*` for the default behavior. */
  readonly pathPattern: string;
  readonly isDefault: boolean;
  /** How messages name it: `cache behavior '/metadata/*'` or `the default cache behavior (*)`. */
  readonly label: string;
  readonly route: RouteSpec;
  readonly type: ContentTypeSpec;
}

/** Every cache behavior of the distribution in evaluation order, the default one last. */
export function behaviorViews(d: DistributionShape): BehaviorView[] {
  const views: BehaviorView[] = (d.orderedCacheBehaviors ?? []).map((behavior) => {
    const pathPattern = behavior.pathPattern ?? '';
    const route = routeForPattern(pathPattern);
    return { behavior, pathPattern, isDefault: false, label: `cache behavior '${pathPattern}'`, route, type: typeOf(route) };
  });
  if (d.defaultCacheBehavior) {
    const route = catalog().defaultRoute;
    views.push({
      behavior: d.defaultCacheBehavior, pathPattern: DEFAULT_BEHAVIOR_PATTERN, isDefault: true,
      label: 'the default cache behavior (*)', route, type: typeOf(route),
    });
  }
  return views;
}

/** A path pattern of a catalog route and the behavior of the distribution that serves it. */
export interface ServedPattern {
  readonly route: RouteSpec;
  readonly pattern: string;
  readonly witness: string;
  /** The behavior CloudFront selects for the witness path; undefined when the distribution has none at all. */
  readonly servedBy: BehaviorView | undefined;
}

/** For each path pattern of each catalog route: which behavior of the distribution serves it. */
export function servedPatterns(d: DistributionShape, routes: readonly RouteSpec[] = catalog().routes): ServedPattern[] {
  const views = behaviorViews(d);
  const ordered = views.filter((v) => !v.isDefault);
  const fallback = views.find((v) => v.isDefault);
  return routes.flatMap((route) => route.pathPatterns.map((pattern) => {
    const witness = witnessPath(pattern);
    return { route, pattern, witness, servedBy: selectBehavior(ordered, witness) ?? fallback };
  }));
}
