import { expect } from 'chai';
import { resolveCatalog } from '../../lib/catalog';
import { buildDashboardBody, type DashboardInputs, type DashboardWidget } from '../../lib/monitoring';

const catalog = resolveCatalog();
const inputs: DashboardInputs = {
  catalog, stack: 'prod', distributionId: 'E123', logGroupName: '/aws/vendedlogs/cloudfront/media-cdn-prod', severity: 'critical',
  bandwidthCeilingGbps: 120, monthlyBudgetUsd: 700000, alarmArns: ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:cdn-prod-degraded'],
};
const body = buildDashboardBody(inputs);
const titled = (title: string): DashboardWidget => {
  const w = body.widgets.find((x) => String(x.properties.title ?? '').startsWith(title));
  if (!w) throw new Error(`no widget titled '${title}'; have ${body.widgets.map((x) => x.properties.title).join(' | ')}`);
  return w;
};
const metrics = (w: DashboardWidget) => w.properties.metrics as unknown[][];

describe('dashboard body from the catalog', () => {
  it('is the same JSON for the same inputs', () => {
    expect(JSON.stringify(buildDashboardBody(inputs))).to.equal(JSON.stringify(body));
  });

  it('lays widgets on the 24-column grid without overlaps', () => {
    for (const w of body.widgets) expect(w.x + w.width, String(w.properties.title)).to.be.at.most(24);
    for (const [i, a] of body.widgets.entries()) {
      for (const b of body.widgets.slice(i + 1)) {
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect(overlap, `${String(a.properties.title)} / ${String(b.properties.title)}`).to.equal(false);
      }
    }
  });

  it('reads CloudFront metrics in us-east-1 with DistributionId and Region=Global', () => {
    for (const title of ['Requests', 'Error rates (%)', 'CacheHitRate', 'OriginLatency']) {
      const w = titled(title);
      expect(w.properties.region, title).to.equal('us-east-1');
      expect(metrics(w)[0]!.slice(0, 6), title).to.deep.equal(['AWS/CloudFront', metrics(w)[0]![1], 'DistributionId', 'E123', 'Region', 'Global']);
    }
    expect(metrics(titled('Requests'))[0]![1]).to.equal('Requests');
    expect(metrics(titled('Error rates by status')).map((m) => m[1])).to.deep.equal(['401ErrorRate', '403ErrorRate', '404ErrorRate', '502ErrorRate', '503ErrorRate', '504ErrorRate']);
    expect(metrics(titled('OriginLatency')).map((m) => (m[6] as { stat: string }).stat)).to.deep.equal(['p50', 'p90', 'p95', 'p99']);
  });

  it('draws each type\'s hit ratio from the log metric filters with its catalog target', () => {
    const w = titled('Hit ratio by content type');
    const expressions = metrics(w).filter((m) => (m[0] as { expression?: string }).expression).map((m) => m[0] as { id: string; expression: string });
    expect(expressions.map((e) => e.id)).to.deep.equal(catalog.types.map((t) => `ratio_${t.name}`));
    expect(expressions[0]!.expression).to.equal('IF(cacheable_video >= 100, 100 * hits_video / cacheable_video, 100)');
    expect((w.properties.annotations as { horizontal: { value: number }[] }).horizontal.map((a) => a.value)).to.deep.equal([95, 90, 85, 98, 80]);
    expect(w.properties.period).to.equal(3600);
  });

  it('converts bytes to Gbps over the graph\'s own period', () => {
    expect(metrics(titled('Bandwidth'))[1]).to.deep.equal([{ expression: 'bytes * 8 / PERIOD(bytes) / 1000000000', label: 'Gbps', id: 'gbps' }]);
  });

  it('marks the alarm thresholds on the error, hit-rate, latency and bandwidth widgets', () => {
    const values = (title: string) => (titled(title).properties.annotations as { horizontal: { value: number }[] }).horizontal.map((a) => a.value);
    expect(values('Error rates (%)')).to.deep.equal([1, 10]);
    expect(values('CacheHitRate')).to.deep.equal([80]);
    expect(values('OriginLatency')).to.deep.equal([200, 50, 100, 150]);
    expect(values('Bandwidth')).to.deep.equal([120]);
  });

  it('queries the access logs by country, by edge location and for top misses', () => {
    const logs = body.widgets.filter((w) => w.type === 'log');
    expect(logs.map((w) => w.properties.title)).to.deep.equal([
      'Requests and p95 time-taken (s) by country', 'Requests and p95 time-taken (s) by edge location', 'Top misses (paths)',
    ]);
    for (const w of logs) {
      expect(w.properties.query).to.match(/^SOURCE '\/aws\/vendedlogs\/cloudfront\/media-cdn-prod' \| /);
      expect(w.properties.region).to.equal('us-east-1');
    }
    expect(logs[0]!.properties.query).to.contain('by `c-country`');
    expect(logs[1]!.properties.query).to.contain('by `x-edge-location`');
  });

  it('shows invalidations and estimated charges against the budget', () => {
    expect(metrics(titled('Invalidations')).map((m) => m.slice(0, 4))).to.deep.equal([
      ['MediaCdn/prod', 'InvalidationPaths', 'DistributionId', 'E123'], ['MediaCdn/prod', 'InvalidationFailures', 'DistributionId', 'E123'],
    ]);
    const charges = titled('Estimated CloudFront charges');
    expect(metrics(charges)[0]!.slice(0, 6)).to.deep.equal(['AWS/Billing', 'EstimatedCharges', 'ServiceName', 'AmazonCloudFront', 'Currency', 'USD']);
    expect((charges.properties.annotations as { horizontal: { value: number }[] }).horizontal.map((a) => a.value)).to.deep.equal([700000]);
    const noBudget = buildDashboardBody({ ...inputs, monthlyBudgetUsd: 0 }).widgets.find((w) => String(w.properties.title).startsWith('Estimated'))!;
    expect(noBudget.properties.annotations).to.equal(undefined);
  });

  it('lists the alarms in an alarm-status widget only when given some', () => {
    expect(body.widgets.filter((w) => w.type === 'alarm').map((w) => w.properties.alarms)).to.deep.equal([inputs.alarmArns]);
    expect(buildDashboardBody({ ...inputs, alarmArns: [] }).widgets.filter((w) => w.type === 'alarm')).to.have.length(0);
  });

  it('lists every content type\'s targets in the header', () => {
    const md = String(body.widgets[0]!.properties.markdown);
    for (const t of catalog.types) expect(md).to.contain(`| ${t.name} | ${t.targetHitRatio * 100}% | ${t.targetLatencyMs} ms |`);
  });
});
