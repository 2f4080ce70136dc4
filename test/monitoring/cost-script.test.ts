import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../lib/errors';
import { EnvironmentError } from '../../lib/error-kinds';
import { rebillForPriceClass } from '../../lib/monitoring/cost-analysis';
import { monthlyCostUsd, type MonthlyUsage } from '../../lib/semantics/pricing';
import {
  ACCESS_DENIED, costExplorerHandlers, costExplorerService, failFirst, startAwsJsonServer, THROTTLING, type AwsJsonServer, type Handler,
} from '../../local/aws-json-server';
import { cloudFrontInvalidations, type CloudFrontData } from '../../local/aws-json-server/cloudfront';
import { actualCost, offlineCost, type ActualCostOptions } from '../../scripts/monitoring/run-cost';
import { stackContext } from '../../scripts/monitoring/stack-context';
import { fileUsageSource, simulatorUsageSource } from '../../scripts/monitoring/usage-sources';
import { planFor } from '../helpers/plan';
import { COST_ROWS, INVALIDATIONS } from './fixtures';
import { DISTRIBUTION_ID, fixtureContext, fixtureOutputs, fixtureSource, LOCAL_ENV, localClients, runTsx } from './helpers';

const FEBRUARY = { from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') };
const NOW = new Date('2026-03-10T00:00:00Z');

interface Fakes { ce?: Partial<Record<string, Handler>>; pageSize?: number; forecastUsd?: number | undefined; cloudFront?: Partial<CloudFrontData> }

/** One endpoint for Cost Explorer (awsJson1_1) and CloudFront (REST-XML), as LocalStack would serve them. */
async function serve(f: Fakes = {}): Promise<AwsJsonServer & { cloudFrontRequests: string[] }> {
  const ce = costExplorerHandlers({ rows: COST_ROWS, pageSize: f.pageSize ?? 1000, ...('forecastUsd' in f ? (f.forecastUsd === undefined ? {} : { forecastUsd: f.forecastUsd }) : { forecastUsd: 1800 }) });
  const cloudFrontRequests: string[] = [];
  const cf = cloudFrontInvalidations({ distributions: { [DISTRIBUTION_ID]: INVALIDATIONS }, ...f.cloudFront });
  const server = await startAwsJsonServer({
    services: [costExplorerService({ ...ce, ...f.ce } as Record<string, Handler>)],
    fallback: (req: IncomingMessage, res: ServerResponse) => {
      cloudFrontRequests.push(`${req.method} ${req.url}`);
      cf(req, res);
    },
  });
  return Object.assign(server, { cloudFrontRequests });
}

const options = (over: Partial<ActualCostOptions> = {}): ActualCostOptions => ({
  source: fixtureSource(), context: fixtureContext(), range: FEBRUARY, now: NOW, ...over,
});

/** The one line of an EnvironmentError (exit 3 at the boundary: credentials, permissions, endpoints). */
async function environmentLine(p: Promise<unknown>): Promise<string> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e, 'expected an EnvironmentError').to.be.instanceOf(EnvironmentError);
  return (e as EnvironmentError).message;
}

