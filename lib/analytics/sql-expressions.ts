/**
 * SQL expressions generated from the catalog and the viewer-country table, for the log analyses of
 * analytics/sql/. The analyses run on DuckDB (locally) and on Athena (engine v3, Trino), so every
 * expression uses only syntax both accept: `CASE`, `LIKE … ESCAPE`, `IN`, `substr`, `VALUES`, string
 * literals.
 *
 * Content type: the type of the first ordered cache behavior whose pattern matches the path, else the
 * default behavior's type (spec §1.2, first match wins) — the same selection lib/semantics and
 * lib/monitoring/path-classes.ts make, rendered as a searched `CASE` whose branches keep the catalog's
 * order, so SQL's first true branch is CloudFront's first matching behavior. The CASE gives the
 * matching class's index, computed once per request; the content type and the cache class are read
 * from the index (the patterns are the costly part of a scan, so they are matched once).
 */
import type { Catalog } from '../catalog';
import { normalizePattern } from '../semantics/path-pattern';
import { VIEWER_AREAS } from '../routing/viewer-countries';

/** The escape character of every generated LIKE pattern. */
export const LIKE_ESCAPE = '\\';

/** A SQL string literal: single quotes doubled. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * A CloudFront path pattern (spec §1.2) as a SQL LIKE pattern over a path without its leading `/`:
 * `*` → `%`, `?` → `_`, and the LIKE metacharacters `%`, `_` and the escape character escaped.
 * The pattern's own leading `/` is dropped, as CloudFront drops one on both sides.
 */
export function pathPatternToLike(pattern: string): string {
  let out = '';
  for (const ch of normalizePattern(pattern)) {
    if (ch === '*') out += '%';
    else if (ch === '?') out += '_';
    else if (ch === '%' || ch === '_' || ch === LIKE_ESCAPE) out += LIKE_ESCAPE + ch;
    else out += ch;
  }
  return out;
}

/** The path without one leading `/` (spec §1.2 strips one on both sides before comparing). */
export function normalizedPathSql(column: string): string {
  return `CASE WHEN substr(${column}, 1, 1) = '/' THEN substr(${column}, 2) ELSE ${column} END`;
}

/** `<path> LIKE '<pattern>' ESCAPE '\'`, over the normalized path expression. */
export function pathMatchSql(pathSql: string, pattern: string): string {
  return `${pathSql} LIKE ${sqlString(pathPatternToLike(pattern))} ESCAPE ${sqlString(LIKE_ESCAPE)}`;
}

/** Value of `cached_route` for a never-cached route (managed CachingDisabled). */
export const UNCACHED_ROUTE = 'uncached';
export const CACHED_ROUTE = 'cached';

/** What the analyses need of a behavior: its content type and whether its route caches at all. */
export interface BehaviorClassValues {
  readonly contentType: string;
  /** `'cached'` or `'uncached'`: hit ratios count only cached routes (a personalized API call is a miss by design, docs/monitoring.md). */
  readonly cachedRoute: string;
}

/** Consecutive ordered behaviors with the same values, as one branch of the first-match CASE. */
export interface BehaviorClass extends BehaviorClassValues {
  readonly pathPatterns: readonly string[];
}

/**
 * The catalog's ordered behaviors grouped into classes for the first-match CASE: consecutive
 * behaviors with the same content type and cache class share a branch (the order is kept, so SQL's
 * first true branch is still CloudFront's first matching behavior), and the default behavior's values.
 */
export function behaviorClasses(catalog: Catalog): { classes: BehaviorClass[]; fallback: BehaviorClassValues } {
  const valuesOf = (route: Catalog['defaultRoute']): BehaviorClassValues => ({ contentType: route.contentType, cachedRoute: route.caching === 'disabled' ? UNCACHED_ROUTE : CACHED_ROUTE });
  const classes: { pathPatterns: string[]; contentType: string; cachedRoute: string }[] = [];
  for (const b of catalog.behaviors) {
    const v = valuesOf(b.route);
    const last = classes[classes.length - 1];
    if (last && last.contentType === v.contentType && last.cachedRoute === v.cachedRoute) last.pathPatterns.push(b.pathPattern);
    else classes.push({ ...v, pathPatterns: [b.pathPattern] });
  }
  return { classes, fallback: valuesOf(catalog.defaultRoute) };
}

/** The value of `behaviorIndexSql` for a path no behavior pattern matches (the default behavior). */
export const DEFAULT_BEHAVIOR_INDEX = -1;

/**
 * The literal first segment of a LIKE pattern (pathPatternToLike), with its `/` and escapes, when
 * the pattern starts with one (`video/%` → `video/`); undefined when a wildcard comes first or the
 * pattern has no `/` (it may match a path in any folder).
 */
export function literalFirstSegment(like: string): string | undefined {
  let out = '';
  for (let i = 0; i < like.length; i++) {
    const ch = like[i]!;
    if (ch === LIKE_ESCAPE) {
      out += like.slice(i, i + 2);
      i++;
    } else if (ch === '%' || ch === '_') return undefined;
    else {
      out += ch;
      if (ch === '/') return out;
    }
  }
  return undefined;
}

