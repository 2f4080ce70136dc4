/**
 * The monitoring report: CloudWatch metrics and Logs Insights results for a range, checked against
 * the catalog targets and the alarm thresholds, rendered as terminal tables, JSON and an HTML page
 * (lib/report/html.ts). Pure: the script gathers the data, this turns it into findings.
 */
import type { Catalog, ContentTypeName } from '../catalog';
import { formatPercent, renderTable } from '../format/table';
import type { HtmlReport, ReportSection } from '../report/html';
import { originLatencyThresholdMs, overallHitRateTargetPercent, SEVERITY_PROFILES, type Severity } from './alarms';
import type { BreakdownRow, ClassStats, PathRow, RouteClass } from './insights-queries';
import type { ReportMetricKey } from './report-metrics';
import { rumChecks, rumTable, type RumData } from './rum-report';
import { RUM_THRESHOLDS } from './rum';

export interface Series {
  readonly timestamps: readonly string[];
  readonly values: readonly number[];
}

export interface ClassResult {
  readonly contentType: ContentTypeName;
  readonly routes: RouteClass;
  readonly stats: ClassStats;
}

/** Everything the script gathered. Totals are undefined when CloudWatch had no data point. */
export interface ReportData {
  readonly stack: string;
  readonly distributionId: string;
  readonly logGroupName?: string;
  readonly from: string;
  readonly to: string;
  readonly seriesPeriodSeconds: number;
  readonly totals: Readonly<Partial<Record<ReportMetricKey, number>>>;
  readonly series: Readonly<Partial<Record<ReportMetricKey, Series>>>;
  /** Absent when the logs were not queried (no log group output). */
  readonly logs?: {
    readonly classes: readonly ClassResult[];
    readonly countries: readonly BreakdownRow[];
    readonly edgeLocations: readonly BreakdownRow[];
    readonly topPaths: readonly PathRow[];
    readonly topMisses: readonly PathRow[];
    readonly bytesScanned: number;
    /** Where the figures come from: Logs Insights (the default) or the log analyses on Athena. */
    readonly source?: 'logs-insights' | 'athena';
    /** Athena's price of the bytes scanned (`--source athena`). */
    readonly costUsd?: number;
    /** The Athena workgroup that ran them (`--source athena`). */
    readonly workgroup?: string;
  };
  /** The web player's real-user figures; absent when the stack has no RUM app monitor. */
  readonly rum?: RumData;
}

export type CheckStatus = 'pass' | 'FAIL' | 'no data';

export interface Check {
  readonly name: string;
  readonly measured: string;
  readonly target: string;
  readonly status: CheckStatus;
}

export interface TypeRow {
  readonly contentType: ContentTypeName;
  readonly routes: RouteClass;
  readonly requests: number;
  readonly gb: number;
  readonly hitRatio?: number;
  readonly targetHitRatio?: number;
  readonly ttfbP95Ms?: number;
  readonly targetLatencyMs: number;
}

export interface MonitoringReport {
  readonly data: ReportData;
  readonly checks: readonly Check[];
  readonly types: readonly TypeRow[];
  readonly failed: number;
}

const BYTES_PER_GB = 1e9;
const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

function status(value: number | undefined, ok: (v: number) => boolean): CheckStatus {
  return value === undefined ? 'no data' : ok(value) ? 'pass' : 'FAIL';
}

