import { AthenaClient } from '@aws-sdk/client-athena';
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAnalyses } from '../../adapters/analytics-sql';
import { openLogDatabase, runAnalysisOnDuckDb, type LogDatabase } from '../../adapters/duckdb-logs';
import { analysisParameters, ANALYSIS_NAMES, type AnalysisScope } from '../../lib/analytics/analyses';
import { resolveCatalog } from '../../lib/catalog';
import { contentTypeOutputs } from '../../lib/outputs';
import { athenaQueryCostUsd } from '../../lib/semantics/pricing';
import { startAthenaEndpoint, type AthenaEndpoint } from '../../local/athena-endpoint';
import { backoffDelays, runAnalysisOnAthena, waitForQuery } from '../../scripts/analytics/athena';
import { CheckFailed } from '../../scripts/lib/cli';
import { spawn } from 'node:child_process';
import { REPO } from '../helpers/run-cli';
import { DIST, sampleLines, writeParquetLogs } from './log-fixtures';

const WORKGROUP = 'media-cdn-prod-logs';
const DATABASE = 'media_cdn_prod_logs';
const SCOPE: AnalysisScope = { from: new Date('2026-03-01T12:00:00Z'), to: new Date('2026-03-01T14:00:00Z'), distributionId: DIST };
const noSleep = { sleep: () => Promise.resolve(), firstDelayMs: 1 };

