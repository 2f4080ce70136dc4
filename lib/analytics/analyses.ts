/**
 * The log analyses: their names, the rendering of the SQL templates of analytics/sql/ into the one
 * query text that runs locally (DuckDB), on Athena and as the workgroup's named queries, and their
 * parameters. Pure: the templates are read by adapters/analytics-sql.ts and passed in.
 *
 * A template holds `{{placeholder}}`s filled from the catalog (content type, cache class, targets),
 * the viewer-country table (viewer area) and lib/monitoring's result-type rules; `{{requests}}` is
 * the shared CTE of `_requests.sql`. Every analysis reads one table, `cloudfront_logs`, with the
 * columns of CloudFront's Parquet log delivery (lib/analytics/log-table.ts).
 */
import type { Catalog } from '../catalog';
import { InputError } from '../errors';
import { CACHEABLE_METHODS, CACHEABLE_RESULT_TYPES, HIT_RESULT_TYPES } from '../monitoring/log-fields';
import { behaviorClasses, behaviorIndexSql, behaviorValuesSql, normalizedPathSql, sqlString, sqlStringList, targetsValuesSql, UNKNOWN_AREA, viewerAreasValuesSql } from './sql-expressions';

/** The analyses, in the order reports show them; each is `analytics/sql/<name>.sql`. */
export const ANALYSIS_NAMES = Object.freeze([
  'hit-ratio-by-type',
  'hit-ratio-by-region',
  'ttfb-by-type-region',
  'top-missed-paths',
  'bytes-by-edge-location',
  'errors-by-status',
  'origin-offload',
  'invalidation-effect',
] as const);

export type AnalysisName = (typeof ANALYSIS_NAMES)[number];

/** The shared fragment's file name (without `.sql`): the `requests` CTE. */
export const REQUESTS_FRAGMENT = '_requests';

/** The table every analysis reads (the Glue table; a DuckDB view locally). */
export const LOG_TABLE = 'cloudfront_logs';

export function isAnalysisName(s: string): s is AnalysisName {
  return (ANALYSIS_NAMES as readonly string[]).includes(s);
}

/** One analysis rendered for a catalog. */
export interface RenderedAnalysis {
  readonly name: AnalysisName;
  /** The first comment block of the template: what the analysis answers. */
  readonly description: string;
  readonly sql: string;
  /** The `requests` CTE as it appears in `sql` (`requests AS (…)`), rendered for the catalog. */
  readonly requests: string;
}

/**
 * The analysis reading its requests from `table` (a table or CTE holding the `requests` CTE's rows
 * for the same parameters) instead of scanning the logs: the SQL after the CTE is unchanged, and it
 * takes no parameters. The local runner computes the CTE once for several analyses this way. The
 * alias is `NOT MATERIALIZED` (DuckDB and PostgreSQL syntax): DuckDB would otherwise copy the rows
 * again for an analysis that reads `requests` more than once (errors-by-status).
 */
export function analysisOverTable(a: RenderedAnalysis, table: string): string {
  const at = a.sql.indexOf(a.requests);
  if (at < 0) throw new Error(`${a.name}: its SQL does not contain its requests CTE`);
  return `${a.sql.slice(0, at)}requests AS NOT MATERIALIZED (SELECT * FROM ${table})${a.sql.slice(at + a.requests.length)}`;
}

/** The `SELECT` of the `requests` CTE (its body), with the CTE's five parameters. */
export function requestsSelect(a: RenderedAnalysis): string {
  const open = a.requests.indexOf('(');
  return a.requests.slice(open + 1, a.requests.lastIndexOf(')')).trim();
}

const PLACEHOLDER = /\{\{([a-z_]+)\}\}/g;

function fill(template: string, values: Readonly<Record<string, string>>, file: string): string {
  return template.replace(PLACEHOLDER, (_, key: string) => {
    const v = values[key];
    if (v === undefined) throw new InputError(`analytics/sql/${file}.sql: unknown placeholder {{${key}}}; use one of ${Object.keys(values).map((k) => `{{${k}}}`).join(', ')}.`);
    return v;
  });
}

/** The leading `--` comment lines, joined. */
export function leadingComment(sql: string): string {
  const lines: string[] = [];
  for (const line of sql.split('\n')) {
    const m = /^--\s?(.*)$/.exec(line.trim());
    if (!m) break;
    lines.push(m[1]!);
  }
  return lines.join(' ').trim();
}

/**
 * Renders every analysis from the templates (file name without `.sql` → text).
 * @throws InputError when an analysis or the fragment is missing, or a template names an unknown placeholder.
 */
