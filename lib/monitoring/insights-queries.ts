/**
 * CloudWatch Logs Insights queries over the access logs (JSON, fields of spec §11), shared by the
 * dashboard's log widgets and `npm run report`, and the parsing of their results.
 *
 * Query syntax: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html
 * (fields with `-` or `(` are quoted in backticks).
 */
import type { Catalog, ContentTypeName } from '../catalog';
import { LOG_FIELDS } from './log-fields';
import { cachedRoutesCondition, toInsightsExpression, uncachedRoutesCondition, type PathCondition } from './path-classes';

const q = (field: string) => `\`${field}\``;

/** The part of a content type a class query covers. */
export type RouteClass = 'cached' | 'uncached';

export interface ClassQuery {
  readonly contentType: ContentTypeName;
  readonly routes: RouteClass;
  readonly query: string;
}

/** Rows returned by {@link classStatsQuery}. */
export interface ClassStats {
  readonly requests: number;
  readonly bytes: number;
  readonly hits: number;
  readonly misses: number;
  /** p95 of time-to-first-byte, seconds; undefined without requests. */
  readonly ttfbP95Seconds?: number;
}

/** 1 for GET or HEAD, else 0 (Logs Insights has no conditional; `strcontains` returns 1 or 0). */
const CACHEABLE_METHOD = `(strcontains(${q(LOG_FIELDS.method)}, "GET") + strcontains(${q(LOG_FIELDS.method)}, "HEAD"))`;

/**
 * Requests, bytes, GET/HEAD hits and misses and p95 time-to-first-byte of the requests matching
 * `condition`. `strcontains(result, "Hit")` counts Hit and RefreshHit.
 */
export function classStatsQuery(condition: PathCondition): string {
  return [
    `filter ${toInsightsExpression(condition, LOG_FIELDS.path)}`,
    `fields strcontains(${q(LOG_FIELDS.resultType)}, "Hit") * ${CACHEABLE_METHOD} as isHit, strcontains(${q(LOG_FIELDS.resultType)}, "Miss") * ${CACHEABLE_METHOD} as isMiss`,
    `stats count(*) as requests, sum(${q(LOG_FIELDS.bytes)}) as bytes, sum(isHit) as hits, sum(isMiss) as misses, pct(${q(LOG_FIELDS.timeToFirstByte)}, 95) as ttfbP95`,
  ].join('\n| ');
}

/** One query per content type's cached routes, and one per type that also has never-cached routes. */
export function classQueries(catalog: Catalog): ClassQuery[] {
  return catalog.types.flatMap((t) => {
    const out: ClassQuery[] = [{ contentType: t.name, routes: 'cached', query: classStatsQuery(cachedRoutesCondition(catalog, t.name)) }];
    const uncached = uncachedRoutesCondition(catalog, t.name);
    if (uncached.op !== 'never') out.push({ contentType: t.name, routes: 'uncached', query: classStatsQuery(uncached) });
    return out;
  });
}

/** Requests and p95 time-taken (seconds) by a grouping field, busiest first. */
export function breakdownQuery(by: 'country' | 'edgeLocation', limit = 50): string {
  return [
    `stats count(*) as requests, pct(${q(LOG_FIELDS.timeTaken)}, 95) as timeTakenP95, sum(${q(LOG_FIELDS.bytes)}) as bytes by ${q(LOG_FIELDS[by])}`,
    'sort requests desc',
    `limit ${limit}`,
  ].join('\n| ');
}

export function topPathsQuery(limit = 20): string {
  return [
    `stats count(*) as requests, sum(${q(LOG_FIELDS.bytes)}) as bytes by ${q(LOG_FIELDS.path)}`,
    'sort requests desc',
    `limit ${limit}`,
  ].join('\n| ');
}

export function topMissesQuery(limit = 20): string {
  return [
    `filter ${q(LOG_FIELDS.resultType)} = "Miss"`,
    `stats count(*) as misses, sum(${q(LOG_FIELDS.bytes)}) as bytes by ${q(LOG_FIELDS.path)}`,
    'sort misses desc',
    `limit ${limit}`,
  ].join('\n| ');
}

/** A query as a dashboard log widget runs it: prefixed with its log group. */
export function withSource(logGroupName: string, query: string): string {
  return `SOURCE '${logGroupName}' | ${query}`;
}

/** One Logs Insights result row (GetQueryResults `results[i]`). */
export type InsightsRow = readonly { readonly field?: string; readonly value?: string }[];

/** Rows as records, without the `@ptr` field. */
export function rowsToRecords(rows: readonly InsightsRow[]): Record<string, string>[] {
  return rows.map((row) => {
    const rec: Record<string, string> = {};
    for (const cell of row) if (cell.field && cell.field !== '@ptr' && cell.value !== undefined) rec[cell.field] = cell.value;
    return rec;
  });
}

function num(rec: Record<string, string>, key: string): number | undefined {
  const v = rec[key];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** The single row of a class query; zeros when the class had no requests. */
export function parseClassStats(rows: readonly InsightsRow[]): ClassStats {
  const rec = rowsToRecords(rows)[0] ?? {};
  const ttfb = num(rec, 'ttfbP95');
  return {
    requests: num(rec, 'requests') ?? 0,
    bytes: num(rec, 'bytes') ?? 0,
    hits: num(rec, 'hits') ?? 0,
    misses: num(rec, 'misses') ?? 0,
    ...(ttfb !== undefined ? { ttfbP95Seconds: ttfb } : {}),
  };
}

export interface BreakdownRow {
  readonly key: string;
  readonly requests: number;
  readonly timeTakenP95Seconds?: number;
  readonly bytes: number;
}

export function parseBreakdown(rows: readonly InsightsRow[], by: 'country' | 'edgeLocation'): BreakdownRow[] {
  return rowsToRecords(rows).map((rec) => {
    const p95 = num(rec, 'timeTakenP95');
    return { key: rec[LOG_FIELDS[by]] ?? '-', requests: num(rec, 'requests') ?? 0, bytes: num(rec, 'bytes') ?? 0, ...(p95 !== undefined ? { timeTakenP95Seconds: p95 } : {}) };
  });
}

export interface PathRow {
  readonly path: string;
  readonly count: number;
  readonly bytes: number;
}

export function parsePathRows(rows: readonly InsightsRow[], countField: 'requests' | 'misses'): PathRow[] {
  return rowsToRecords(rows).map((rec) => ({ path: rec[LOG_FIELDS.path] ?? '-', count: num(rec, countField) ?? 0, bytes: num(rec, 'bytes') ?? 0 }));
}