/** Runs a script without blocking this process, whose event loop serves the stand-in. */
function runScript(script: string, args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', join(REPO, script), ...args], { cwd: REPO });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('analyses on Athena through the SDK, against the local stand-in (local/athena-endpoint)', function () {
  this.timeout(120_000);
  const root = mkdtempSync(join(tmpdir(), 'athena-'));
  const logs = join(root, 'logs');
  const analyses = loadAnalyses(resolveCatalog());
  let endpoint: AthenaEndpoint;
  let client: AthenaClient;
  let local: LogDatabase;

  before(async () => {
    await writeParquetLogs(logs, sampleLines());
    // Pages of 3 rows, so the paginator must follow NextToken.
    endpoint = await startAthenaEndpoint({ logs, workgroups: [WORKGROUP], pageSize: 3, runningPolls: 2 });
    client = new AthenaClient({ region: 'us-east-1', endpoint: endpoint.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    local = await openLogDatabase(logs);
  });
  after(async () => {
    client.destroy();
    local.close();
    await endpoint.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('gives the same rows as DuckDB locally for every analysis, following every page', async () => {
    const params = analysisParameters(SCOPE);
    for (const a of analyses) {
      const remote = await runAnalysisOnAthena(client, { workgroup: WORKGROUP, database: DATABASE }, a, params, noSleep);
      const here = await runAnalysisOnDuckDb(local, a, params);
      expect(remote.columns, a.name).to.deep.equal(here.columns);
      expect(remote.rows, a.name).to.deep.equal(here.rows);
      expect(remote.bytesScanned).to.be.greaterThan(0);
    }
    const video = (await runAnalysisOnAthena(client, { workgroup: WORKGROUP, database: DATABASE }, analyses[0]!, params, noSleep)).rows.find((r) => r.content_type === 'video');
    expect(video).to.include({ requests: 8, hits: 7, hit_ratio: 0.875 });
  });

  it('starts, polls until done and pages as Athena clients must: parameters, workgroup and database sent', async () => {
    const before = endpoint.calls.length;
    await runAnalysisOnAthena(client, { workgroup: WORKGROUP, database: DATABASE }, analyses.find((a) => a.name === 'bytes-by-edge-location')!, analysisParameters(SCOPE), noSleep);
    const calls = endpoint.calls.slice(before);
    expect(calls.map((c) => c.operation)).to.deep.equal(['StartQueryExecution', 'GetQueryExecution', 'GetQueryExecution', 'GetQueryExecution', 'GetQueryResults', 'GetQueryResults']);
    expect(calls[0]!.input).to.deep.include({ WorkGroup: WORKGROUP, QueryExecutionContext: { Database: DATABASE }, ExecutionParameters: analysisParameters(SCOPE).map((p) => p.literal) });
  });

  it('reports a failed query with Athena\'s reason, as a failed check', async () => {
    const broken = { ...analyses[0]!, sql: 'SELECT no_such_column FROM cloudfront_logs WHERE ? = ?' };
    const err = await runAnalysisOnAthena(client, { workgroup: WORKGROUP, database: DATABASE }, broken, analysisParameters(SCOPE).slice(0, 2), noSleep).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(CheckFailed);
    expect((err as Error).message).to.match(/hit-ratio-by-type \(q-\d+\) FAILED: .*no_such_column/);
  });

  it('backs off between polls, doubling up to the cap, and gives up after the timeout', async () => {
    const d = backoffDelays(250, 1000);
    expect([d(), d(), d(), d()]).to.deep.equal([250, 500, 1000, 1000]);
    const slow = await startAthenaEndpoint({ logs, runningPolls: 100 });
    const c = new AthenaClient({ region: 'us-east-1', endpoint: slow.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    try {
      const waits: number[] = [];
      const id = (await runAnalysisOnAthena(c, { workgroup: 'w', database: 'd' }, analyses[0]!, analysisParameters(SCOPE), { sleep: (ms) => { waits.push(ms); return Promise.resolve(); }, firstDelayMs: 100, maxDelayMs: 400, timeoutMs: 1000 }).catch((e: Error) => e)) as Error;
      expect(id).to.be.instanceOf(CheckFailed);
      expect(id.message).to.match(/still RUNNING after 1 s/);
      expect(waits).to.deep.equal([100, 200, 400, 400]);
      const q = await waitForQuery(c, 'q-000001', { sleep: () => Promise.resolve(), timeoutMs: 0 }).catch((e: Error) => e);
      expect(q).to.be.instanceOf(CheckFailed);
    } finally {
      c.destroy();
      await slow.close();
    }
  });

  it('npm run analyze --athena runs every analysis on the workgroup and reports bytes scanned and cost', async () => {
    const outputs = join(root, 'outputs.json');
    const catalog = resolveCatalog();
    writeFileSync(outputs, JSON.stringify({
      distributionId: DIST, distributionArn: `arn:aws:cloudfront::123456789012:distribution/${DIST}`, domainName: 'd1.cloudfront.net',
      buckets: {}, logBucket: 'logs', contentTypes: contentTypeOutputs(catalog), region: 'us-east-1',
      logsBucket: 'logs', athenaWorkgroup: WORKGROUP, glueDatabase: DATABASE, glueTable: 'cloudfront_logs',
    }));
    const json = join(root, 'athena.json');
    const r = await runScript('scripts/analyze.ts', ['--outputs', outputs, '--athena', '--endpoint', endpoint.endpoint, '--from', '2026-03-01T12:00:00Z', '--to', '2026-03-01T14:00:00Z', '--json', json]);
    expect(r.status, r.stderr).to.equal(0);
    const out = JSON.parse(readFileSync(json, 'utf8')) as { source: string; distributionId: string; athena: { bytesScanned: number; costUsd: number }; analyses: Record<string, { rows: Record<string, unknown>[] }> };
    expect(out.source).to.equal(`athena ${WORKGROUP}`);
    expect(out.distributionId).to.equal(DIST);
    expect(Object.keys(out.analyses)).to.deep.equal([...ANALYSIS_NAMES]);
    expect(out.analyses['hit-ratio-by-type']!.rows.find((x) => x.content_type === 'video')).to.include({ hits: 7, hit_ratio: 0.875 });
    const perQuery = out.athena.bytesScanned / ANALYSIS_NAMES.length;
    expect(out.athena.costUsd).to.be.closeTo(ANALYSIS_NAMES.length * athenaQueryCostUsd(perQuery), 1e-12);
    expect(r.stdout).to.match(/Athena scanned \d+ bytes/);
  });

  it('npm run analyze --athena refuses a missing range (exit 2, one line)', async () => {
    const r = await runScript('scripts/analyze.ts', ['--outputs', join(root, 'outputs.json'), '--athena', '--endpoint', endpoint.endpoint]);
    expect(r.status).to.equal(2);
    expect(r.stderr.trim().split('\n')).to.have.length(1);
    expect(r.stderr).to.match(/--from and --to are required with --athena/);
  });
});
