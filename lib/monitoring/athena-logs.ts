/**
 * The monitoring report's access-log figures from the log analyses (analytics/sql, run on Athena)
 * instead of Logs Insights: `npm run report -- --source athena`. The same shape as the Logs
 * Insights figures, so the checks against the catalog targets and the tables do not change. Pure:
 * the script runs the analyses, this maps their rows.
 *
 * What differs from Logs Insights: one row per content type over its cached routes (the analyses
 * count never-cached routes apart from the hit ratio only through TTFB), the p95 per type over all
 * of the type's routes (as the simulator reports it), countries over cached routes, and no "top
 * paths" (the analyses list the top missed paths).
 */
import type { AnalysisName } from '../analytics/analyses';
import type { AnalysisResult, Cell } from '../analytics/results';
import type { Catalog } from '../catalog';
import type { BreakdownRow, PathRow } from './insights-queries';
import type { ClassResult, ReportData } from './report';

/** The analyses the report reads, in the order it runs them. */
export const REPORT_ANALYSES: readonly AnalysisName[] = Object.freeze([
  'hit-ratio-by-type', 'ttfb-by-type-region', 'hit-ratio-by-region', 'bytes-by-edge-location', 'top-missed-paths',
] as const);

type Row = Readonly<Record<string, Cell>>;

const num = (c: Cell | undefined): number => (typeof c === 'number' && Number.isFinite(c) ? c : 0);

function rowsOf(results: readonly AnalysisResult[], name: AnalysisName): readonly Row[] {
  const r = results.find((x) => x.name === name);
  if (!r) throw new Error(`the report needs the ${name} analysis; it was not run`);
  return r.rows;
}

/** The report's `logs` from the analyses' results (REPORT_ANALYSES, any order). */
export function logsFromAnalyses(results: readonly AnalysisResult[], catalog: Catalog): NonNullable<ReportData['logs']> {
  const p95 = new Map<string, number>();
  for (const r of rowsOf(results, 'ttfb-by-type-region')) {
    if (r.viewer_area === '*' && typeof r.p95_ms === 'number') p95.set(String(r.content_type), r.p95_ms / 1000);
  }
  const byType = new Map(rowsOf(results, 'hit-ratio-by-type').map((r) => [String(r.content_type), r]));
  const classes: ClassResult[] = [];
  for (const t of catalog.types) {
    const r = byType.get(t.name);
    if (!r) continue;
    const hits = num(r.hits);
    const ttfb = p95.get(t.name);
    classes.push({
      contentType: t.name,
      routes: 'cached',
      stats: { requests: num(r.requests), bytes: num(r.bytes), hits, misses: num(r.cacheable_requests) - hits, ...(ttfb !== undefined ? { ttfbP95Seconds: ttfb } : {}) },
    });
  }
  const countries: BreakdownRow[] = rowsOf(results, 'hit-ratio-by-region')
    .filter((r) => r.country !== '*')
    .map((r) => ({ key: String(r.country), requests: num(r.requests), bytes: num(r.bytes) }))
    .sort((a, b) => b.requests - a.requests);
  const edgeLocations: BreakdownRow[] = rowsOf(results, 'bytes-by-edge-location')
    .map((r) => ({ key: String(r.edge_location ?? '-'), requests: num(r.requests), bytes: num(r.bytes) }))
    .sort((a, b) => b.requests - a.requests);
  const topMisses: PathRow[] = rowsOf(results, 'top-missed-paths').map((r) => ({ path: String(r.path), count: num(r.misses), bytes: num(r.miss_bytes) }));
  return {
    classes, countries, edgeLocations, topPaths: [], topMisses,
    bytesScanned: results.reduce((s, r) => s + (r.bytesScanned ?? 0), 0),
    source: 'athena',
  };
}
