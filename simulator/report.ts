/**
 * Presentation of simulation results: the terminal table (lib/format/table) and the sections of the
 * HTML report (lib/report/html, Chart.js charts). Pure: returns strings and plain data.
 */
import { CONTENT_TYPE_NAMES, type ContentTypeName } from '../lib/catalog';
import { formatDuration, formatPercent, renderTable } from '../lib/format/table';
import type { ChartConfigLike, HtmlReport, ReportSection } from '../lib/report/html';
import type { PolicyName } from './caches';
import { REGION_NAMES, REGIONS } from './profile';
import type { SimulationResult, TypeResult } from './results';
import { videoReportSection } from './video/report';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

const num = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const usd = (x: number) => `$${num(x, 2)}`;
const passText = (p: boolean) => (p ? 'pass' : 'FAIL');

/** The per-type table against the targets, then the overall checks and the monthly cost. */
export function renderResultTable(r: SimulationResult): string {
  const rows = CONTENT_TYPE_NAMES.map((name) => {
    const t = r.types[name];
    return [
      name, num(t.requests), formatPercent(t.hitRatio), `≥ ${formatPercent(t.targetHitRatio, 0)}`, formatPercent(t.byteHitRatio),
      `${num(t.p50LatencyMs, 1)}`, `${num(t.p95LatencyMs, 1)}`, `< ${t.targetLatencyMs}`, passText(t.pass),
    ];
  });
  rows.push([
    'all', num(r.totals.requests), formatPercent(r.totals.hitRatio), '', formatPercent(r.totals.byteHitRatio),
    num(r.totals.p50LatencyMs, 1), num(r.totals.p95LatencyMs, 1), '', '',
  ]);
  const table = renderTable(
    ['type', 'requests/day', 'hit ratio', 'target', 'byte hit', 'p50 ms', 'p95 ms', 'target ms', 'result'],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
  );
  const checks = r.checks.map((c) => `${passText(c.pass).padEnd(4)}  ${c.name}: ${formatPercent(c.value)}`);
  return [
    table,
    '',
    ...checks,
    `bandwidth: ${num(r.totals.averageGbps, 1)} Gbps average, ${num(r.totals.peakGbps, 1)} Gbps peak; origin ${num(r.totals.originAverageGbps, 2)} Gbps average (offload ${formatPercent(r.totals.originOffloadBytes)} of bytes)`,
    `cost: ${usd(r.costUsdPerMonth)} per month (CloudFront list prices, spec §13)`,
  ].join('\n');
}


/** Headers and rows of the per-region table: p95 TTFB / hit ratio per type (a missed p95 marked), share within 100 ms. */
export function regionTableData(r: SimulationResult): { headers: string[]; rows: string[][] } {
  const rows: string[][] = [];
  for (const region of REGIONS) {
    const g = r.regions[region];
    if (g === undefined) continue;
    rows.push([
      REGION_NAMES[region], num(g.requests),
      ...CONTENT_TYPE_NAMES.map((n) => {
        const t = g.types[n];
        return t.requests === 0 ? '–' : `${num(t.p95LatencyMs, 0)}${t.latencyPass ? '' : '!'} / ${formatPercent(t.hitRatio)}`;
      }),
      formatPercent(g.shareUnder100Ms),
    ]);
  }
  return { headers: ['viewers in', 'requests/day', ...CONTENT_TYPE_NAMES.map((n) => `${n} p95 / hit`), 'within 100 ms'], rows };
}

/** The per-region table for the terminal: where each target is won or lost ('!' marks a p95 above the type's target). */
export function renderRegionTable(r: SimulationResult): string {
  const { headers, rows } = regionTableData(r);
  return renderTable(headers, rows, headers.map((_, i) => (i === 0 ? 'left' : 'right')));
}

export interface SweepPoint {
  readonly multiplier: number;
  readonly policy: PolicyName;
  readonly hitRatio: number;
  readonly byteHitRatio: number;
  readonly types: Readonly<Record<ContentTypeName, number>>;
}

