import { expect } from 'chai';
import { resolveCatalog } from '../../lib/catalog';
import {
  classQueries, evaluateReport, parseBreakdown, parseClassStats, reportHtml, reportJson, reportMetricQueries, renderReportText, rowsToRecords,
  type ReportData,
} from '../../lib/monitoring';
import { renderHtmlReport } from '../../lib/report/html';
import { chartJsSource } from '../../adapters/chart-js';

const catalog = resolveCatalog();
const stats = (requests: number, hits: number, misses: number, ttfb: number) => ({ requests, bytes: requests * 1e6, hits, misses, ttfbP95Seconds: ttfb });

function data(over: Partial<ReportData> = {}): ReportData {
  return {
    stack: 'prod', distributionId: 'E123', logGroupName: '/lg', from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z', seriesPeriodSeconds: 60,
    totals: { requests: 1000, bytesDownloaded: 5e9, cacheHitRate: 91, errorRate5xx: 0.2, errorRate4xx: 3, originLatencyP95: 150 },
    series: { requests: { timestamps: ['2026-03-01T00:00:00.000Z', '2026-03-01T00:01:00.000Z'], values: [10, 20] } },
    logs: {
      classes: [
        { contentType: 'video', routes: 'cached', stats: stats(500, 480, 20, 0.12) },
        { contentType: 'metadata', routes: 'cached', stats: stats(200, 160, 40, 0.09) },
        { contentType: 'api', routes: 'uncached', stats: stats(50, 0, 50, 0.2) },
        { contentType: 'static', routes: 'cached', stats: stats(0, 0, 0, 0) },
      ],
      countries: [{ key: 'US', requests: 600, bytes: 3e9, timeTakenP95Seconds: 0.4 }],
      edgeLocations: [{ key: 'IAD89-P1', requests: 400, bytes: 2e9 }],
      topPaths: [{ path: '/video/a.ts', count: 100, bytes: 1e9 }],
      topMisses: [{ path: '/metadata/x.json', count: 30, bytes: 1e5 }],
      bytesScanned: 2.5e9,
    },
    ...over,
  };
}

describe('monitoring report model', () => {
  it('queries every metric once for the totals and the charted ones again as series', () => {
    const q = reportMetricQueries('E123', 60, 86400);
    expect(q.filter((x) => x.Id.startsWith('t_'))).to.have.length(15);
    expect(q.filter((x) => x.Id.startsWith('s_')).map((x) => x.Id)).to.deep.equal(['s_requests', 's_bytesDownloaded', 's_errorRate4xx', 's_errorRate5xx', 's_cacheHitRate', 's_originLatencyP95']);
    expect(q.find((x) => x.Id === 't_originLatencyP95')!.MetricStat).to.deep.equal({
      Metric: { Namespace: 'AWS/CloudFront', MetricName: 'OriginLatency', Dimensions: [{ Name: 'DistributionId', Value: 'E123' }, { Name: 'Region', Value: 'Global' }] },
      Period: 86400, Stat: 'p95',
    });
  });

  it('runs one Logs Insights query per cached class and one for the API\'s never-cached routes', () => {
    expect(classQueries(catalog).map((c) => `${c.contentType}:${c.routes}`)).to.deep.equal([
      'video:cached', 'thumbnails:cached', 'metadata:cached', 'static:cached', 'api:cached', 'api:uncached',
    ]);
  });

  it('checks each measure against its target and counts the misses', () => {
    const r = evaluateReport(data(), catalog, 'critical');
    expect(r.checks.map((c) => [c.name, c.measured, c.status])).to.deep.equal([
      ['CacheHitRate (distribution)', '91%', 'pass'],
      ['5xx error rate', '0.2%', 'pass'],
      ['4xx error rate', '3%', 'pass'],
      ['OriginLatency p95', '150 ms', 'pass'],
      ['hit ratio video', '96.0%', 'pass'],
      ['p95 first byte video', '120 ms', 'pass'],
      ['hit ratio metadata', '80.0%', 'FAIL'],
      ['p95 first byte metadata', '90 ms', 'pass'],
      ['p95 first byte api (never-cached routes)', '200 ms', 'FAIL'],
      ['hit ratio static', '-', 'no data'],
      ['p95 first byte static', '-', 'no data'],
    ]);
    expect(r.failed).to.equal(2);
  });

  it('uses the warning thresholds for a warning stack', () => {
    const r = evaluateReport(data({ totals: { errorRate5xx: 3 } }), catalog, 'warning');
    expect(r.checks.find((c) => c.name === '5xx error rate')).to.deep.include({ target: '≤ 5%', status: 'pass' });
    expect(evaluateReport(data({ totals: { errorRate5xx: 3 } }), catalog, 'critical').checks.find((c) => c.name === '5xx error rate')!.status).to.equal('FAIL');
  });

  it('says "no data" rather than pass when CloudWatch had nothing', () => {
    const r = evaluateReport(data({ totals: {}, logs: undefined }), catalog, 'critical');
    expect(r.checks.map((c) => c.status)).to.deep.equal(['no data', 'no data', 'no data', 'no data']);
    expect(renderReportText(r)).to.contain('Access logs not queried');
  });

  it('renders text, JSON and a self-contained HTML page with charts', () => {
    const r = evaluateReport(data(), catalog, 'critical');
    const text = renderReportText(r);
    expect(text).to.contain('2 check(s) missed their target.');
    expect(text).to.contain('Logs Insights scanned 2.500 GB of /lg.');
    expect(reportJson(r)).to.deep.include({ failed: 2, distributionId: 'E123' });
    const html = renderHtmlReport(reportHtml(r, catalog), chartJsSource());
    expect(html).to.contain('<canvas id="requests"');
    expect(html).to.contain('<canvas id="type-hit-ratio"');
    expect(html).to.contain('<td class="fail">FAIL</td>');
    expect(html).not.to.contain('src="http');
  });

  it('parses Logs Insights rows, dropping @ptr and reading numbers', () => {
    const rows = [[{ field: 'requests', value: '12' }, { field: 'hits', value: '10' }, { field: 'misses', value: '2' }, { field: 'bytes', value: '4096' }, { field: 'ttfbP95', value: '0.05' }, { field: '@ptr', value: 'x' }]];
    expect(rowsToRecords(rows)).to.deep.equal([{ requests: '12', hits: '10', misses: '2', bytes: '4096', ttfbP95: '0.05' }]);
    expect(parseClassStats(rows)).to.deep.equal({ requests: 12, bytes: 4096, hits: 10, misses: 2, ttfbP95Seconds: 0.05 });
    expect(parseClassStats([])).to.deep.equal({ requests: 0, bytes: 0, hits: 0, misses: 0 });
    expect(parseBreakdown([[{ field: 'c-country', value: 'DE' }, { field: 'requests', value: '5' }, { field: 'timeTakenP95', value: 'n/a' }]], 'country'))
      .to.deep.equal([{ key: 'DE', requests: 5, bytes: 0 }]);
  });
});
