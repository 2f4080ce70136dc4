/**
 * SQL expressions generated from the catalog and the viewer-country table, for the log analyses of
 * analytics/sql/. The analyses run on DuckDB (locally) and on Athena (engine v3, Trino), so every
 * expression uses only syntax both accept: `CASE`, `LIKE … ESCAPE`, `IN`, `substr`, string literals.
 *
 * Content type: the type of the first ordered cache behavior whose pattern matches the path, else the
 * default behavior's type (spec §1.2, first match wins) — the same selection lib/semantics and
 * lib/monitoring/path-classes.ts make, rendered as a searched `CASE` whose branches keep the catalog's
 * order, so SQL's first true branch is CloudFront's first matching behavior.
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

/** One ordered behavior and the value its requests get. */
export interface SqlBehaviorClass {
  readonly pathPattern: string;
  readonly value: string;
}

/**
 * A searched CASE giving the value of the first behavior whose pattern matches the path in `column`,
 * or `defaultValue` (the default behavior). Consecutive behaviors with the same value share a branch.
 */
export function firstMatchCaseSql(behaviors: readonly SqlBehaviorClass[], defaultValue: string, column: string, indent = '  '): string {
  const path = normalizedPathSql(column);
  const branches: { value: string; patterns: string[] }[] = [];
  for (const b of behaviors) {
    const last = branches[branches.length - 1];
    if (last && last.value === b.value) last.patterns.push(b.pathPattern);
    else branches.push({ value: b.value, patterns: [b.pathPattern] });
  }
  const lines = branches.map((br) => {
    const cond = br.patterns.map((p) => pathMatchSql(`(${path})`, p)).join(`\n${indent}    OR `);
    return `${indent}  WHEN ${cond}\n${indent}    THEN ${sqlString(br.value)}`;
  });
  return [`CASE`, ...lines, `${indent}  ELSE ${sqlString(defaultValue)}`, `${indent}END`].join('\n');
}

/** The content type of the request whose path is in `column`, from the catalog's ordered behaviors. */
export function contentTypeCaseSql(catalog: Catalog, column: string, indent?: string): string {
  return firstMatchCaseSql(catalog.behaviors.map((b) => ({ pathPattern: b.pathPattern, value: b.route.contentType })), catalog.defaultRoute.contentType, column, indent);
}

/** Value of `cachedRouteCaseSql` for a never-cached route (managed CachingDisabled). */
export const UNCACHED_ROUTE = 'uncached';
export const CACHED_ROUTE = 'cached';

/**
 * `'cached'` or `'uncached'`: whether the request's behavior caches at all. Hit ratios count only
 * cached routes: a personalized API call is a miss by design (docs/monitoring.md).
 */
export function cachedRouteCaseSql(catalog: Catalog, column: string, indent?: string): string {
  const value = (caching: string) => (caching === 'disabled' ? UNCACHED_ROUTE : CACHED_ROUTE);
  return firstMatchCaseSql(catalog.behaviors.map((b) => ({ pathPattern: b.pathPattern, value: value(b.route.caching) })), value(catalog.defaultRoute.caching), column, indent);
}

/** Area of a country the viewer-country table does not know, or of a log line without a country. */
export const UNKNOWN_AREA = 'unknown';

/** The viewer area (lib/routing/viewer-countries.ts) of the ISO country code in `column`. */
export function viewerAreaCaseSql(column: string, indent = '  '): string {
  const lines = VIEWER_AREAS.map((a) => `${indent}  WHEN ${column} IN (${a.countries.split(/\s+/).filter(Boolean).map(sqlString).join(', ')}) THEN ${sqlString(a.name)}`);
  return ['CASE', ...lines, `${indent}  ELSE ${sqlString(UNKNOWN_AREA)}`, `${indent}END`].join('\n');
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
