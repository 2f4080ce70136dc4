import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../lib/errors';
import { EnvironmentError } from '../../lib/error-kinds';
import { evaluateReport } from '../../lib/monitoring/report';
import {
  ACCESS_DENIED, AwsServiceError, cloudWatchHandlers, cloudWatchService, failFirst, logsHandlers, logsService, startAwsJsonServer, THROTTLING,
  type AwsJsonServer, type Handler,
} from '../../local/aws-json-server';
import { collectReport, type CollectOptions } from '../../scripts/monitoring/run-report';
import { CLASS_ROWS, datapoints, insightsAnswers, TOTALS } from './fixtures';
import { DISTRIBUTION_ID, fixtureContext, fixtureOutputs, fixtureSource, LOCAL_ENV, LOG_GROUP, localClients, runTsx } from './helpers';

/** The JSON body of a GetMetricData call as the local server recorded it. */
interface GetMetricDataBody {
  readonly MetricDataQueries: readonly { Id: string }[];
  readonly StartTime: number;
  readonly NextToken?: string;
}

const RANGE = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-01T06:00:00Z') };
const NOW = new Date('2026-03-02T00:00:00Z');
const answers = insightsAnswers();

interface Fakes { cw?: Partial<Record<string, Handler>>; logs?: Partial<Record<string, Handler>>; pageSize?: number; runningPolls?: number; logGroups?: string[] }

async function serve(f: Fakes = {}): Promise<AwsJsonServer> {
  const cw = cloudWatchHandlers({ datapoints, ...(f.pageSize ? { pageSize: f.pageSize } : {}) });
  const logs = logsHandlers({
    logGroups: f.logGroups ?? [LOG_GROUP],
    runningPolls: f.runningPolls ?? 1,
    bytesScanned: 1_000_000,
    answer: (q) => {
      const rows = answers.get(q);
      if (!rows) throw new AwsServiceError('MalformedQueryException', `unexpected query ${q}`);
      return rows;
    },
  });
  return startAwsJsonServer({ services: [cloudWatchService({ ...cw, ...f.cw } as Record<string, Handler>), logsService({ ...logs, ...f.logs } as Record<string, Handler>)] });
}

const options = (over: Partial<CollectOptions> = {}): CollectOptions => ({
  source: fixtureSource(), context: fixtureContext(), range: RANGE, now: NOW, insights: { pollMs: 0 }, ...over,
});

/** The one line of an EnvironmentError (exit 3 at the boundary: credentials, permissions, endpoints). */
async function environmentLine(p: Promise<unknown>): Promise<string> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e, 'expected an EnvironmentError').to.be.instanceOf(EnvironmentError);
  return (e as EnvironmentError).message;
}

