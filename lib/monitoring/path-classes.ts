/**
 * Which content type a logged request belongs to, as a condition on its path (`cs-uri-stem`) built
 * from the catalog's ordered cache behaviors: the type of the first behavior whose pattern matches,
 * or the default behavior's type when none does (spec §1.2, first match wins). The same condition is
 * rendered as a CloudWatch Logs metric-filter pattern, as a Logs Insights filter and evaluated here,
 * so the dashboard, the alarms and `npm run report` classify a line exactly as CloudFront routed it.
 */
import type { Catalog, ContentTypeName } from '../catalog';
import { matchPathPattern, normalizePattern, patternCovers } from '../semantics/path-pattern';

/** A condition on the request path; negation only on leaves (pushed down by De Morgan). */
export type PathCondition =
  | { readonly op: 'match'; readonly pattern: string }
  | { readonly op: 'notMatch'; readonly pattern: string }
  | { readonly op: 'and'; readonly terms: readonly PathCondition[] }
  | { readonly op: 'or'; readonly terms: readonly PathCondition[] }
  | { readonly op: 'always' }
  | { readonly op: 'never' };

/** One ordered behavior with the class its requests are counted in. */
export interface ClassifiedBehavior {
  readonly pathPattern: string;
  readonly key: string;
}

const ALWAYS: PathCondition = { op: 'always' };
const NEVER: PathCondition = { op: 'never' };

function and(terms: readonly PathCondition[]): PathCondition {
  const flat: PathCondition[] = [];
  for (const t of terms) {
    if (t.op === 'never') return NEVER;
    if (t.op === 'always') continue;
    if (t.op === 'and') flat.push(...t.terms);
    else flat.push(t);
  }
  if (flat.length === 0) return ALWAYS;
  const kept = dropCovered(flat, 'notMatch');
  return kept.length === 1 ? kept[0]! : { op: 'and', terms: kept };
}

function or(terms: readonly PathCondition[]): PathCondition {
  const flat: PathCondition[] = [];
  for (const t of terms) {
    if (t.op === 'always') return ALWAYS;
    if (t.op === 'never') continue;
    if (t.op === 'or') flat.push(...t.terms);
    else flat.push(t);
  }
  if (flat.length === 0) return NEVER;
  const kept = dropCovered(flat, 'match');
  return kept.length === 1 ? kept[0]! : { op: 'or', terms: kept };
}

/**
 * Drops leaves made redundant by a sibling leaf of the same kind whose pattern covers theirs
 * (`a ∨ b` = `b` and `¬a ∧ ¬b` = `¬b` when every path matching `a` matches `b`); of two equivalent
 * patterns the first is kept.
 */
function dropCovered(terms: readonly PathCondition[], op: 'match' | 'notMatch'): PathCondition[] {
  const pattern = (t: PathCondition) => (t.op === op ? t.pattern : undefined);
  return terms.filter((t, i) => {
    const p = pattern(t);
    if (p === undefined) return true;
    return !terms.some((u, j) => {
      const q = pattern(u);
      if (j === i || q === undefined || !patternCovers(q, p)) return false;
      return !patternCovers(p, q) || j < i;
    });
  });
}

/** The negation, with `not` pushed down to the leaves. */
export function negate(c: PathCondition): PathCondition {
  switch (c.op) {
    case 'match': return { op: 'notMatch', pattern: c.pattern };
    case 'notMatch': return { op: 'match', pattern: c.pattern };
    case 'and': return or(c.terms.map(negate));
    case 'or': return and(c.terms.map(negate));
    case 'always': return NEVER;
    case 'never': return ALWAYS;
  }
}

function literalEnds(pattern: string): { prefix: string; suffix: string; wild: boolean } {
  const p = `/${normalizePattern(pattern)}`;
  const first = p.search(/[*?]/);
  if (first < 0) return { prefix: p, suffix: p, wild: false };
  const last = Math.max(p.lastIndexOf('*'), p.lastIndexOf('?'));
  return { prefix: p.slice(0, first), suffix: p.slice(last + 1), wild: true };
}

/**
 * False only when no path can match both patterns (their literal prefixes or suffixes disagree, or a
 * literal pattern is not matched by the other); true otherwise. Used to leave out exclusions that
 * cannot matter, which keeps metric-filter patterns under their 1,024-character limit.
 */
export function patternsMayOverlap(a: string, b: string): boolean {
  const x = literalEnds(a);
  const y = literalEnds(b);
  if (!x.wild) return matchPathPattern(b, x.prefix);
  if (!y.wild) return matchPathPattern(a, y.prefix);
  const prefixesAgree = x.prefix.startsWith(y.prefix) || y.prefix.startsWith(x.prefix);
  const suffixesAgree = x.suffix.endsWith(y.suffix) || y.suffix.endsWith(x.suffix);
  return prefixesAgree && suffixesAgree;
}

/** Paths whose first matching behavior is in `keys` (spec §1.2), ignoring the default behavior. */
function firstMatchIn(behaviors: readonly ClassifiedBehavior[], keys: ReadonlySet<string>): PathCondition {
  return or(behaviors.flatMap((b, i) => {
    if (!keys.has(b.key)) return [];
    const excluded = behaviors.slice(0, i).filter((e) => !keys.has(e.key) && patternsMayOverlap(e.pathPattern, b.pathPattern));
    return [and([{ op: 'match', pattern: b.pathPattern }, ...excluded.map((e): PathCondition => ({ op: 'notMatch', pattern: e.pathPattern }))])];
  }));
}

/**
 * The condition for class `key`: its paths are those whose first matching behavior has that class,
 * plus, for `defaultKey`, the paths no behavior matches (the default `*` behavior).
 */