/** `WHEN … THEN <index>` lines of the first-match CASE for the given patterns, in the classes' order. */
function indexBranches(entries: readonly { index: number; pattern: string }[], normalizedPath: string, indent: string): string[] {
  const lines: string[] = [];
  for (let k = 0; k < entries.length; ) {
    const index = entries[k]!.index;
    const patterns: string[] = [];
    for (; k < entries.length && entries[k]!.index === index; k++) patterns.push(entries[k]!.pattern);
    lines.push(`${indent}  WHEN ${patterns.map((p) => pathMatchSql(normalizedPath, p)).join(`\n${indent}    OR `)}\n${indent}    THEN ${index}`);
  }
  return lines;
}

/**
 * A CASE giving the index (0-based) of the first class with a pattern matching the normalized path
 * in `normalizedPath` (normalizedPathSql), or DEFAULT_BEHAVIOR_INDEX. Computed once per request, so
 * the patterns are matched once however many values are read from the class.
 *
 * The patterns are dispatched on their literal first segment: a path under `video/` is tried only
 * against the patterns that start with `video/` and those that start with a wildcard, in the
 * catalog's order. A pattern starting with another literal segment cannot match it, so the first
 * match is the same as trying every pattern in order, with a fraction of the `LIKE`s per request.
 */
export function behaviorIndexSql(classes: readonly BehaviorClass[], normalizedPath: string, indent = '  '): string {
  const entries = classes.flatMap((c, index) => c.pathPatterns.map((p) => ({ index, pattern: p, segment: literalFirstSegment(pathPatternToLike(p)) })));
  const segments = [...new Set(entries.flatMap((e) => (e.segment === undefined ? [] : [e.segment])))];
  // The first-match CASE over `subset`; a pattern matching every path of the group (`video/*` under
  // `video/`) ends it, as the ELSE.
  const caseOf = (subset: typeof entries, inner: string, segment?: string) => {
    const all = segment === undefined ? -1 : subset.findIndex((e) => pathPatternToLike(e.pattern) === `${segment}%`);
    const tried = all < 0 ? subset : subset.slice(0, all);
    const otherwise = all < 0 ? DEFAULT_BEHAVIOR_INDEX : subset[all]!.index;
    if (tried.length === 0) return String(otherwise);
    return [`CASE`, ...indexBranches(tried, normalizedPath, inner), `${inner}  ELSE ${otherwise}`, `${inner}END`].join('\n');
  };
  const anywhere = entries.filter((e) => e.segment === undefined);
  if (segments.length <= 1) return caseOf(entries, indent);
  const inner = `${indent}    `;
  const lines = segments.map((seg) => `${indent}  WHEN ${normalizedPath} LIKE ${sqlString(`${seg}%`)} ESCAPE ${sqlString(LIKE_ESCAPE)}\n${indent}    THEN ${caseOf(entries.filter((e) => e.segment === seg || e.segment === undefined), inner, seg)}`);
  return [`CASE`, ...lines, `${indent}  ELSE ${caseOf(anywhere, inner)}`, `${indent}END`].join('\n');
}

/**
 * `(VALUES (0, 'video', 'cached'), …, (-1, <default's values>)) AS <alias>(behavior, content_type,
 * cached_route)`: every class index (and DEFAULT_BEHAVIOR_INDEX) with its values, one row each, to
 * join on the index. A join rather than a CASE over the index: an engine that pushes a filter on
 * `cached_route` down to the scan then filters this small table, instead of inlining the pattern
 * CASE once per branch.
 */
export function behaviorValuesSql(classes: readonly BehaviorClass[], fallback: BehaviorClassValues, alias: string): string {
  const row = (i: number, v: BehaviorClassValues) => `(${i}, ${sqlString(v.contentType)}, ${sqlString(v.cachedRoute)})`;
  const rows = [...classes.map((c, i) => row(i, c)), row(DEFAULT_BEHAVIOR_INDEX, fallback)];
  return `(VALUES ${rows.join(', ')}) AS ${alias}(behavior, content_type, cached_route)`;
}

/** Area of a country the viewer-country table does not know, or of a log line without a country. */
export const UNKNOWN_AREA = 'unknown';

/**
 * `(VALUES ('US', 'United States'), …) AS <alias>(country, viewer_area)`: every country of the
 * viewer-country table with its area, one row per country (the first area listing it), for a LEFT
 * JOIN on the viewer's country; a country the table does not know finds no row (UNKNOWN_AREA).
 */
export function viewerAreasValuesSql(alias: string): string {
  const seen = new Set<string>();
  const rows: string[] = [];
  for (const a of VIEWER_AREAS) {
    for (const c of a.countries.split(/\s+/).filter(Boolean)) {
      if (seen.has(c)) continue;
      seen.add(c);
      rows.push(`(${sqlString(c)}, ${sqlString(a.name)})`);
    }
  }
  return `(VALUES ${rows.join(', ')}) AS ${alias}(country, viewer_area)`;
}

/** `(VALUES (…), …) AS <alias>(content_type, target_hit_ratio, target_p95_ms)`: the catalog's targets. */
export function targetsValuesSql(catalog: Catalog, alias = 'targets'): string {
  const rows = catalog.types.map((t) => `(${sqlString(t.name)}, CAST(${Number(t.targetHitRatio)} AS DOUBLE), CAST(${Number(t.targetLatencyMs)} AS DOUBLE))`);
  return `(VALUES ${rows.join(', ')}) AS ${alias}(content_type, target_hit_ratio, target_p95_ms)`;
}

/** `IN (…)` list of string literals. */
export function sqlStringList(values: readonly string[]): string {
  return `(${values.map(sqlString).join(', ')})`;
}