export interface ReportInput {
  readonly title: string;
  readonly subtitle: string;
  readonly result: SimulationResult;
  /** Other policies on the same requests. */
  readonly policies?: readonly { readonly policy: PolicyName; readonly result: SimulationResult }[];
  readonly sweep?: readonly SweepPoint[];
  /** Model facts shown as tables: behaviors of the plan and sampled families. */
  readonly behaviors?: readonly (readonly string[])[];
  readonly families?: readonly (readonly string[])[];
  readonly assumptions?: string;
  readonly comparison?: { readonly text: string; readonly table: { headers: string[]; rows: string[][] } };
}

function typeRow(name: string, t: TypeResult): string[] {
  return [
    name, num(t.requests), formatPercent(t.hitRatio), formatPercent(t.targetHitRatio, 0), formatPercent(t.byteHitRatio), formatPercent(t.edgeHitRatio),
    formatPercent(t.originOffload), `${num(t.p50LatencyMs, 1)} ms`, `${num(t.p95LatencyMs, 1)} ms`, `${num(t.p99LatencyMs, 1)} ms`, `${t.targetLatencyMs} ms`,
    formatPercent(t.staleShare, 2), passText(t.pass),
  ];
}

function hhmm(seconds: number): string {
  const h = Math.floor(seconds / 3600) % 24;
  const m = Math.floor((seconds % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** The report's sections: summary, the five charts, and the tables behind them. */
export function simulationReport(input: ReportInput): HtmlReport {
  const r = input.result;
  const sections: ReportSection[] = [];
  const failing = CONTENT_TYPE_NAMES.filter((n) => !r.types[n].pass);
  sections.push({
    title: 'Summary',
    text: [
      `Overall: ${r.pass ? 'every target met' : `targets missed by ${failing.length > 0 ? failing.join(', ') : 'the overall checks'}`}. ` +
        `Hit ratio ${formatPercent(r.totals.hitRatio)}, byte hit ratio ${formatPercent(r.totals.byteHitRatio)}, p95 TTFB ${num(r.totals.p95LatencyMs, 1)} ms, ` +
        `${formatPercent(r.totals.shareUnder100Ms)} of requests within 100 ms.`,
      `Bandwidth to viewers ${num(r.totals.averageGbps, 1)} Gbps on average and ${num(r.totals.peakGbps, 1)} Gbps at the 5-minute peak; origins send ` +
        `${num(r.totals.originAverageGbps, 2)} Gbps on average. Estimated CloudFront bill: ${usd(r.costUsdPerMonth)} per month.`,
      ...r.checks.map((c) => `${passText(c.pass)}: ${c.name} (${formatPercent(c.value)}).`),
    ].join('\n\n'),
    table: {
      headers: ['type', 'requests/day', 'hit ratio', 'target', 'byte hit', 'edge hit', 'origin offload', 'p50 TTFB', 'p95 TTFB', 'p99 TTFB', 'target', 'stale served', 'result'],
      rows: CONTENT_TYPE_NAMES.map((n) => typeRow(n, r.types[n])),
    },
  });

  const hitChart: ChartConfigLike = {
    type: 'bar',
    data: {
      labels: [...CONTENT_TYPE_NAMES],
      datasets: [
        { label: 'simulated hit ratio (%)', data: CONTENT_TYPE_NAMES.map((n) => +(100 * r.types[n].hitRatio).toFixed(2)), backgroundColor: CONTENT_TYPE_NAMES.map((n) => (r.types[n].hitRatioPass ? '#2ca02c' : '#d62728')) },
        { label: 'target (%)', data: CONTENT_TYPE_NAMES.map((n) => 100 * r.types[n].targetHitRatio), backgroundColor: '#9aa3b1' },
      ],
    },
    options: { scales: { y: { min: 0, max: 100, title: { display: true, text: 'hit ratio (%)' } } } },
  };
  sections.push({ title: 'Hit ratio per content type against its target', text: 'Green bars meet the target, red bars miss it. A hit is a request whose body did not come from the origin (edge, regional edge cache or Origin Shield hit, or a 304 revalidation).', chart: { id: 'hit-ratio', config: hitChart } });

  if (input.sweep && input.sweep.length > 0) {
    const multipliers = [...new Set(input.sweep.map((p) => p.multiplier))].sort((a, b) => a - b);
    const policies = [...new Set(input.sweep.map((p) => p.policy))];
    const datasets: unknown[] = [];
    policies.forEach((pol, pi) => {
      datasets.push({
        label: `${pol} — all types`, borderColor: PALETTE[pi % PALETTE.length], backgroundColor: PALETTE[pi % PALETTE.length],
        data: multipliers.map((m) => { const p = input.sweep!.find((x) => x.multiplier === m && x.policy === pol); return p ? +(100 * p.hitRatio).toFixed(2) : null; }),
      });
    });
    const first = policies[0]!;
    CONTENT_TYPE_NAMES.forEach((n, i) => {
      datasets.push({
        label: `${first} — ${n}`, borderDash: [4, 3], borderColor: PALETTE[(i + 2) % PALETTE.length], backgroundColor: PALETTE[(i + 2) % PALETTE.length],
        data: multipliers.map((m) => { const p = input.sweep!.find((x) => x.multiplier === m && x.policy === first); return p ? +(100 * p.types[n]).toFixed(2) : null; }),
      });
    });
    sections.push({
      title: 'Hit ratio against cache size',
      text: 'Every tier (edge, regional edge cache, Origin Shield) scaled by the same factor from the default sizes; the same requests replayed for each point and policy.',
      chart: { id: 'hit-vs-size', config: { type: 'line', data: { labels: multipliers.map((m) => `${m}×`), datasets }, options: { scales: { y: { title: { display: true, text: 'hit ratio (%)' } }, x: { title: { display: true, text: 'cache size (× default)' } } } } } },
      table: {
        headers: ['cache size', ...policies.map((p) => `${p} hit ratio`), ...policies.map((p) => `${p} byte hit`)],
        rows: multipliers.map((m) => [`${m}×`, ...policies.map((p) => formatPercent(input.sweep!.find((x) => x.multiplier === m && x.policy === p)?.hitRatio ?? 0)), ...policies.map((p) => formatPercent(input.sweep!.find((x) => x.multiplier === m && x.policy === p)?.byteHitRatio ?? 0))]),
      },
    });
  }

  const cdfDatasets = CONTENT_TYPE_NAMES.map((n, i) => ({
    label: `${n} (target ${r.types[n].targetLatencyMs} ms)`, borderColor: PALETTE[i], backgroundColor: PALETTE[i], pointRadius: 0,
    data: r.latencyCdf[n].map(([x, y]) => ({ x, y: +(100 * y).toFixed(2) })),
  }));
  sections.push({
    title: 'Latency (time to first byte) CDF per type',
    text: 'Share of requests answered within a time to first byte at the viewer. Hits cost one viewer round trip; misses add the round trips to the regional edge cache, Origin Shield and origin.',
    chart: { id: 'latency-cdf', config: { type: 'line', data: { datasets: cdfDatasets }, options: { parsing: true, scales: { x: { type: 'logarithmic', min: 5, max: 2000, ticks: { autoSkip: true, autoSkipPadding: 24, maxRotation: 0 }, title: { display: true, text: 'TTFB (ms, log scale)' } }, y: { min: 0, max: 100, title: { display: true, text: 'requests (%)' } } } } } },
  });

  const regionsWithViewers = REGIONS.filter((g) => r.regions[g] !== undefined);
  if (regionsWithViewers.length > 0) {
    const regionDatasets = CONTENT_TYPE_NAMES.map((n, i) => ({
      label: n, backgroundColor: PALETTE[i],
      data: regionsWithViewers.map((g) => +((100 * r.regions[g]!.types[n].p95LatencyMs) / r.types[n].targetLatencyMs).toFixed(1)),
    }));
    sections.push({
      title: 'p95 time to first byte by viewer region, against each type\'s target',
      text: "Each bar is a type's p95 for the viewers of one region as a share of the type's target: above 100 % misses it. The table gives the p95 (ms; ! above the target), the hit ratio and the share of all requests within 100 ms per region.",
      chart: { id: 'region-p95', config: { type: 'bar', data: { labels: regionsWithViewers.map((g) => REGION_NAMES[g]), datasets: regionDatasets }, options: { scales: { y: { min: 0, title: { display: true, text: 'p95 TTFB (% of the target)' } } } } } },
      table: regionTableData(r),
    });
  }

  if (r.video) sections.push(videoReportSection(r.video));

  const labels = r.series.edgeGbps.map((_, i) => hhmm(i * r.series.bucketSeconds));
  sections.push({
    title: 'Bandwidth over the day',
    text: `Edge egress (to viewers) and origin egress (to CloudFront), ${r.series.bucketSeconds / 60}-minute averages, UTC.`,
    chart: {
      id: 'bandwidth', config: {
        type: 'line',
        data: { labels, datasets: [
          { label: 'edge egress (Gbps)', data: r.series.edgeGbps, borderColor: PALETTE[0], backgroundColor: PALETTE[0], pointRadius: 0 },
          { label: 'origin egress (Gbps)', data: r.series.originGbps, borderColor: PALETTE[3], backgroundColor: PALETTE[3], pointRadius: 0 },
        ] },
        options: { scales: { y: { min: 0, title: { display: true, text: 'Gbps' } } } },
      },
    },
  });

  const costLines = r.cost.lines.filter((l) => l.usd > 0);
  const byItem = new Map<string, number>();
  for (const l of costLines) byItem.set(l.item, (byItem.get(l.item) ?? 0) + l.usd);
  sections.push({
    title: 'Monthly cost breakdown',
    text: `Pay-as-you-go list prices (lib/semantics/pricing, spec §13), free tier applied: ${usd(r.costUsdPerMonth)} per month.`,
    chart: {
      id: 'cost', config: {
        type: 'bar',
        data: { labels: costLines.map((l) => (l.group ? `${l.item} (${l.group})` : l.item)), datasets: [{ label: 'USD per month', data: costLines.map((l) => l.usd), backgroundColor: PALETTE[4] }] },
        options: { indexAxis: 'y', scales: { x: { title: { display: true, text: 'USD per month' } } } },
      },
    },
    table: {
      headers: ['item', 'group', 'quantity', 'unit', 'USD/month'],
      rows: r.cost.lines.map((l) => [l.item, l.group ?? '', num(l.quantity, l.unit === 'GB' ? 1 : 0), l.unit, usd(l.usd)]),
    },
  });

  if (input.policies && input.policies.length > 1) {
    sections.push({
      title: 'Eviction policies on the same requests',
      table: {
        headers: ['policy', 'hit ratio', 'byte hit', 'edge hit', ...CONTENT_TYPE_NAMES.map((n) => `${n} hit`), 'p95 TTFB', 'evictions (edge)'],
        rows: input.policies.map(({ policy, result }) => [
          policy, formatPercent(result.totals.hitRatio), formatPercent(result.totals.byteHitRatio), formatPercent(result.totals.edgeHitRatio),
          ...CONTENT_TYPE_NAMES.map((n) => formatPercent(result.types[n].hitRatio)), `${num(result.totals.p95LatencyMs, 1)} ms`, num(result.evictions.edge),
        ]),
      },
    });
  }
  if (input.comparison) sections.push({ title: 'Comparison', text: input.comparison.text, table: input.comparison.table });
  if (input.behaviors) {
    sections.push({ title: 'Cache behaviors simulated (from the plan)', table: { headers: ['path pattern', 'type', 'origin', 'cache policy', 'TTL min/default/max', 'compress', 'Origin Shield'], rows: input.behaviors.map((b) => [...b]) } });
  }
  if (input.families) {
    sections.push({ title: 'Seed workload (full scale and sampled)', table: { headers: ['family', 'type', 'objects', 'simulated', 'requests/s', 'Gbps'], rows: input.families.map((f) => [...f]) } });
  }
  if (input.assumptions) sections.push({ title: 'Model and assumptions', text: input.assumptions });
  return { title: input.title, subtitle: input.subtitle, sections };
}

/** Rows of the behaviors table from a model. */
export function behaviorRows(behaviors: readonly { pathPattern: string; contentType: string; origin: { id: string; shieldAwsRegion?: string }; cachePolicyName: string; ttl: { minTtl: number; defaultTtl: number; maxTtl: number }; compress: boolean; cachingDisabled: boolean }[]): string[][] {
  return behaviors.map((b) => [
    b.pathPattern, b.contentType, b.origin.id, b.cachePolicyName,
    b.cachingDisabled ? 'not cached' : `${formatDuration(b.ttl.minTtl)}/${formatDuration(b.ttl.defaultTtl)}/${formatDuration(b.ttl.maxTtl)}`,
    b.compress ? 'yes' : 'no', b.origin.shieldAwsRegion ?? 'off',
  ]);
}
