import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateReport, renderReportText, reportJson } from '../../lib/monitoring/report';
import { cloudWatchHandlers, cloudWatchService, startAwsJsonServer, type AwsJsonServer, type Datapoint, type MetricQueryInput } from '../../local/aws-json-server';
import { collectReport, type CollectOptions } from '../../scripts/monitoring/run-report';
import { datapoints } from './fixtures';
import { fixtureContext, fixtureOutputs, fixtureSource, LOCAL_ENV, localClients, runTsx } from './helpers';

const RANGE = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-01T06:00:00Z') };
const NOW = new Date('2026-03-02T00:00:00Z');
const MONITOR = 'media-cdn-test';

/** Range totals of the app monitor by metric and statistic: a healthy player (LCP p90 3.1 s, 1.5 errors per 100 views). */
const RUM_TOTALS: Record<string, number> = {
  'SessionCount/Sum': 12_000, 'PageViewCount/Sum': 40_000,
  'PerformanceNavigationDuration/p50': 1400, 'PerformanceNavigationDuration/p90': 3900,
  'WebVitalsLargestContentfulPaint/p75': 2300, 'WebVitalsLargestContentfulPaint/p90': 3100,
  'PerformanceResourceDuration/p90': 850, 'JsErrorCount/Sum': 600, 'Http4xxCount/Sum': 120, 'Http5xxCount/Sum': 8,
};

/** The CDN fixture, plus RUM: totals from `rum` (only for the app monitor's dimension), series by index. */
function withRum(rum: Record<string, number>) {
  return (q: MetricQueryInput, start: number, end: number): Datapoint[] => {
    const stat = q.MetricStat!;
    if (stat.Metric.Namespace !== 'AWS/RUM') return datapoints(q, start, end);
    expect(stat.Metric.Dimensions).to.deep.equal([{ Name: 'application_name', Value: MONITOR }]);
    if (q.Id.startsWith('t_')) {
      const v = rum[`${stat.Metric.MetricName}/${stat.Stat}`];
      return v === undefined ? [] : [{ t: start, v }];
    }
    return datapoints(q, start, end);
  };
}

const options = (over: Partial<CollectOptions> = {}): CollectOptions => ({
  source: fixtureSource({ rumAppMonitorName: MONITOR }), context: fixtureContext(), range: RANGE, now: NOW, queryLogs: false, ...over,
});

describe('npm run report with and without a RUM app monitor (local CloudWatch)', function () {
  this.timeout(60_000);
  let server: AwsJsonServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const serve = async (rum = RUM_TOTALS) => {
    server = await startAwsJsonServer({ services: [cloudWatchService(cloudWatchHandlers({ datapoints: withRum(rum) }))] });
    return server;
  };
  const sentNamespaces = (s: AwsJsonServer) => s.calls.filter((c) => c.operation === 'GetMetricData')
    .flatMap((c) => (c.input as { MetricDataQueries: MetricQueryInput[] }).MetricDataQueries.map((q) => q.MetricStat!.Metric.Namespace));

  it('reads the app monitor\'s figures and checks LCP, page load and JS errors against the alarm thresholds', async () => {
    const s = await serve();
    const data = await collectReport(localClients(s.endpoint), options());
    expect(data.rum!.appMonitorName).to.equal(MONITOR);
    expect(data.rum!.totals).to.deep.equal({
      sessions: 12_000, pageViews: 40_000, navigationP50: 1400, navigationP90: 3900, lcpP75: 2300, lcpP90: 3100, resourceP90: 850, jsErrors: 600, http4xx: 120, http5xx: 8,
    });
    expect(data.rum!.series.lcpP90!.values).to.have.length(360);
    expect(sentNamespaces(s).filter((n) => n === 'AWS/RUM')).to.have.length(13);
    const report = evaluateReport(data, fixtureContext().catalog, 'critical');
    expect(report.checks.filter((c) => c.name.startsWith('RUM')).map((c) => [c.name, c.measured, c.status])).to.deep.equal([
      ['RUM LCP p90 (web player)', '3100 ms', 'pass'], ['RUM page load p90 (web player)', '3900 ms', 'pass'], ['RUM JS errors per 100 page views', '1.50', 'pass'],
    ]);
    expect(renderReportText(report)).to.match(/Real-user monitoring \(CloudWatch RUM app monitor media-cdn-test\):[\s\S]*LCP p75 \/ p90\s+2300 ms \/ 3100 ms/);
    expect(reportJson(report).rum!.totals.jsErrors).to.equal(600);
  });

  it('fails the LCP check when the p90 is poor, and says no data when the player sent nothing', async () => {
    const s = await serve({ ...RUM_TOTALS, 'WebVitalsLargestContentfulPaint/p90': 5200 });
    const report = evaluateReport(await collectReport(localClients(s.endpoint), options()), fixtureContext().catalog, 'critical');
    expect(report.checks.find((c) => c.name === 'RUM LCP p90 (web player)')).to.deep.include({ measured: '5200 ms', status: 'FAIL' });
    expect(report.failed).to.equal(1);
    await s.close();
    const empty = await serve({});
    const quiet = evaluateReport(await collectReport(localClients(empty.endpoint), options()), fixtureContext().catalog, 'critical');
    expect(quiet.checks.filter((c) => c.name.startsWith('RUM')).map((c) => c.status)).to.deep.equal(['no data', 'no data', 'no data']);
    expect(quiet.failed).to.equal(0);
  });

  for (const [what, over] of [['without the RUM outputs (an older stack)', {}], ["with RUM off ('' outputs)", { rumAppMonitorName: '' }]] as const) {
    it(`asks nothing of AWS/RUM and prints no RUM section ${what}`, async () => {
      const s = await serve();
      const data = await collectReport(localClients(s.endpoint), options({ source: fixtureSource(over) }));
      expect(data.rum).to.equal(undefined);
      expect(sentNamespaces(s).filter((n) => n === 'AWS/RUM')).to.deep.equal([]);
      const report = evaluateReport(data, fixtureContext().catalog, 'critical');
      expect(report.checks.filter((c) => c.name.startsWith('RUM'))).to.deep.equal([]);
      expect(renderReportText(report)).to.not.contain('RUM');
    });
  }

  it('the CLI exits 1 when the player misses its JS error threshold, and writes the RUM figures to --json', async () => {
    const s = await serve({ ...RUM_TOTALS, 'JsErrorCount/Sum': 4000 });
    const dir = mkdtempSync(join(tmpdir(), 'media-cdn-report-rum-'));
    const outputsFile = join(dir, 'outputs.json');
    writeFileSync(outputsFile, JSON.stringify(fixtureOutputs({ rumAppMonitorName: MONITOR })));
    const json = join(dir, 'report.json');
    const r = await runTsx('scripts/report.ts', ['--outputs', outputsFile, '--from', '2026-03-01', '--to', '2026-03-02', '--no-logs', '--endpoint', s.endpoint, '--json', json, '--quiet'], LOCAL_ENV);
    expect(r.status, r.stderr).to.equal(1);
    expect(r.stdout).to.match(/RUM JS errors per 100 page views\s+10\.00\s+≤ 5\s+FAIL/);
    expect(JSON.parse(readFileSync(json, 'utf8')).rum.totals).to.deep.include({ jsErrors: 4000, pageViews: 40_000 });
  });
});