async function inputProblems(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof InputError) return e.problems.join('\n');
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('npm run report against local CloudWatch and Logs servers', function () {
  this.timeout(60_000);
  let server: AwsJsonServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('reads the totals and series of the distribution and the per-type log statistics', async () => {
    server = await serve();
    const data = await collectReport(localClients(server.endpoint), options());
    expect(data.totals).to.deep.equal({
      requests: 1_000_000, bytesDownloaded: 5e12, errorRate4xx: 2.5, errorRate5xx: 0.3, totalErrorRate: 2.8, cacheHitRate: 93.5,
      originLatencyP50: 40, originLatencyP95: 160, originLatencyP99: 310, errorRate401: 0.1, errorRate403: 1.2, errorRate404: 1.1,
      errorRate502: 0.1, errorRate503: 0.1, errorRate504: 0.05,
    });
    expect(data.seriesPeriodSeconds).to.equal(60);
    expect(data.series.requests!.values).to.deep.equal(Array.from({ length: 360 }, (_, i) => i));
    expect(data.logs!.classes.map((c) => [c.contentType, c.routes, c.stats.hits])).to.deep.equal([
      ['video', 'cached', 576_000], ['thumbnails', 'cached', 184_000], ['metadata', 'cached', 90_000], ['static', 'cached', 59_400], ['api', 'cached', 25_500], ['api', 'uncached', 0],
    ]);
    expect(data.logs!.countries.map((c) => c.key)).to.deep.equal(['US', 'DE']);
    expect(data.logs!.bytesScanned).to.equal(10 * 1_000_000);
    const report = evaluateReport(data, fixtureContext().catalog, 'critical');
    expect(report.failed).to.equal(0);
    const get = server.calls.filter((c) => c.operation === 'GetMetricData')[0]!.input as GetMetricDataBody;
    expect(get.MetricDataQueries).to.have.length(21);
    expect(get.StartTime).to.equal(RANGE.from.getTime() / 1000);
    expect(server.calls.filter((c) => c.operation === 'StartQuery').map((c) => (c.input as { logGroupName?: string }).logGroupName)).to.deep.equal(Array(10).fill(LOG_GROUP));
  });

  it('sends at most batchSize queries per call and follows NextToken through every page', async () => {
    server = await serve({ pageSize: 50 });
    const data = await collectReport(localClients(server.endpoint), options({ batchSize: 8, queryLogs: false }));
    const calls = server.calls.filter((c) => c.operation === 'GetMetricData').map((c) => ({ input: c.input as GetMetricDataBody }));
    expect(calls.map((c) => c.input.MetricDataQueries.length)).to.satisfy((sizes: number[]) => sizes.every((n) => n <= 8));
    // Batches of 8, 8 and 5 queries; the last batch holds the 6 series of 360 points = 2,165 points in pages of 50.
    const batches = [...new Set(calls.map((c) => c.input.MetricDataQueries.map((q) => q.Id).join(',')))];
    expect(batches.map((b) => b.split(',').length)).to.deep.equal([8, 8, 5]);
    expect(calls.filter((c) => c.input.NextToken !== undefined).length).to.be.greaterThan(40);
    for (const key of ['requests', 'bytesDownloaded', 'cacheHitRate', 'originLatencyP95'] as const) {
      expect(data.series[key]!.values, key).to.deep.equal(Array.from({ length: 360 }, (_, i) => i));
    }
    expect(data.logs).to.equal(undefined);
  });

  it('retries throttled GetMetricData and StartQuery calls and still completes', async () => {
    const cw = cloudWatchHandlers({ datapoints });
    const logs = logsHandlers({ logGroups: [LOG_GROUP], answer: (q) => answers.get(q) ?? [] });
    server = await serve({
      cw: { GetMetricData: failFirst(2, THROTTLING.cloudWatch, cw.GetMetricData!) },
      logs: { StartQuery: failFirst(1, THROTTLING.json, logs.StartQuery!), GetQueryResults: logs.GetQueryResults! },
    });
    const data = await collectReport(localClients(server.endpoint), options());
    expect(server.calls.filter((c) => c.error).map((c) => `${c.operation}:${c.error}`)).to.deep.equal([
      'GetMetricData:Throttling', 'GetMetricData:Throttling', 'StartQuery:ThrottlingException',
    ]);
    expect(data.totals.requests).to.equal(TOTALS['Requests/Sum']);
    expect(data.logs!.classes).to.have.length(6);
  });

  it('polls each Logs Insights query until it completes', async () => {
    server = await serve({ runningPolls: 3 });
    await collectReport(localClients(server.endpoint), options());
    const polls = server.calls.filter((c) => c.operation === 'GetQueryResults');
    expect(polls).to.have.length(10 * 4);
  });

  it('names the missing permission when CloudWatch denies GetMetricData (the environment: exit 3)', async () => {
    server = await serve({ cw: { GetMetricData: failFirst(99, ACCESS_DENIED('cloudwatch:GetMetricData'), () => ({})) } });
    expect(await environmentLine(collectReport(localClients(server.endpoint), options()))).to.match(
      new RegExp(`^missing permission cloudwatch:GetMetricData on distribution ${DISTRIBUTION_ID} \\(AWS said: User: .* is not authorized`),
    );
  });

  it('names the log group when it does not exist', async () => {
    server = await serve({ logGroups: [] });
    expect(await inputProblems(collectReport(localClients(server.endpoint), options()))).to.match(
      /^log group \/aws\/vendedlogs\/cloudfront\/media-cdn-test does not exist in us-east-1 \(Log group '.*' does not exist\)/,
    );
  });

  it('fails before any call when the outputs lack logGroupName', async () => {
    server = await serve();
    const { logGroupName: _omit, ...outputs } = fixtureOutputs();
    expect(await inputProblems(collectReport(localClients(server.endpoint), options({ source: { outputs, label: 'old-outputs.json' } }))))
      .to.match(/^old-outputs\.json has no logGroupName output: .* pass --no-logs/);
    expect(server.calls).to.deep.equal([]);
  });

  describe('the CLI', () => {
    const dir = mkdtempSync(join(tmpdir(), 'media-cdn-report-'));
    const outputsFile = join(dir, 'outputs.json');
    writeFileSync(outputsFile, JSON.stringify(fixtureOutputs()));
    const env = LOCAL_ENV;

    it('reports from AWS_ENDPOINT_URL_<SERVICE> endpoints and writes JSON and HTML (exit 0)', async () => {
      const cwServer = await startAwsJsonServer({ services: [cloudWatchService(cloudWatchHandlers({ datapoints }))] });
      server = await startAwsJsonServer({ services: [logsService(logsHandlers({ logGroups: [LOG_GROUP], runningPolls: 0, answer: (q) => answers.get(q) ?? [] }))] });
      try {
        const json = join(dir, 'report.json');
        const html = join(dir, 'report.html');
        const r = await runTsx('scripts/report.ts', ['--outputs', outputsFile, '--from', '2026-03-01', '--to', '2026-03-02', '--json', json, '--html', html, '--quiet'],
          { ...env, AWS_ENDPOINT_URL_CLOUDWATCH: cwServer.endpoint, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: server.endpoint });
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout).to.contain('Every measured target is met.');
        const out = JSON.parse(readFileSync(json, 'utf8'));
        expect(out).to.deep.include({ distributionId: DISTRIBUTION_ID, failed: 0, from: '2026-03-01T00:00:00.000Z' });
        expect(out.contentTypes).to.have.length(6);
        expect(readFileSync(html, 'utf8')).to.match(/^<!DOCTYPE html>[\s\S]*<canvas id="type-hit-ratio"/);
        expect(cwServer.calls.length).to.be.greaterThan(0);
      } finally {
        await cwServer.close();
      }
    });

    it('exits 1 when a target is missed, talking to --endpoint', async () => {
      const missing = insightsAnswers({ ...fixtureRowsWithMetadataAt(0.7) });
      server = await startAwsJsonServer({
        services: [cloudWatchService(cloudWatchHandlers({ datapoints })), logsService(logsHandlers({ logGroups: [LOG_GROUP], runningPolls: 0, answer: (q) => missing.get(q) ?? [] }))],
      });
      const r = await runTsx('scripts/report.ts', ['--outputs', outputsFile, '--from', '2026-03-01', '--to', '2026-03-02', '--endpoint', server.endpoint, '--quiet'], env);
      expect(r.status, r.stderr).to.equal(1);
      expect(r.stdout).to.match(/hit ratio metadata\s+70\.0%\s+≥ 85%\s+FAIL/);
      expect(r.stderr).to.contain('1 target(s) missed.');
    });

    it('exits 2 with one error line per bad input, before loading anything', async () => {
      const r = await runTsx('scripts/report.ts', ['--stack', 'prod', '--from', '2026-13-01', '--to', 'yesterday', '--endpoint', 'ftp://x'], env);
      expect(r.status).to.equal(2);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('error: '))).to.deep.equal([
        "error: --from '2026-13-01' is not a date; use YYYY-MM-DD (UTC) or an ISO time with a zone such as 2026-03-01T12:00:00Z.",
        "error: --to 'yesterday' is not a date; use YYYY-MM-DD (UTC) or an ISO time with a zone such as 2026-03-01T12:00:00Z.",
        "error: --endpoint 'ftp://x' must be an http:// or https:// URL, such as http://127.0.0.1:4566.",
      ]);
    });
  });
});

function fixtureRowsWithMetadataAt(ratio: number) {
  const m = CLASS_ROWS['metadata:cached']!;
  return { ...CLASS_ROWS, 'metadata:cached': { ...m, hits: Math.round((m.hits + m.misses) * ratio), misses: Math.round((m.hits + m.misses) * (1 - ratio)) } };
}