/** Compares the data with the catalog targets and the alarm thresholds of `severity`. */
export function evaluateReport(data: ReportData, catalog: Catalog, severity: Severity): MonitoringReport {
  const profile = SEVERITY_PROFILES[severity];
  const t = data.totals;
  const fmt = (v: number | undefined, unit: string) => (v === undefined ? '-' : `${round(v)}${unit}`);
  const checks: Check[] = [
    { name: 'CacheHitRate (distribution)', measured: fmt(t.cacheHitRate, '%'), target: `≥ ${overallHitRateTargetPercent(catalog)}%`, status: status(t.cacheHitRate, (v) => v >= overallHitRateTargetPercent(catalog)) },
    { name: '5xx error rate', measured: fmt(t.errorRate5xx, '%'), target: `≤ ${profile.errorRate5xxPercent}%`, status: status(t.errorRate5xx, (v) => v <= profile.errorRate5xxPercent) },
    { name: '4xx error rate', measured: fmt(t.errorRate4xx, '%'), target: `≤ ${profile.errorRate4xxPercent}%`, status: status(t.errorRate4xx, (v) => v <= profile.errorRate4xxPercent) },
    { name: 'OriginLatency p95', measured: fmt(t.originLatencyP95, ' ms'), target: `≤ ${originLatencyThresholdMs(catalog)} ms`, status: status(t.originLatencyP95, (v) => v <= originLatencyThresholdMs(catalog)) },
  ];
  const types: TypeRow[] = [];
  for (const c of data.logs?.classes ?? []) {
    const spec = catalog.type(c.contentType);
    const cacheable = c.stats.hits + c.stats.misses;
    const hitRatio = c.routes === 'cached' && cacheable > 0 ? c.stats.hits / cacheable : undefined;
    const ttfbMs = c.stats.ttfbP95Seconds === undefined || c.stats.requests === 0 ? undefined : c.stats.ttfbP95Seconds * 1000;
    types.push({
      contentType: c.contentType, routes: c.routes, requests: c.stats.requests, gb: c.stats.bytes / BYTES_PER_GB,
      ...(hitRatio !== undefined ? { hitRatio } : {}),
      ...(c.routes === 'cached' ? { targetHitRatio: spec.targetHitRatio } : {}),
      ...(ttfbMs !== undefined ? { ttfbP95Ms: ttfbMs } : {}),
      targetLatencyMs: spec.targetLatencyMs,
    });
    const label = c.routes === 'cached' ? c.contentType : `${c.contentType} (never-cached routes)`;
    if (c.routes === 'cached') {
      checks.push({ name: `hit ratio ${label}`, measured: hitRatio === undefined ? '-' : formatPercent(hitRatio), target: `≥ ${formatPercent(spec.targetHitRatio, 0)}`, status: status(hitRatio, (v) => v >= spec.targetHitRatio) });
    }
    checks.push({ name: `p95 first byte ${label}`, measured: ttfbMs === undefined ? '-' : `${Math.round(ttfbMs)} ms`, target: `≤ ${spec.targetLatencyMs} ms`, status: status(ttfbMs, (v) => v <= spec.targetLatencyMs) });
  }
  if (data.rum) checks.push(...rumChecks(data.rum));
  return { data, checks, types, failed: checks.filter((c) => c.status === 'FAIL').length };
}

const int = (v: number) => Math.round(v).toLocaleString('en-US');
const secMs = (s: number | undefined) => (s === undefined ? '-' : `${Math.round(s * 1000)} ms`);

function typeTable(r: MonitoringReport): { headers: string[]; rows: string[][] } {
  return {
    headers: ['content type', 'routes', 'requests', 'GB', 'hit ratio', 'target', 'p95 first byte', 'target'],
    rows: r.types.map((t) => [
      t.contentType, t.routes, int(t.requests), round(t.gb).toFixed(2),
      t.hitRatio === undefined ? '-' : formatPercent(t.hitRatio), t.targetHitRatio === undefined ? '-' : formatPercent(t.targetHitRatio, 0),
      t.ttfbP95Ms === undefined ? '-' : `${Math.round(t.ttfbP95Ms)} ms`, `${t.targetLatencyMs} ms`,
    ]),
  };
}

function breakdownTable(rows: readonly BreakdownRow[], what: string) {
  return { headers: [what, 'requests', 'GB', 'p95 time-taken'], rows: rows.map((b) => [b.key, int(b.requests), round(b.bytes / BYTES_PER_GB).toFixed(2), secMs(b.timeTakenP95Seconds)]) };
}

function pathTable(rows: readonly PathRow[], what: string) {
  return { headers: ['path', what, 'GB'], rows: rows.map((p) => [p.path, int(p.count), round(p.bytes / BYTES_PER_GB, 3).toFixed(3)]) };
}

function logsLine(d: ReportData): string {
  const l = d.logs;
  if (!l) return 'Access logs not queried (the outputs name no log group).';
  const gb = (l.bytesScanned / BYTES_PER_GB).toFixed(3);
  if (l.source === 'athena') return `Athena scanned ${gb} GB of Parquet logs in workgroup ${l.workgroup ?? '-'} ($${(l.costUsd ?? 0).toFixed(4)}).`;
  return `Logs Insights scanned ${gb} GB of ${d.logGroupName}.`;
}

function summaryText(r: MonitoringReport): string {
  const t = r.data.totals;
  return [
    `Stack ${r.data.stack}, distribution ${r.data.distributionId}, ${r.data.from} to ${r.data.to}.`,
    `Requests ${t.requests === undefined ? '-' : int(t.requests)}, ${t.bytesDownloaded === undefined ? '-' : (t.bytesDownloaded / BYTES_PER_GB).toFixed(2)} GB to viewers.`,
    logsLine(r.data),
    r.failed === 0 ? 'Every measured target is met.' : `${r.failed} check(s) missed their target.`,
  ].join('\n');
}

/** The report for a terminal. */
export function renderReportText(r: MonitoringReport): string {
  const parts = [summaryText(r), '', renderTable(['check', 'measured', 'target', 'status'], r.checks.map((c) => [c.name, c.measured, c.target, c.status]))];
  if (r.data.logs) {
    const tt = typeTable(r);
    parts.push('', 'By content type (access logs):', renderTable(tt.headers, tt.rows));
    for (const [title, table] of [
      ['By country:', breakdownTable(r.data.logs.countries.slice(0, 10), 'country')],
      ['By edge location:', breakdownTable(r.data.logs.edgeLocations.slice(0, 10), 'edge location')],
      ...(r.data.logs.source === 'athena' ? [] : [['Top paths:', pathTable(r.data.logs.topPaths.slice(0, 10), 'requests')] as const]),
      ['Top misses:', pathTable(r.data.logs.topMisses.slice(0, 10), 'misses')],
    ] as const) {
      parts.push('', title, renderTable(table.headers, table.rows));
    }
  }
  if (r.data.rum) {
    const rt = rumTable(r.data.rum);
    parts.push('', `Real-user monitoring (CloudWatch RUM app monitor ${r.data.rum.appMonitorName}):`, renderTable(rt.headers, rt.rows));
  }
  return parts.join('\n');
}

