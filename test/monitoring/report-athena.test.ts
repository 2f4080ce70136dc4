/**
 * `npm run report -- --source athena`: the per-type hit ratios and p95 first byte from the log
 * analyses run on Athena (the local stand-in, executing with DuckDB over Parquet logs) instead of
 * Logs Insights; the CloudWatch metrics from the local CloudWatch server as before.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAnalyses } from '../../adapters/analytics-sql';
import { openLogDatabase, runAnalysisOnDuckDb } from '../../adapters/duckdb-logs';
import { analysisParameters } from '../../lib/analytics/analyses';
import type { AnalysisResult } from '../../lib/analytics/results';
import { resolveCatalog } from '../../lib/catalog';
import { InputError } from '../../lib/errors';
import { logsFromAnalyses, REPORT_ANALYSES } from '../../lib/monitoring/athena-logs';
import { evaluateReport, renderReportText } from '../../lib/monitoring/report';
import { athenaQueryCostUsd } from '../../lib/semantics/pricing';
import { startAthenaEndpoint, type AthenaEndpoint } from '../../local/athena-endpoint';
import { cloudWatchHandlers, cloudWatchService, logsHandlers, logsService, startAwsJsonServer, type AwsJsonServer, type Handler } from '../../local/aws-json-server';
import { collectReport } from '../../scripts/monitoring/run-report';
import { DIST, sampleLines, writeParquetLogs } from '../analytics/log-fixtures';
import { datapoints } from './fixtures';
import { fixtureContext, fixtureOutputs, fixtureSource, localClients, localConfig, runTsx } from './helpers';

const WORKGROUP = 'media-cdn-test-logs';
const DATABASE = 'media_cdn_test_logs';
const RANGE = { from: new Date('2026-03-01T12:00:00Z'), to: new Date('2026-03-01T14:00:00Z') };
const ATHENA_OUTPUTS = { distributionId: DIST, athenaWorkgroup: WORKGROUP, glueDatabase: DATABASE, glueTable: 'cloudfront_logs', logsBucket: 'logs' };

describe('npm run report --source athena: the per-type figures from the log analyses on Athena', function () {
  this.timeout(120_000);
  const root = mkdtempSync(join(tmpdir(), 'report-athena-'));
  const logs = join(root, 'logs');
  let athena: AthenaEndpoint;
  let cloudWatch: AwsJsonServer;
  let local: AnalysisResult[];

  before(async () => {
    await writeParquetLogs(logs, sampleLines());
    athena = await startAthenaEndpoint({ logs, workgroups: [WORKGROUP], runningPolls: 1 });
    // CloudWatch answers metrics; its Logs service must never be asked (no log group queries).
    const never: Handler = () => { throw new Error('Logs Insights was queried with --source athena'); };
    cloudWatch = await startAwsJsonServer({ services: [cloudWatchService(cloudWatchHandlers({ datapoints })), logsService({ ...logsHandlers({ logGroups: [], answer: () => [] }), StartQuery: never })] });
    const db = await openLogDatabase(logs);
    try {
      const params = analysisParameters({ ...RANGE, distributionId: DIST });
      local = [];
      for (const a of loadAnalyses(resolveCatalog()).filter((x) => REPORT_ANALYSES.includes(x.name))) local.push(await runAnalysisOnDuckDb(db, a, params));
    } finally {
      db.close();
    }
  });
  after(async () => {
    await athena.close();
    await cloudWatch.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('maps the analyses onto the report: hits and misses per type, p95 in seconds, countries, edges, top misses', () => {
    const l = logsFromAnalyses(local, resolveCatalog());
    const video = l.classes.find((c) => c.contentType === 'video')!;
    expect(video.routes).to.equal('cached');
    expect(video.stats).to.deep.equal({ requests: 8, bytes: 11_000, hits: 7, misses: 1, ttfbP95Seconds: 0.08 });
    expect(l.countries.map((c) => c.key)).to.not.include('*');
    expect(l.countries.find((c) => c.key === 'US')).to.include({ requests: 6, bytes: 4100 });
    const fra = local.find((r) => r.name === 'bytes-by-edge-location')!.rows.find((r) => r.edge_location === 'FRA56-P1')!;
    expect(l.edgeLocations.find((e) => e.key === 'FRA56-P1')).to.deep.equal({ key: 'FRA56-P1', requests: 8, bytes: fra.bytes });
    expect(l.topMisses).to.deep.include({ path: '/video/t1/seg-001.ts', count: 1, bytes: 4000 });
    expect(l.topPaths).to.deep.equal([]);
    expect(l.source).to.equal('athena');
    expect(() => logsFromAnalyses(local.filter((r) => r.name !== 'ttfb-by-type-region'), resolveCatalog())).to.throw(/needs the ttfb-by-type-region analysis/);
  });

  it('collects the report from CloudWatch and the Athena workgroup, with the same figures as DuckDB locally and the scan priced', async () => {
    const clients = { ...localClients(cloudWatch.endpoint), athena: new AthenaClient({ ...localConfig(athena.endpoint), maxAttempts: 1 }) };
    try {
      const data = await collectReport(clients, {
        source: fixtureSource(ATHENA_OUTPUTS), context: fixtureContext(), range: RANGE, now: new Date('2026-03-02T00:00:00Z'),
        logSource: 'athena', athenaPoll: { sleep: () => Promise.resolve(), firstDelayMs: 1 },
      });
      const expected = logsFromAnalyses(local, resolveCatalog());
      expect(data.logs!.classes).to.deep.equal(expected.classes);
      expect(data.logs!.topMisses).to.deep.equal(expected.topMisses);
      expect(data.logs!.bytesScanned).to.be.greaterThan(0);
      expect(data.logs!.costUsd).to.be.closeTo(REPORT_ANALYSES.length * athenaQueryCostUsd(data.logs!.bytesScanned / REPORT_ANALYSES.length), 1e-12);
      expect(data.totals.cacheHitRate).to.equal(93.5);
      const report = evaluateReport(data, resolveCatalog(), 'critical');
      expect(report.checks.find((c) => c.name === 'hit ratio video')).to.deep.include({ measured: '87.5%', status: 'FAIL' });
      expect(report.checks.find((c) => c.name === 'p95 first byte video')).to.deep.include({ measured: '80 ms', status: 'pass' });
      const text = renderReportText(report);
      expect(text).to.match(/Athena scanned [\d.]+ GB of Parquet logs in workgroup media-cdn-test-logs \(\$[\d.]+\)/);
      expect(text).to.not.include('Top paths:');
    } finally {
      clients.athena.destroy();
    }
  });

  it('refuses a stack without the Athena workgroup, naming the setting', async () => {
    const err = await collectReport({ ...localClients(cloudWatch.endpoint) }, {
      source: fixtureSource({ distributionId: DIST }), context: fixtureContext(), range: RANGE, logSource: 'athena',
    }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(InputError);
    expect((err as Error).message).to.match(/no Athena workgroup .* set media-cdn:logAnalytics true/);
  });

  it('the command takes --source athena with --endpoint (exit 1: video misses its target), and refuses a bad --source (exit 2)', async () => {
    const outputs = join(root, 'outputs.json');
    writeFileSync(outputs, JSON.stringify(fixtureOutputs(ATHENA_OUTPUTS)));
    const json = join(root, 'report.json');
    const env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_ENDPOINT_URL_CLOUDWATCH: cloudWatch.endpoint, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: cloudWatch.endpoint, AWS_ENDPOINT_URL_ATHENA: athena.endpoint };
    const r = await runTsx('scripts/report.ts', ['--outputs', outputs, '--source', 'athena', '--from', '2026-03-01T12:00:00Z', '--to', '2026-03-01T14:00:00Z', '--json', json, '--quiet'], env);
    expect(r.status, r.stderr).to.equal(1);
    const out = JSON.parse(readFileSync(json, 'utf8')) as { logs: { source: string; workgroup: string }; contentTypes: { contentType: string; hitRatio?: number }[] };
    expect(out.logs).to.include({ source: 'athena', workgroup: WORKGROUP });
    expect(out.contentTypes.find((t) => t.contentType === 'video')!.hitRatio).to.equal(0.875);
    const bad = await runTsx('scripts/report.ts', ['--outputs', outputs, '--source', 'athenaa', '--from', '2026-03-01', '--to', '2026-03-02'], env);
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.match(/--source 'athenaa' is not a log source; use logs-insights or athena/);
    const both = await runTsx('scripts/report.ts', ['--outputs', outputs, '--source', 'athena', '--no-logs', '--from', '2026-03-01', '--to', '2026-03-02'], env);
    expect(both.status).to.equal(2);
    expect(both.stderr).to.match(/--source athena and --no-logs contradict each other/);
  });
});