describe('npm run cost against local Cost Explorer and CloudFront servers', function () {
  this.timeout(90_000);
  let server: (AwsJsonServer & { cloudFrontRequests: string[] }) | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('totals the bill by usage type and region, across every page', async () => {
    server = await serve({ pageSize: 3 });
    const r = await actualCost(localClients(server.endpoint), options());
    expect(r.mode).to.equal('actual');
    expect(r.totalUsd).to.equal(1663);
    expect(r.lines.map((l) => [l.item, l.usd])).to.deep.equal([
      ['US-DataTransfer-Out-Bytes', 850], ['EU-DataTransfer-Out-Bytes', 425], ['SA-DataTransfer-Out-Bytes', 220], ['US-Requests-Tier2-HTTPS', 100],
      ['EU-Requests-Tier2-HTTPS', 60], ['USE1-Requests-OriginShield', 4.5], ['Invalidations', 2.5], ['Executions-CloudFrontFunctions', 1],
    ]);
    expect(r.actual!.byRegion).to.deep.equal([{ region: 'global', usd: 1658.5 }, { region: 'us-east-1', usd: 4.5 }]);
    const pages = server.calls.filter((c) => c.operation === 'GetCostAndUsage').map((c) => ({ input: c.input as { NextPageToken?: string } }));
    expect(pages.map((c) => c.input.NextPageToken ?? null)).to.deep.equal([null, '3', '6']);
    expect(pages[0]!.input).to.deep.include({
      TimePeriod: { Start: '2026-02-01', End: '2026-03-01' }, Granularity: 'MONTHLY', Metrics: ['UnblendedCost', 'UsageQuantity'],
      Filter: { Dimensions: { Key: 'SERVICE', Values: ['Amazon CloudFront'] } },
      GroupBy: [{ Type: 'DIMENSION', Key: 'USAGE_TYPE' }, { Type: 'DIMENSION', Key: 'REGION' }],
    });
    expect(r.actual).to.deep.include({ apiCalls: 4, apiCostUsd: 0.04 });
  });

  it('counts the invalidation paths created in the range and what they cost', async () => {
    server = await serve();
    const r = await actualCost(localClients(server.endpoint), options());
    expect(r.invalidations).to.deep.equal({
      totalPaths: 1500, totalUsd: 2.5, months: [{ month: '2026-02', invalidations: 2, paths: 1500, billedPaths: 500, usd: 2.5 }],
    });
    expect(server.cloudFrontRequests.filter((u) => u.includes('/invalidation/'))).to.have.members([
      `GET /2020-05-31/distribution/${DISTRIBUTION_ID}/invalidation/I3`, `GET /2020-05-31/distribution/${DISTRIBUTION_ID}/invalidation/I2`,
    ]);
  });

  it('forecasts the rest of the month, or says why it cannot', async () => {
    server = await serve();
    expect((await actualCost(localClients(server.endpoint), options({ skipInvalidations: true }))).forecast).to.deep.equal({ start: '2026-03-10', end: '2026-04-01', usd: 1800 });
    await server.close();
    server = await serve({ forecastUsd: undefined });
    const r = await actualCost(localClients(server.endpoint), options({ skipInvalidations: true }));
    expect(r.forecast).to.deep.equal({ unavailable: 'Cost Explorer has too little history to forecast (Insufficient amount of historical data to generate forecast.)' });
    expect(server.cloudFrontRequests).to.deep.equal([]);
  });

  it('prices the month\'s usage with the model and values the levers', async () => {
    server = await serve();
    const r = await actualCost(localClients(server.endpoint), options({ skipInvalidations: true }));
    // February is 28 days: 0.92 of a 30.4375-day month, so the per-month usage is the total × 30.4375 / 28.
    const scale = 30.4375 / 28;
    expect(r.monthlyEstimate.lines.find((l) => l.item === 'Data transfer out' && l.group === 'EU')!.quantity).to.be.closeTo(5000 * scale, 1e-6);
    expect(r.optimizations.map((l) => l.id)).to.deep.equal(['price-class', 'compression', 'origin-shield', 'hit-ratio', 'free-tier']);
  });

  it('retries throttled Cost Explorer calls', async () => {
    const ce = costExplorerHandlers({ rows: COST_ROWS, forecastUsd: 1 });
    server = await serve({ ce: { GetCostAndUsage: failFirst(2, THROTTLING.costExplorer, ce.GetCostAndUsage!) } });
    const r = await actualCost(localClients(server.endpoint), options({ skipInvalidations: true }));
    expect(server.calls.filter((c) => c.error).map((c) => c.error)).to.deep.equal(['LimitExceededException', 'LimitExceededException']);
    expect(r.totalUsd).to.equal(1663);
  });

  it('names the missing Cost Explorer permission (the environment: exit 3)', async () => {
    server = await serve({ ce: { GetCostAndUsage: failFirst(99, ACCESS_DENIED('ce:GetCostAndUsage'), () => ({})) } });
    expect(await environmentLine(actualCost(localClients(server.endpoint), options()))).to.match(/^missing permission ce:GetCostAndUsage on Cost Explorer \(AWS said: User: /);
  });

  it('names the missing CloudFront permission', async () => {
    server = await serve({ cloudFront: { denied: true } });
    expect(await environmentLine(actualCost(localClients(server.endpoint), options()))).to.match(
      new RegExp(`^missing permission cloudfront:ListInvalidations on distribution ${DISTRIBUTION_ID} `),
    );
  });

  describe('--offline', () => {
    const usage: MonthlyUsage = { transferGbByGroup: { US: 40_000, SA: 10_000 }, requestsByGroup: { US: 300_000_000, SA: 50_000_000 }, invalidationPaths: 1200 };

    it('prices the predicted month under the stack\'s price class, with no AWS call', async () => {
      const plan = await planFor('staging');
      const context = await stackContext({ plan, label: 'stack staging' });
      expect(context.priceClass).to.equal('PriceClass_100');
      const r = await offlineCost(plan, context, { label: 'a test month', predict: () => ({ usage }) });
      const expected = monthlyCostUsd(rebillForPriceClass(usage, 'PriceClass_100'));
      expect(r).to.deep.include({ mode: 'offline', stack: 'staging', usageSource: 'a test month', totalUsd: expected.totalUsd });
      expect(r.lines).to.deep.equal(expected.lines);
      // South American viewers are billed at the cheapest group of PriceClass_100 (US).
      expect(r.lines.filter((l) => l.group === 'SA')).to.deep.equal([]);
    });

    it('prices the simulator\'s predicted month (the source --offline --stack uses), invalidations from the planner', async function () {
      this.timeout(300_000);
      const plan = await planFor('staging');
      const context = await stackContext({ plan, label: 'stack staging' });
      const r = await offlineCost(plan, context, simulatorUsageSource({ scale: 0.0005 }));
      expect(r.usageSource).to.equal('the simulator (predictMonthlyUsage)');
      expect(r.totalUsd).to.be.above(0);
      expect(r.lines.some((l) => l.item === 'Invalidation paths' || /nvalidation/.test(JSON.stringify(l)))).to.equal(true);
    });

    it('reads a month of usage from a file and rejects a malformed one', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'media-cdn-cost-'));
      const good = join(dir, 'usage.json');
      const bad = join(dir, 'bad.json');
      writeFileSync(good, JSON.stringify({ usage, hitRatio: 0.9 }));
      writeFileSync(bad, JSON.stringify({ transferGbByGroup: { MARS: 5, US: -1 }, requestsByGroup: [] }));
      expect(await fileUsageSource(good).predict(undefined as never)).to.deep.equal({ usage, hitRatio: 0.9 });
      expect(() => fileUsageSource(bad).predict(undefined as never)).to.throw(InputError).with.property('problems').that.deep.equals([
        `${bad}: transferGbByGroup.MARS is not a price group; use US, EU, ZA_ME, SA, JP, AU, AP, IN.`,
        `${bad}: transferGbByGroup.US must be a number ≥ 0, got -1.`,
        `${bad}: requestsByGroup must be an object keyed by price group (US, EU, ZA_ME, SA, JP, AU, AP, IN), got [].`,
      ]);
    });
  });

  describe('the CLI', () => {
    const dir = mkdtempSync(join(tmpdir(), 'media-cdn-cost-cli-'));
    const env = LOCAL_ENV;

    it('writes the offline month of the prod stack as JSON with totalUsd and lines (exit 0)', async () => {
      const usageFile = join(dir, 'usage.json');
      const json = join(dir, 'cost.json');
      writeFileSync(usageFile, JSON.stringify({ transferGbByGroup: { US: 1_000_000, EU: 500_000 }, requestsByGroup: { US: 900_000_000, EU: 400_000_000 } }));
      const r = await runTsx('scripts/cost.ts', ['--offline', '--stack', 'prod', '--usage', usageFile, '--json', json]);
      expect(r.status, r.stderr).to.equal(0);
      const out = JSON.parse(readFileSync(json, 'utf8'));
      const expected = monthlyCostUsd({ transferGbByGroup: { US: 1_000_000, EU: 500_000 }, requestsByGroup: { US: 900_000_000, EU: 400_000_000 } });
      expect(out.totalUsd).to.equal(expected.totalUsd);
      expect(out.lines).to.deep.equal(expected.lines);
      expect(r.stdout).to.match(/^Monthly estimate for stack prod \(PriceClass_All\), usage predicted by .*usage\.json: \$[\d,]+\.\d\d/);
    });

    it('reports the actual bill from --endpoint and exits 0', async () => {
      server = await serve();
      const outputsFile = join(dir, 'outputs.json');
      writeFileSync(outputsFile, JSON.stringify(fixtureOutputs()));
      const json = join(dir, 'actual.json');
      const r = await runTsx('scripts/cost.ts', ['--outputs', outputsFile, '--from', '2026-02-01', '--to', '2026-03-01', '--endpoint', server.endpoint, '--json', json, '--quiet'], env);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.contain('CloudFront bill for 2026-02-01T00:00:00.000Z to 2026-03-01T00:00:00.000Z (Cost Explorer, account-wide): $1,663.00');
      expect(JSON.parse(readFileSync(json, 'utf8')).invalidations.totalPaths).to.equal(1500);
    });

    it('exits 2 with one error line per bad input', async () => {
      const r = await runTsx('scripts/cost.ts', ['--offline', '--outputs', 'x.json', '--from', '2026-01-01', '--endpoint', 'not a url'], env);
      expect(r.status).to.equal(2);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('error: '))).to.deep.equal([
        'error: --from/--to do not apply to --offline, which prices one predicted month; drop them.',
        "error: --endpoint 'not a url' is not a URL; give one such as http://127.0.0.1:4566.",
        'error: --offline needs the plan (--stack or --plan) to predict usage; an outputs file has no workload.',
      ]);
    });
  });
});
