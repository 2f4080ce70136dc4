import { expect } from 'chai';
import { resolveCatalog } from '../../lib/catalog';
import type { Plan } from '../../lib/plan';
import { CLOUDWATCH_RECORD_FIELDS } from '../../lib/monitoring';
import { buildPlanSerially, findResource, findResources, inputsOf, planFor } from '../helpers/plan';
import { readStackConfig, validateStackFileConfig } from '../../plan/stack-files';

const T = {
  dashboard: 'aws:cloudwatch/dashboard:Dashboard',
  alarm: 'aws:cloudwatch/metricAlarm:MetricAlarm',
  composite: 'aws:cloudwatch/compositeAlarm:CompositeAlarm',
  topic: 'aws:sns/topic:Topic',
  subscription: 'aws:sns/topicSubscription:TopicSubscription',
  topicPolicy: 'aws:sns/topicPolicy:TopicPolicy',
  budget: 'aws:budgets/budget:Budget',
  anomalyMonitor: 'aws:costexplorer/anomalyMonitor:AnomalyMonitor',
  anomalySubscription: 'aws:costexplorer/anomalySubscription:AnomalySubscription',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
  metricFilter: 'aws:cloudwatch/logMetricFilter:LogMetricFilter',
  logSource: 'aws:cloudwatch/logDeliverySource:LogDeliverySource',
  logDestination: 'aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination',
  logDelivery: 'aws:cloudwatch/logDelivery:LogDelivery',
};
const catalog = resolveCatalog();

