import { expect } from 'chai';
import { resolveCatalog } from '../../lib/catalog';
import {
  buildAppMonitorArgs, buildDashboardBody, buildRumAlarmSpecs, jsErrorRateExpression, RUM_GUEST_ACTION, RUM_REPORT_METRICS, RUM_SERIES_METRICS,
  rumGuestPolicy, rumGuestTrustPolicy, rumReportQueries, rumWebClientConfig,
} from '../../lib/monitoring';
import { InputError } from '../../lib/errors';

const POOL = 'us-east-1:0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e';
const MONITOR_ARN = 'arn:aws:rum:us-east-1:123456789012:appmonitor/media-cdn-prod';
const inputs = { stack: 'prod', domains: ['www.example.com'], sessionSampleRate: 0.1, cloudWatchLogs: false, identityPoolId: POOL, guestRoleArn: 'arn:aws:iam::123456789012:role/guest' };

describe('CloudWatch RUM app monitor (pure builders)', () => {
  it('builds the app monitor: performance, errors and http telemetry, the sample rate and domains given, the pool and guest role', () => {
    expect(buildAppMonitorArgs(inputs)).to.deep.equal({
      name: 'media-cdn-prod',
      domainLists: ['www.example.com'],
      cwLogEnabled: false,
      appMonitorConfiguration: {
        allowCookies: true, enableXray: false, sessionSampleRate: 0.1, telemetries: ['performance', 'errors', 'http'],
        identityPoolId: POOL, guestRoleArn: 'arn:aws:iam::123456789012:role/guest',
      },
      customEvents: { status: 'ENABLED' },
      tags: { 'media-cdn:stack': 'prod' },
    });
    expect(buildAppMonitorArgs({ ...inputs, cloudWatchLogs: true, sessionSampleRate: 1 })).to.deep.include({ cwLogEnabled: true });
  });

  it('refuses no domain and a sample rate outside 0..1', () => {
    expect(() => buildAppMonitorArgs({ ...inputs, domains: [] })).to.throw(RangeError, 'at least one domain');
    expect(() => buildAppMonitorArgs({ ...inputs, sessionSampleRate: 10 })).to.throw(RangeError, 'sessionSampleRate must be 0 to 1, got 10');
    expect(() => buildAppMonitorArgs({ ...inputs, sessionSampleRate: Number.NaN })).to.throw(RangeError);
  });

  it('lets only unauthenticated identities of the one identity pool assume the guest role', () => {
    const trust = rumGuestTrustPolicy(POOL);
    expect(trust.Statement).to.have.length(1);
    expect(trust.Statement[0]).to.deep.equal({
      Effect: 'Allow',
      Principal: { Federated: 'cognito-identity.amazonaws.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'cognito-identity.amazonaws.com:aud': POOL },
        'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' },
      },
    });
  });

  it('grants the guest role exactly one action on exactly one resource', () => {
    const policy = rumGuestPolicy(MONITOR_ARN);
    expect(policy.Statement).to.have.length(1);
    expect(policy.Statement[0]).to.deep.include({ Effect: 'Allow', Action: RUM_GUEST_ACTION, Resource: MONITOR_ARN });
    expect(RUM_GUEST_ACTION).to.equal('rum:PutRumEvents');
  });
});

describe('RUM alarms', () => {
  for (const severity of ['critical', 'warning'] as const) {
    it(`alarms on LCP p90 over 4 s and on JS errors per 100 page views (${severity})`, () => {
      const [lcp, js] = buildRumAlarmSpecs({ stack: 'prod', prefix: 'cdn-prod', severity, appMonitorName: 'media-cdn-prod', topicArn: 'arn:topic' });
      expect(lcp).to.deep.include({
        name: 'cdn-prod-rum-lcp-p90', namespace: 'AWS/RUM', metricName: 'WebVitalsLargestContentfulPaint', extendedStatistic: 'p90',
        dimensions: { application_name: 'media-cdn-prod' }, threshold: 4000, comparisonOperator: 'GreaterThanThreshold',
        evaluationPeriods: severity === 'critical' ? 3 : 6, treatMissingData: 'notBreaching',
      });
      expect(lcp!.alarmActions).to.deep.equal(['arn:topic']);
      expect(lcp!.tags).to.deep.equal({ 'media-cdn:stack': 'prod', 'media-cdn:severity': severity });
      expect(js).to.deep.include({ name: 'cdn-prod-rum-js-errors', threshold: 5 });
      expect(js!.metricQueries!.map((q) => q.metric?.metricName ?? q.expression)).to.deep.equal(['JsErrorCount', 'PageViewCount', jsErrorRateExpression()]);
    });
  }

  it('judges the error rate only with at least 100 page views', () => {
    expect(jsErrorRateExpression()).to.equal('IF(views >= 100, 100 * errors / views, 0)');
  });
});