/** The report as JSON (what `--json` writes). */
export function reportJson(r: MonitoringReport) {
  return { ...r.data, checks: r.checks, contentTypes: r.types, failed: r.failed };
}

function lineChart(id: string, s: Series | undefined, label: string, target?: { value: number; label: string }): ReportSection['chart'] | undefined {
  if (!s || s.values.length === 0) return undefined;
  const datasets: unknown[] = [{ label, data: s.values, borderColor: '#1f77b4', pointRadius: 0, borderWidth: 1.5 }];
  if (target) datasets.push({ label: target.label, data: s.values.map(() => target.value), borderColor: '#d62728', borderDash: [6, 4], pointRadius: 0, borderWidth: 1 });
  return { id, config: { type: 'line', data: { labels: s.timestamps, datasets }, options: { scales: { y: { beginAtZero: true } } } } };
}

/** The report as sections for renderHtmlReport. */
export function reportHtml(r: MonitoringReport, catalog: Catalog): HtmlReport {
  const s = r.data.series;
  const sections: ReportSection[] = [
    { title: 'Summary', text: summaryText(r), table: { headers: ['check', 'measured', 'target', 'status'], rows: r.checks.map((c) => [c.name, c.measured, c.target, c.status]) } },
  ];
  const charts: [string, string, ReportMetricKey, { value: number; label: string } | undefined][] = [
    ['Requests', 'requests', 'requests', undefined],
    ['Bytes to viewers', 'bytes', 'bytesDownloaded', undefined],
    ['CacheHitRate (%)', 'hit-rate', 'cacheHitRate', { value: overallHitRateTargetPercent(catalog), label: 'alarm threshold' }],
    ['5xx error rate (%)', 'errors-5xx', 'errorRate5xx', undefined],
    ['OriginLatency p95 (ms)', 'origin-latency', 'originLatencyP95', { value: originLatencyThresholdMs(catalog), label: 'alarm threshold' }],
  ];
  for (const [title, id, key, target] of charts) {
    const chart = lineChart(id, s[key], title, target);
    if (chart) sections.push({ title, chart });
  }
  if (r.data.logs) {
    const cached = r.types.filter((t) => t.routes === 'cached');
    sections.push({
      title: 'Hit ratio by content type',
      chart: {
        id: 'type-hit-ratio',
        config: {
          type: 'bar',
          data: {
            labels: cached.map((t) => t.contentType),
            datasets: [
              { label: 'measured (%)', data: cached.map((t) => (t.hitRatio === undefined ? null : round(t.hitRatio * 100))), backgroundColor: '#1f77b4' },
              { label: 'target (%)', data: cached.map((t) => round((t.targetHitRatio ?? 0) * 100)), backgroundColor: '#d3d3d3' },
            ],
          },
          options: { scales: { y: { min: 0, max: 100 } } },
        },
      },
      table: typeTable(r),
    });
    sections.push({ title: 'By country', table: breakdownTable(r.data.logs.countries, 'country') });
    sections.push({ title: 'By edge location', table: breakdownTable(r.data.logs.edgeLocations, 'edge location') });
    if (r.data.logs.source !== 'athena') sections.push({ title: 'Top paths', table: pathTable(r.data.logs.topPaths, 'requests') });
    sections.push({ title: 'Top misses', table: pathTable(r.data.logs.topMisses, 'misses') });
  }
  if (r.data.rum) {
    const rum = r.data.rum;
    sections.push({ title: `Web player (RUM app monitor ${rum.appMonitorName})`, table: rumTable(rum) });
    for (const [title, id, s, target] of [
      ['LCP p90 (ms) — RUM', 'rum-lcp', rum.series.lcpP90, { value: RUM_THRESHOLDS.lcpP90Ms, label: 'alarm threshold' }],
      ['Page load p90 (ms) — RUM', 'rum-page-load', rum.series.navigationP90, { value: RUM_THRESHOLDS.navigationP90Ms, label: 'frustrating (RUM)' }],
      ['JavaScript errors — RUM', 'rum-js-errors', rum.series.jsErrors, undefined],
    ] as const) {
      const chart = lineChart(id, s, title, target);
      if (chart) sections.push({ title, chart });
    }
  }
  return { title: `media-cdn monitoring report — ${r.data.stack}`, subtitle: `${r.data.from} to ${r.data.to}`, sections };
}
