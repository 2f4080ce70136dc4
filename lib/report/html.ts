/**
 * Self-contained HTML reports: a title, sections of text, tables and charts. Charts are drawn by
 * Chart.js, whose UMD bundle is embedded inline so the page works offline and from a file:// URL.
 * Pure rendering (the only I/O is reading the Chart.js bundle once from node_modules).
 *
 * Used by the simulator report (`npm start`, `npm run sim -- --html`) and the monitoring report.
 */

/**
 * A Chart.js configuration as plain JSON data: `{ type, data, options }`
 * (https://www.chartjs.org/docs/latest/configuration/). Functions (callbacks) cannot be embedded;
 * use the declarative options instead.
 */
export interface ChartConfigLike {
  readonly type: string;
  readonly data: unknown;
  readonly options?: unknown;
}

export interface ReportSection {
  readonly title: string;
  /** Plain text; blank lines separate paragraphs. Escaped, never interpreted as HTML. */
  readonly text?: string;
  readonly table?: { readonly headers: readonly string[]; readonly rows: readonly (readonly string[])[] };
  /** Pictures shown side by side, each a `data:image/…` URI (the page stays self-contained). */
  readonly gallery?: readonly { readonly src: string; readonly caption: string; readonly alt: string }[];
  readonly chart?: {
    /** The canvas id; generated (`chart-<n>`) when absent. Letters, digits, '-' and '_' only. */
    readonly id?: string;
    readonly config: ChartConfigLike | Readonly<Record<string, unknown>>;
  };
}

export interface HtmlReport {
  readonly title: string;
  readonly subtitle?: string;
  readonly sections: readonly ReportSection[];
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON safe to place inside a <script> element: no `</script>`, no `<!--`, no U+2028/2029. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Inline scripts must not contain a closing script tag; the Chart.js bundle has none, but be sure. */
function scriptSafeSource(source: string): string {
  return source.replace(/<\/script/gi, '<\\/script');
}

const CHART_ID = /^[A-Za-z][A-Za-z0-9_-]*$/;

const STYLE = `
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:20px 32px}
header h1{margin:0;font-size:22px}header p{margin:6px 0 0;color:#c5cad3}
main{max-width:1100px;margin:0 auto;padding:16px 32px 48px}
section{background:#fff;border:1px solid #e1e4ea;border-radius:6px;padding:16px 20px;margin:16px 0}
section h2{margin:0 0 10px;font-size:17px}
p{line-height:1.45;margin:6px 0}
table{border-collapse:collapse;font-size:13px;margin:8px 0;width:100%}
th,td{border-bottom:1px solid #e1e4ea;padding:5px 8px;text-align:left;white-space:nowrap}
th{background:#f0f2f5}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.pass{color:#137333;font-weight:600}td.fail{color:#b3261e;font-weight:600}
.chart{position:relative;height:340px}
.gallery{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0}
.gallery figure{margin:0;max-width:340px}.gallery img{display:block;max-width:100%;height:auto;border:1px solid #e1e4ea;background:#fafbfc}
.gallery figcaption{font-size:12px;color:#4a5160;margin-top:4px}
`;

const DATA_IMAGE = /^data:image\/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=]+$/;

function renderGallery(section: string, items: NonNullable<ReportSection['gallery']>): string {
  const figures = items.map((g) => {
    if (!DATA_IMAGE.test(g.src)) throw new Error(`gallery image '${g.caption}' of section '${section}' must be a data:image/…;base64 URI, so the page stays self-contained.`);
    return `<figure><img src="${g.src}" alt="${escapeHtml(g.alt)}"><figcaption>${escapeHtml(g.caption)}</figcaption></figure>`;
  });
  return `<div class="gallery">${figures.join('\n')}</div>`;
}

const NUMERIC = /^[-+]?[$]?[0-9][0-9,.]*\s*(%|ms|s|GB|Gbps|TB|MB|KiB|MiB|GiB|req\/s|x)?$/;

function renderTable(table: NonNullable<ReportSection['table']>): string {
  const head = `<tr>${table.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const rows = table.rows.map((row) => {
    const cells = row.map((cell) => {
      const cls = cell === 'pass' ? 'pass' : cell === 'FAIL' || cell === 'fail' ? 'fail' : NUMERIC.test(cell) ? 'num' : '';
      return `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(cell)}</td>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<table><thead>${head}</thead><tbody>${rows.join('\n')}</tbody></table>`;
}

function renderText(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

/**
 * Renders a report as one self-contained HTML page (Chart.js inline, no external requests).
 * @throws Error when a chart id is invalid or used twice (a programming error, not user input).
 */
/** `chartJs` is the Chart.js UMD bundle's source (adapters/chart-js.ts reads it), inlined so the page is self-contained. */
export function renderHtmlReport(report: HtmlReport, chartJs: string): string {
  const charts: { id: string; config: unknown }[] = [];
  const used = new Set<string>();
  const body = report.sections.map((s, i) => {
    const parts = [`<h2>${escapeHtml(s.title)}</h2>`];
    if (s.text) parts.push(renderText(s.text));
    if (s.chart) {
      const id = s.chart.id ?? `chart-${i + 1}`;
      if (!CHART_ID.test(id)) throw new Error(`chart id '${id}' of section '${s.title}' must start with a letter and hold only letters, digits, '-' and '_'.`);
      if (used.has(id)) throw new Error(`chart id '${id}' is used by two sections; give each chart its own id.`);
      used.add(id);
      charts.push({ id, config: s.chart.config });
      parts.push(`<div class="chart"><canvas id="${id}" role="img" aria-label="${escapeHtml(s.title)}"></canvas></div>`);
    }
    if (s.gallery) parts.push(renderGallery(s.title, s.gallery));
    if (s.table) parts.push(renderTable(s.table));
    return `<section>\n${parts.join('\n')}\n</section>`;
  });
  const chartScripts = charts.length === 0 ? '' : `
<script>${scriptSafeSource(chartJs)}</script>
<script id="report-charts" type="application/json">${scriptSafeJson(charts)}</script>
<script>
(function () {
  var specs = JSON.parse(document.getElementById('report-charts').textContent);
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  specs.forEach(function (spec) {
    new Chart(document.getElementById(spec.id), spec.config);
  });
})();
</script>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(report.title)}</h1>${report.subtitle ? `<p>${escapeHtml(report.subtitle)}</p>` : ''}</header>
<main>
${body.join('\n')}
</main>${chartScripts}
</body>
</html>
`;
}