export function renderAnalyses(templates: Readonly<Record<string, string>>, catalog: Catalog): RenderedAnalysis[] {
  const missing = [REQUESTS_FRAGMENT, ...ANALYSIS_NAMES].filter((n) => templates[n] === undefined);
  if (missing.length > 0) throw new InputError(`analytics/sql/ lacks ${missing.map((m) => `${m}.sql`).join(', ')}; restore the file(s).`);
  const extra = Object.keys(templates).filter((n) => n !== REQUESTS_FRAGMENT && !isAnalysisName(n));
  if (extra.length > 0) throw new InputError(`analytics/sql/ holds ${extra.map((m) => `${m}.sql`).join(', ')}, which lib/analytics/analyses.ts does not list; add it to ANALYSIS_NAMES or remove it.`);
  const { classes, fallback } = behaviorClasses(catalog);
  const requests = fill(stripLeadingComment(templates[REQUESTS_FRAGMENT]!).trimEnd(), {
    normalized_path: normalizedPathSql('s.cs_uri_stem'),
    behavior: behaviorIndexSql(classes, 't.normalized_path', '      '),
    behavior_classes: behaviorValuesSql(classes, fallback, 'b'),
    viewer_areas: viewerAreasValuesSql('a'),
    unknown_area: sqlString(UNKNOWN_AREA),
    cacheable_methods: sqlStringList(CACHEABLE_METHODS),
    hit_result_types: sqlStringList(HIT_RESULT_TYPES),
    cacheable_result_types: sqlStringList(CACHEABLE_RESULT_TYPES),
  }, REQUESTS_FRAGMENT);
  return ANALYSIS_NAMES.map((name) => {
    const template = templates[name]!;
    return {
      name,
      description: leadingComment(template),
      sql: `${fill(template, { requests, targets: targetsValuesSql(catalog, 't') }, name).trimEnd()}\n`,
      requests,
    };
  });
}

function stripLeadingComment(sql: string): string {
  const lines = sql.split('\n');
  let i = 0;
  while (i < lines.length && lines[i]!.trim().startsWith('--')) i++;
  return lines.slice(i).join('\n');
}

/** The time range and distribution an analysis runs over. */
export interface AnalysisScope {
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
  /** A distribution id; every distribution in the logs when absent. */
  readonly distributionId?: string;
}

function hourKey(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}`;
}

function sqlTimestamp(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

export interface AnalysisParameter {
  /** The value as text, for a client that binds parameters (DuckDB). */
  readonly value: string;
  /** The value as a SQL literal, for Athena's ExecutionParameters (spliced into the `?`s in order). */
  readonly literal: string;
}

/**
 * The parameters of every analysis, in the order of the `?`s of `_requests.sql`: first and last hour
 * (YYYYMMDDHH, for the partitions), from and to (timestamps), the distribution (LIKE pattern).
 */
export function analysisParameters(scope: AnalysisScope): AnalysisParameter[] {
  // The last hour holding a request before `to` (exclusive): the hour of to - 1 ms.
  const last = new Date(scope.to.getTime() - 1);
  const distribution = scope.distributionId ?? '%';
  return [
    { value: hourKey(scope.from), literal: hourKey(scope.from) },
    { value: hourKey(last), literal: hourKey(last) },
    { value: sqlTimestamp(scope.from), literal: sqlString(sqlTimestamp(scope.from)) },
    { value: sqlTimestamp(scope.to), literal: sqlString(sqlTimestamp(scope.to)) },
    { value: distribution, literal: sqlString(distribution) },
  ];
}

/** Distribution ids as CloudFront issues them: upper-case letters and digits. */
const DISTRIBUTION_ID = /^[A-Z0-9]{1,32}$/;

/** @throws InputError for a distribution id that is not one. */
export function validateDistributionId(id: string, flag = '--distribution'): string {
  if (!DISTRIBUTION_ID.test(id)) throw new InputError(`${flag} '${id}' is not a CloudFront distribution id (upper-case letters and digits, e.g. E2EXAMPLE1ABCD); check the stack outputs.`);
  return id;
}

/**
 * The offsets of the `?` parameter markers of a query: outside string literals (`'…'`, `''` inside),
 * quoted identifiers (`"…"`) and comments (`-- …`, `/* … *\/`).
 */
export function parameterMarkers(sql: string): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      i++;
      while (i < sql.length) {
        if (sql[i] === c) {
          if (sql[i + 1] === c) i += 2;
          else break;
        } else i++;
      }
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else {
      if (c === '?') out.push(i);
      i++;
    }
  }
  return out;
}

/**
 * The query with its `?`s replaced, in order, by the literals: what Athena does with a query's
 * ExecutionParameters (the local stand-in uses it).
 * @throws InputError when the counts differ.
 */
export function spliceParameters(sql: string, literals: readonly string[]): string {
  const marks = parameterMarkers(sql);
  if (marks.length !== literals.length) throw new InputError(`the query has ${marks.length} parameter(s) and ${literals.length} value(s) were given; pass one ExecutionParameter per '?'.`);
  let out = '';
  let last = 0;
  marks.forEach((m, k) => {
    out += sql.slice(last, m) + literals[k]!;
    last = m + 1;
  });
  return out + sql.slice(last);
}