for (const stack of ['prod', 'staging'] as const) {
  describe(`monitoring and cost components in the ${stack} plan (under Pulumi mocks)`, function () {
    this.timeout(120_000);
    let plan: Plan;
    before(async () => {
      plan = await planFor(stack);
    });

    it('registers the four components', () => {
      const types = findResources(plan, 'media-cdn:cdn:CdnDashboard').concat(findResources(plan, 'media-cdn:cdn:CdnAlarms'),
        findResources(plan, 'media-cdn:cdn:CdnLogGroup'), findResources(plan, 'media-cdn:cdn:CdnCostAlerts'));
      expect(types.map((r) => r.type)).to.deep.equal(['media-cdn:cdn:CdnDashboard', 'media-cdn:cdn:CdnAlarms', 'media-cdn:cdn:CdnLogGroup', 'media-cdn:cdn:CdnCostAlerts']);
    });

    it('creates the dashboard in us-east-1 with the primary distribution\'s metrics', () => {
      const d = inputsOf(findResource(plan, T.dashboard, 'cdn-dashboard'));
      expect(d).to.deep.include({ region: 'us-east-1', dashboardName: `media-cdn-${stack}` });
      const body = JSON.parse(d.dashboardBody as string) as { widgets: { type: string; properties: Record<string, unknown> }[] };
      const primaryId = findResource(plan, 'aws:cloudfront/distribution:Distribution', 'cdn-distribution').id;
      const requests = body.widgets.find((w) => w.properties.title === 'Requests')!;
      expect((requests.properties.metrics as unknown[][])[0]!.slice(0, 6)).to.deep.equal(['AWS/CloudFront', 'Requests', 'DistributionId', primaryId, 'Region', 'Global']);
      const alarmWidget = body.widgets.find((w) => w.type === 'alarm')!;
      const ours = findResources(plan, T.alarm).filter((r) => r.parent.includes('media-cdn:cdn:CdnAlarms'));
      expect(ours).to.have.length(4 + catalog.types.length + 2);
      // With RUM (prod), the web player's alarms follow the CDN's (test/components/rum.test.ts).
      const rum = findResources(plan, T.alarm).filter((r) => r.parent.includes('media-cdn:cdn:CdnRum'));
      expect(rum).to.have.length(stack === 'prod' ? 2 : 0);
      expect(alarmWidget.properties.alarms).to.deep.equal([
        `arn:aws:cloudwatch:us-east-1:123456789012:alarm:cdn-${stack}-degraded`, ...[...ours, ...rum].map((r) => `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${inputsOf(r).name}`),
      ].sort((a, b) => (alarmWidget.properties.alarms as string[]).indexOf(a) - (alarmWidget.properties.alarms as string[]).indexOf(b)));
    });

    it('has a hit-ratio alarm per content type at the catalog threshold, notifying the topic', () => {
      const topicArn = `arn:aws:sns:us-east-1:123456789012:cdn-${stack}-alarms`;
      for (const t of catalog.types) {
        const a = inputsOf(findResource(plan, T.alarm, `cdn-hit-ratio-${t.name}`));
        expect(a, t.name).to.deep.include({
          name: `cdn-${stack}-hit-ratio-${t.name}`, threshold: t.targetHitRatio * 100, comparisonOperator: 'LessThanThreshold', region: 'us-east-1',
        });
        expect(a.alarmActions).to.deep.equal([topicArn]);
        expect(a.tags['media-cdn:content-type']).to.equal(t.name);
        expect(a.metricQueries[0].metric.namespace).to.equal(`MediaCdn/${stack}`);
      }
    });

    it('watches CacheHitRate of the primary distribution with DistributionId and Region=Global', () => {
      const a = inputsOf(findResource(plan, T.alarm, 'cdn-cache-hit-rate'));
      const primaryId = findResource(plan, 'aws:cloudfront/distribution:Distribution', 'cdn-distribution').id;
      expect(a).to.deep.include({ namespace: 'AWS/CloudFront', metricName: 'CacheHitRate', threshold: 80, dimensions: { DistributionId: primaryId, Region: 'Global' } });
    });

    it(`uses ${stack === 'prod' ? 'critical' : 'warning'} severity`, () => {
      const a = inputsOf(findResource(plan, T.alarm, 'cdn-5xx-rate'));
      expect(a.tags['media-cdn:severity']).to.equal(stack === 'prod' ? 'critical' : 'warning');
      expect(a.threshold).to.equal(stack === 'prod' ? 1 : 5);
      expect(a.evaluationPeriods).to.equal(stack === 'prod' ? 3 : 6);
      expect(inputsOf(findResource(plan, T.alarm, 'cdn-bandwidth')).threshold).to.equal(stack === 'prod' ? 120 : 10);
    });

    it('creates the composite "CDN degraded" alarm after its children', () => {
      const c = inputsOf(findResource(plan, T.composite, 'cdn-degraded'));
      expect(c.alarmRule).to.equal(`ALARM("cdn-${stack}-5xx-rate") OR ALARM("cdn-${stack}-cache-hit-rate") OR ALARM("cdn-${stack}-origin-latency-p95")`);
    });

    it('subscribes the configured emails and HTTPS endpoints to the topic, which AWS services may publish to', () => {
      const subs = findResources(plan, T.subscription).filter((r) => inputsOf(r).region === 'us-east-1').map((r) => `${inputsOf(r).protocol}:${inputsOf(r).endpoint}`);
      expect(subs).to.deep.equal(stack === 'prod'
        ? ['email:cdn-oncall@example-stream.com', 'https:https://alerts.example-stream.com/sns/cdn']
        : ['email:cdn-staging@example-stream.com']);
      const policy = JSON.parse(inputsOf(findResource(plan, T.topicPolicy, 'cdn-topic-policy')).policy);
      expect(policy.Statement[0].Principal.Service).to.deep.equal(['cloudwatch.amazonaws.com', 'budgets.amazonaws.com', 'costalerts.amazonaws.com']);
      expect(policy.Statement[0].Condition).to.deep.equal({ StringEquals: { 'aws:SourceAccount': '123456789012' } });
    });

    it("has a budget of this stack's CloudFront spend (service and stack tag) with actual and forecast notifications to the topic", () => {
      const b = inputsOf(findResource(plan, T.budget, 'cdn-budget'));
      expect(b).to.deep.include({ budgetType: 'COST', limitAmount: stack === 'prod' ? '700000' : '500', limitUnit: 'USD', timeUnit: 'MONTHLY' });
      expect(b.costFilters).to.deep.equal([{ name: 'Service', values: ['Amazon CloudFront'] }, { name: 'TagKeyValue', values: [`user:media-cdn:stack$${stack}`] }]);
      // The filter only counts spend the stack tags: the distributions carry the tag.
      const dist = inputsOf(findResource(plan, 'aws:cloudfront/distribution:Distribution', 'cdn-distribution'));
      expect(dist.tags['media-cdn:stack']).to.equal(stack);
      expect(b.notifications.map((n: any) => [n.notificationType, n.threshold, n.subscriberSnsTopicArns[0]])).to.deep.equal([
        ['ACTUAL', 80, `arn:aws:sns:us-east-1:123456789012:cdn-${stack}-alarms`], ['FORECASTED', 100, `arn:aws:sns:us-east-1:123456789012:cdn-${stack}-alarms`],
      ]);
    });

    it(`${stack === 'prod' ? 'has' : 'has no'} a cost anomaly monitor, scoped to the stack's tag (never the per-account dimensional one)`, () => {
      expect(findResources(plan, T.anomalyMonitor)).to.have.length(stack === 'prod' ? 1 : 0);
      if (stack === 'prod') {
        const m = inputsOf(findResource(plan, T.anomalyMonitor, 'cdn-anomaly-monitor'));
        expect(m.monitorType).to.equal('CUSTOM');
        expect(m.monitorDimension).to.equal(undefined);
        expect(JSON.parse(m.monitorSpecification)).to.deep.equal({ Tags: { Key: 'media-cdn:stack', Values: ['prod'], MatchOptions: ['EQUALS'] } });
        const s = inputsOf(findResource(plan, T.anomalySubscription, 'cdn-anomaly-alerts'));
        expect(s).to.deep.include({ frequency: 'IMMEDIATE' });
        expect(s.monitorArnLists[0]).to.match(/^arn:aws:ce::123456789012:anomalymonitor\//);
        expect(s.thresholdExpression.dimension.values).to.deep.equal(['5000']);
      }
    });

    it('delivers the primary distribution\'s access logs to a us-east-1 log group as JSON, with metric filters per type', () => {
      const group = inputsOf(findResource(plan, T.logGroup, 'cdn-access-logs'));
      expect(group).to.deep.include({ region: 'us-east-1', name: `/aws/vendedlogs/cloudfront/media-cdn-${stack}`, retentionInDays: stack === 'prod' ? 30 : 7 });
      const dest = inputsOf(findResource(plan, T.logDestination, 'cdn-log-group-destination'));
      expect(dest).to.deep.include({ outputFormat: 'json' });
      expect(dest.deliveryDestinationConfiguration.destinationResourceArn).to.equal(`arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/cloudfront/media-cdn-${stack}`);
      const delivery = inputsOf(findResource(plan, T.logDelivery, 'cdn-log-group-delivery'));
      const primarySource = inputsOf(findResource(plan, T.logSource, 'cdn-distribution-log-source'));
      expect(delivery.deliverySourceName).to.equal(primarySource.name);
      expect(delivery.recordFields).to.deep.equal([...CLOUDWATCH_RECORD_FIELDS]);
      expect(findResources(plan, T.metricFilter).map((r) => r.name)).to.have.length(15);
      expect(inputsOf(findResource(plan, T.metricFilter, 'cdn-hits-video')).logGroupName).to.equal(`/aws/vendedlogs/cloudfront/media-cdn-${stack}`);
    });

    it('exports dashboardName, alarmTopicArn and logGroupName', () => {
      expect({ dashboardName: plan.outputs.dashboardName, alarmTopicArn: plan.outputs.alarmTopicArn, logGroupName: plan.outputs.logGroupName }).to.deep.equal({
        dashboardName: `media-cdn-${stack}`,
        alarmTopicArn: `arn:aws:sns:us-east-1:123456789012:cdn-${stack}-alarms`,
        logGroupName: `/aws/vendedlogs/cloudfront/media-cdn-${stack}`,
      });
    });
  });
}

describe('cost anomaly alerts on an existing monitor (under Pulumi mocks)', function () {
  this.timeout(120_000);
  const existing = 'arn:aws:ce::123456789012:anomalymonitor/0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e';

  it('subscribes the alarm topic to costAnomalyMonitorArn and creates no monitor', async () => {
    const config = { ...readStackConfig('prod'), 'media-cdn:costAnomalyMonitor': false, 'media-cdn:costAnomalyMonitorArn': existing };
    const plan = await buildPlanSerially({ stack: 'prod', config });
    expect(findResources(plan, T.anomalyMonitor)).to.deep.equal([]);
    expect(inputsOf(findResource(plan, T.anomalySubscription, 'cdn-anomaly-alerts')).monitorArnLists).to.deep.equal([existing]);
  });

  it('refuses both a monitor of its own and an existing one', () => {
    expect(() => validateStackFileConfig('prod', { ...readStackConfig('prod'), 'media-cdn:costAnomalyMonitorArn': existing }))
      .to.throw(/costAnomalyMonitor is true and media-cdn:costAnomalyMonitorArn is set/);
    expect(() => validateStackFileConfig('prod', { ...readStackConfig('prod'), 'media-cdn:costAnomalyMonitor': false, 'media-cdn:costAnomalyMonitorArn': 'monitor-1' }))
      .to.throw(/costAnomalyMonitorArn must be a Cost Anomaly Detection monitor ARN .* got 'monitor-1'/);
  });
});
