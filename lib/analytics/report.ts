/**
 * The report of `npm run analyze`: text, JSON and HTML (tables plus charts of the hit ratio per type
 * against its target and of origin offload per hour) from the analyses' results. Pure.
 */
import type { HtmlReport, ReportSection } from '../report/html';
import type { AnalysisScope, RenderedAnalysis } from './analyses';
import { resultTable, type AnalysisResult, type Cell } from './results';

/** What ran where: local files or an Athena workgroup. */
export interface AnalysisRun {
  /** `logs <folder>` or `athena <workgroup>`. */
  readonly source: string;
  readonly scope: AnalysisScope;
  readonly results: readonly AnalysisResult[];
  /** Athena only: bytes scanned over every query, and their price. */
  readonly athena?: { readonly bytesScanned: number; readonly costUsd: number };
}

function describe(analyses: readonly RenderedAnalysis[], name: string): string {
  return analyses.find((a) => a.name === name)?.description ?? '';
}

function scopeLine(run: AnalysisRun): string {
  const s = run.scope;
  return `${run.source}; ${s.from.toISOString()} to ${s.to.toISOString()} (exclusive); distribution ${s.distributionId ?? 'any'}`;
}

export function athenaCostLine(a: NonNullable<AnalysisRun['athena']>): string {
  return `Athena scanned ${a.bytesScanned} bytes (${(a.bytesScanned / 1e9).toFixed(3)} GB), $${a.costUsd.toFixed(6)} at the per-TB price.`;
}

export function renderAnalysisText(run: AnalysisRun, analyses: readonly RenderedAnalysis[]): string {
  const parts = [`Log analyses: ${scopeLine(run)}`];
  for (const r of run.results) parts.push('', `== ${r.name} ==`, describe(analyses, r.name), resultTable(r));
  if (run.athena) parts.push('', athenaCostLine(run.athena));
  return parts.join('\n');
}

export function analysisJson(run: AnalysisRun, analyses: readonly RenderedAnalysis[]): unknown {
  return {
    source: run.source,
    from: run.scope.from.toISOString(),
    to: run.scope.to.toISOString(),
    distributionId: run.scope.distributionId ?? null,
    analyses: Object.fromEntries(run.results.map((r) => [r.name, {
      description: describe(analyses, r.name), columns: r.columns, rows: r.rows, ...(r.bytesScanned !== undefined ? { bytesScanned: r.bytesScanned } : {}),
    }])),
    ...(run.athena ? { athena: run.athena } : {}),
  };
}

const num = (c: Cell | undefined) => (typeof c === 'number' ? c : null);
const pct = (c: Cell | undefined) => (typeof c === 'number' ? Math.round(c * 10_000) / 100 : null);

function hitRatioChart(r: AnalysisResult): ReportSection['chart'] {
  return {
    id: 'hit-ratio-by-type',
    config: {
      type: 'bar',
      data: {
        labels: r.rows.map((x) => String(x.content_type)),
        datasets: [
          { label: 'hit ratio (%)', data: r.rows.map((x) => pct(x.hit_ratio)) },
          { label: 'byte hit ratio (%)', data: r.rows.map((x) => pct(x.byte_hit_ratio)) },
          { label: 'target (%)', data: r.rows.map((x) => pct(x.target_hit_ratio)) },
        ],
      },
      options: { responsive: true, maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } } },
    },
  };
}

function offloadChart(r: AnalysisResult): ReportSection['chart'] {
  return {
    id: 'origin-offload',
    config: {
      type: 'line',
      data: {
        labels: r.rows.map((x) => String(x.hour_start)),
        datasets: [
          { label: 'request offload (%)', data: r.rows.map((x) => pct(x.request_offload)) },
          { label: 'byte offload (%)', data: r.rows.map((x) => pct(x.byte_offload)) },
        ],
      },
      options: { responsive: true, maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } } },
    },
  };
}

function ttfbChart(r: AnalysisResult): ReportSection['chart'] {
  const overall = r.rows.filter((x) => x.viewer_area === '*');
  return {
    id: 'ttfb-by-type',
    config: {
      type: 'bar',
      data: {
        labels: overall.map((x) => String(x.content_type)),
        datasets: ['p50_ms', 'p95_ms', 'p99_ms', 'target_p95_ms'].map((k) => ({ label: k.replace('_ms', ' (ms)'), data: overall.map((x) => num(x[k])) })),
      },
      options: { responsive: true, maintainAspectRatio: false },
    },
  };
}

const CHARTS: Readonly<Record<string, (r: AnalysisResult) => ReportSection['chart']>> = {
  'hit-ratio-by-type': hitRatioChart,
  'ttfb-by-type-region': ttfbChart,
  'origin-offload': offloadChart,
};

export function analysisHtml(run: AnalysisRun, analyses: readonly RenderedAnalysis[], maxRows = 200): HtmlReport {
  const cell = (c: Cell | undefined) => (c === null || c === undefined ? '-' : typeof c === 'number' && !Number.isInteger(c) ? c.toFixed(4) : String(c));
  return {
    title: 'CloudFront log analyses',
    subtitle: scopeLine(run) + (run.athena ? `. ${athenaCostLine(run.athena)}` : ''),
    sections: run.results.flatMap((r): ReportSection[] => {
      const chart = CHARTS[r.name]?.(r);
      const table = { headers: [...r.columns], rows: r.rows.slice(0, maxRows).map((row) => r.columns.map((c) => cell(row[c]))) };
      return [{ title: r.name, text: describe(analyses, r.name), ...(chart && r.rows.length > 0 ? { chart } : {}), table }];
    }),
  };
}