describe('RUM dashboard widgets', () => {
  const base = {
    catalog: resolveCatalog(), stack: 'prod', distributionId: 'E1', logGroupName: '/lg', severity: 'critical' as const, bandwidthCeilingGbps: 120, monthlyBudgetUsd: 0,
  };
  const titles = (b: ReturnType<typeof buildDashboardBody>) => b.widgets.map((w) => String(w.properties.title ?? ''));

  it('adds page load / LCP, resource timing, JS errors and sessions widgets for the app monitor', () => {
    const body = buildDashboardBody({ ...base, rum: { appMonitorName: 'media-cdn-prod' } });
    const rum = body.widgets.filter((w) => String(w.properties.title).endsWith('— RUM'));
    expect(rum.map((w) => w.properties.title)).to.deep.equal([
      'Web player: page load and LCP (ms) — RUM', 'Web player: resource timing (ms) — RUM',
      'Web player: JavaScript errors per 100 page views — RUM', 'Web player: sessions, page views, HTTP errors — RUM',
    ]);
    const metrics = rum.flatMap((w) => w.properties.metrics as unknown[][]).filter((m) => m[0] === 'AWS/RUM');
    expect(new Set(metrics.map((m) => m[1]))).to.deep.equal(new Set([
      'PerformanceNavigationDuration', 'WebVitalsLargestContentfulPaint', 'PerformanceResourceDuration', 'JsErrorCount', 'PageViewCount', 'SessionCount', 'Http4xxCount', 'Http5xxCount',
    ]));
    for (const m of metrics) expect(m.slice(2, 4)).to.deep.equal(['application_name', 'media-cdn-prod']);
  });

  it('has no RUM widget without an app monitor', () => {
    expect(titles(buildDashboardBody(base)).filter((t) => t.includes('RUM'))).to.deep.equal([]);
  });
});

describe('RUM report queries', () => {
  it('asks for every RUM metric over the range and the charted ones as series, by application_name', () => {
    const q = rumReportQueries('media-cdn-prod', 60, 21600);
    expect(q).to.have.length(Object.keys(RUM_REPORT_METRICS).length + RUM_SERIES_METRICS.length);
    expect(q[0]).to.deep.equal({
      Id: 't_rum_sessions', Label: 'Sessions', ReturnData: true,
      MetricStat: { Metric: { Namespace: 'AWS/RUM', MetricName: 'SessionCount', Dimensions: [{ Name: 'application_name', Value: 'media-cdn-prod' }] }, Period: 21600, Stat: 'Sum' },
    });
    expect(q.filter((x) => x.Id.startsWith('s_rum_')).map((x) => [x.Id, x.MetricStat.Period])).to.deep.equal([['s_rum_lcpP90', 60], ['s_rum_navigationP90', 60], ['s_rum_jsErrors', 60]]);
  });
});

describe('the web player\'s RUM client config from the stack outputs', () => {
  it('maps the app monitor id, Region, identity pool and sample rate into the AwsRum arguments', () => {
    expect(rumWebClientConfig({ rumAppMonitorId: 'a1b2', rumIdentityPoolId: POOL, rumRegion: 'us-east-1', rumSessionSampleRate: 0.1 })).to.deep.equal({
      applicationId: 'a1b2',
      applicationRegion: 'us-east-1',
      config: {
        sessionSampleRate: 0.1, identityPoolId: POOL, endpoint: 'https://dataplane.rum.us-east-1.amazonaws.com',
        telemetries: ['performance', 'errors', 'http'], allowCookies: true, enableXRay: false,
      },
    });
  });

  it('refuses outputs without an app monitor, saying how to get one', () => {
    expect(() => rumWebClientConfig({ rumAppMonitorId: '', rumIdentityPoolId: '', rumRegion: '', rumSessionSampleRate: 0 }, 'outputs.json'))
      .to.throw(InputError, "outputs.json have no RUM app monitor (rumAppMonitorId, rumIdentityPoolId, rumRegion, rumSessionSampleRate); set media-cdn:rum to true and run 'pulumi up'");
    expect(() => rumWebClientConfig({})).to.throw(InputError);
  });
});
