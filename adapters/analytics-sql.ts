/**
 * Reads the SQL templates of analytics/sql/ (the one folder of log analyses) and renders them for a
 * catalog (lib/analytics/analyses.ts). The rendered text is what runs locally, on Athena and as the
 * workgroup's named queries.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAnalyses, type RenderedAnalysis } from '../lib/analytics/analyses';
import type { Catalog } from '../lib/catalog';

/** analytics/sql/ of this repository. */
export const ANALYTICS_SQL_DIR = join(__dirname, '..', 'analytics', 'sql');

/** The templates: file name without `.sql` → text. */
export function readAnalysisTemplates(dir = ANALYTICS_SQL_DIR): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) if (f.endsWith('.sql')) out[f.slice(0, -4)] = readFileSync(join(dir, f), 'utf8');
  return out;
}

/** Every analysis rendered for `catalog`. */
export function loadAnalyses(catalog: Catalog, dir = ANALYTICS_SQL_DIR): RenderedAnalysis[] {
  return renderAnalyses(readAnalysisTemplates(dir), catalog);
}