export function classCondition(behaviors: readonly ClassifiedBehavior[], defaultKey: string, key: string): PathCondition {
  if (key !== defaultKey) return firstMatchIn(behaviors, new Set([key]));
  const others = new Set(behaviors.map((b) => b.key).filter((k) => k !== key));
  return negate(firstMatchIn(behaviors, others));
}

/** The class of a path by first-match selection: the reference the conditions are tested against. */
export function classOfPath(behaviors: readonly ClassifiedBehavior[], defaultKey: string, path: string): string {
  return behaviors.find((b) => matchPathPattern(b.pathPattern, path))?.key ?? defaultKey;
}

export function evaluateCondition(c: PathCondition, path: string): boolean {
  switch (c.op) {
    case 'match': return matchPathPattern(c.pattern, path);
    case 'notMatch': return !matchPathPattern(c.pattern, path);
    case 'and': return c.terms.every((t) => evaluateCondition(t, path));
    case 'or': return c.terms.some((t) => evaluateCondition(t, path));
    case 'always': return true;
    case 'never': return false;
  }
}

/** Behaviors keyed by content type: every request of the type. */
export function typeBehaviors(catalog: Catalog): ClassifiedBehavior[] {
  return catalog.behaviors.map((b) => ({ pathPattern: b.pathPattern, key: b.route.contentType }));
}

/** Suffix of the class of a type's never-cached routes (managed CachingDisabled). */
export const UNCACHED_SUFFIX = ':uncached';

/**
 * Behaviors keyed by cache class: `<type>` for the type's cached routes, `<type>:uncached` for its
 * never-cached ones. Hit ratios are measured on the cached class only: a personalized API route is
 * a miss by design and must not pull the API's hit ratio under its target.
 */
export function cacheClassBehaviors(catalog: Catalog): ClassifiedBehavior[] {
  return catalog.behaviors.map((b) => ({
    pathPattern: b.pathPattern,
    key: b.route.caching === 'disabled' ? `${b.route.contentType}${UNCACHED_SUFFIX}` : b.route.contentType,
  }));
}

/** Every request of a content type. */
export function contentTypeCondition(catalog: Catalog, type: ContentTypeName): PathCondition {
  return classCondition(typeBehaviors(catalog), catalog.defaultRoute.contentType, type);
}

/** Requests of a content type's cached routes (the hit-ratio population). */
export function cachedRoutesCondition(catalog: Catalog, type: ContentTypeName): PathCondition {
  return classCondition(cacheClassBehaviors(catalog), defaultCacheClass(catalog), type);
}

/** Requests of a content type's never-cached routes; `never` when it has none. */
export function uncachedRoutesCondition(catalog: Catalog, type: ContentTypeName): PathCondition {
  const key = `${type}${UNCACHED_SUFFIX}`;
  const behaviors = cacheClassBehaviors(catalog);
  if (!behaviors.some((b) => b.key === key)) return NEVER;
  return classCondition(behaviors, defaultCacheClass(catalog), key);
}

function defaultCacheClass(catalog: Catalog): string {
  const r = catalog.defaultRoute;
  return r.caching === 'disabled' ? `${r.contentType}${UNCACHED_SUFFIX}` : r.contentType;
}

/** Characters a path pattern may hold that a metric-filter string value cannot express. */
const METRIC_FILTER_UNSUPPORTED = /[?"\\]/;

/**
 * Renders a condition as the inside of a JSON metric-filter pattern over `field`
 * (`$.cs-uri-stem = "/video/*"`; `*` is the filter's wildcard and spans `/`, as in path patterns).
 * @throws Error for a pattern with `?`, `"` or `\`, which a filter string value cannot express.
 */
export function toMetricFilterExpression(c: PathCondition, field: string): string {
  const leaf = (pattern: string, op: '=' | '!=') => {
    if (METRIC_FILTER_UNSUPPORTED.test(pattern)) {
      throw new Error(`path pattern '${pattern}' holds '?', '"' or '\\', which a CloudWatch Logs metric filter cannot match; use '*' patterns in the catalog.`);
    }
    return `$.${field} ${op} "/${normalizePattern(pattern)}"`;
  };
  const render = (x: PathCondition, nested: boolean): string => {
    switch (x.op) {
      case 'match': return leaf(x.pattern, '=');
      case 'notMatch': return leaf(x.pattern, '!=');
      case 'and':
      case 'or': {
        const text = x.terms.map((t) => render(t, true)).join(x.op === 'and' ? ' && ' : ' || ');
        return nested ? `(${text})` : text;
      }
      case 'always': return `$.${field} = *`;
      case 'never': throw new Error('a condition that matches nothing has no metric-filter form');
    }
  };
  return render(c, false);
}

/** A CloudFront path pattern as an anchored regular expression for Logs Insights (`/.../`). */
export function patternToInsightsRegex(pattern: string): string {
  const body = normalizePattern(pattern)
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : /[\\^$.|+()[\]{}/]/.test(ch) ? `\\${ch}` : ch))
    .join('');
  return `/^\\/${body}$/`;
}

/** Renders a condition as a Logs Insights boolean expression over the backticked `field`. */
export function toInsightsExpression(c: PathCondition, field: string): string {
  const f = `\`${field}\``;
  const render = (x: PathCondition, nested: boolean): string => {
    switch (x.op) {
      case 'match': return `${f} like ${patternToInsightsRegex(x.pattern)}`;
      case 'notMatch': return `${f} not like ${patternToInsightsRegex(x.pattern)}`;
      case 'and':
      case 'or': {
        const text = x.terms.map((t) => render(t, true)).join(x.op === 'and' ? ' and ' : ' or ');
        return nested ? `(${text})` : text;
      }
      case 'always': return 'ispresent(' + f + ')';
      case 'never': return 'not ispresent(' + f + ')';
    }
  };
  return render(c, false);
}
